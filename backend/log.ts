import pino from 'pino';
import type { LogLevel } from './config';

export type Logger = pino.Logger;

/**
 * JSON logs on stdout. Redaction is a backstop: code never hands the logger a pod, an env var or a
 * token in the first place (the BUILD env var holds the whole Build, secrets included).
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { component: 'userns-builds-backend' },
      redact: {
        paths: ['*.authorization', '*.Authorization', '*.token', '*.env', 'headers'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
