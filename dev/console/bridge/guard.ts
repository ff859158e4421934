// Who may use the console server at all, checked before any route: the console's bridge answers
// only to its own names and takes writes and WebSockets only from its own pages.
import type http from 'node:http';
import { quoteTarget, type RequestTarget } from '../../../backend/request-target';
import { cookieValue } from '../app/users';

/** The names a server on this port answers to; any other Host is another site's (DNS rebinding). */
export const ownHosts = (port: number) => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

/**
 * Why a request must not be served, or undefined. The Host must be one of ours; a write, and
 * every WebSocket, must come from a page of ours (Origin); a write to /api/ must also carry the
 * CSRF double submit, as with the console.
 */
export const refusal = (
  req: http.IncomingMessage,
  target: RequestTarget,
  websocket: boolean,
  own: Set<string>,
): { code: number; message: string } | undefined => {
  const host = (target.authority ?? req.headers.host ?? '').toLowerCase();
  if (!own.has(host)) {
    return { code: 403, message: `host ${quoteTarget(host)} is not this console's` };
  }
  const unsafe = websocket || !['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET');
  if (!unsafe) return undefined;
  const origin = req.headers.origin;
  if (origin?.toLowerCase() !== `http://${host}`) {
    const what = websocket ? 'a WebSocket' : 'a write';
    return {
      code: 403,
      message:
        origin === undefined
          ? `${what} needs an Origin header`
          : `${what} from origin ${quoteTarget(origin)} is not allowed`,
    };
  }
  // Double submit, as the console: a header equal to the cookie. Both absent is no proof —
  // a cross-site form sends neither, and would otherwise act with the default user's token.
  const sent = req.headers['x-csrftoken'];
  if (
    !websocket &&
    target.path.startsWith('/api/') &&
    (!sent || sent !== cookieValue(req.headers.cookie, 'csrf-token'))
  ) {
    return { code: 403, message: 'CSRF token missing or invalid' };
  }
  return undefined;
};
