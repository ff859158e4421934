// Entry point: configuration, signals, exit codes. Exit 2 on a bad setting, 1 on a start-up
// failure, 0 after a clean SIGTERM/SIGINT drain.
import { readFileSync } from 'node:fs';
import { PluginAssetsError } from './assets';
import { ConfigError, parseConfig, usage, type Config } from './config';
import { createLogger, type Logger } from './log';
import { PolicyFileError } from './policy/file';
import { startService } from './service';

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function clusterFactory(config: Config, log: Logger) {
  if (!config.cluster) return undefined;
  // Loaded only when there is a cluster: @kubernetes/client-node is ESM-only and heavy.
  const { connectCluster } = await import('./kube/connect');
  return connectCluster(config, log);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    const parsed = parseConfig(process.argv.slice(2), process.env, {
      serviceAccountNamespace: () => {
        try {
          return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || undefined;
        } catch {
          return undefined;
        }
      },
    });
    if (parsed.help) {
      process.stdout.write(`${usage()}\n`);
      return;
    }
    config = parsed.config;
  } catch (err) {
    if (err instanceof ConfigError) fail(`${err.message}\n\n${usage()}`, 2);
    throw err;
  }

  const log = createLogger(config.logLevel);
  let service;
  try {
    service = await startService(config, log, await clusterFactory(config, log));
  } catch (err) {
    if (err instanceof PolicyFileError || err instanceof PluginAssetsError) fail(err.message, 2);
    log.fatal({ err }, 'start-up failed');
    fail(`start-up failed: ${(err as Error).message}`, 1);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining');
    service.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
