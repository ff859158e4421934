// Relaying to an upstream (the cluster, or a plugin's backend) as the console's bridge does: the
// demo user's bearer token replaces whatever credentials the browser sent, HTTP answers stream
// through (watches over ?watch=true), and WebSocket upgrades are replayed and spliced.
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { checkRelayPath } from '../../../backend/request-target';
import { sendStatus } from './answers';

/** A proxied request's destination: the configured upstream, and the path below it. */
export interface Upstream {
  base: URL;
  path: string;
  ca?: string | Buffer;
}

/**
 * Where `rest` goes below an upstream. The scheme, host and port are always the upstream's; the
 * path is only ever appended below the upstream's own path, and a `rest` that could climb out of
 * it (`//`, `..`, their encoded forms) is a RequestTargetError.
 */
export const below = (base: URL, rest: string, ca?: string | Buffer): Upstream => {
  checkRelayPath(rest);
  return { base, path: `${base.pathname.replace(/\/$/, '')}${rest}`, ...(ca ? { ca } : {}) };
};

// Headers the browser sends that must not reach the cluster or the backend: the console's
// proxies authenticate with the user's token only, never the browser's cookies.
const DROP = new Set(['cookie', 'authorization', 'host', 'x-csrftoken', 'origin', 'referer']);

const forwardHeaders = (req: http.IncomingMessage, token: string): http.OutgoingHttpHeaders => {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (!DROP.has(k)) out[k] = v;
  out.authorization = `Bearer ${token}`;
  return out;
};

const requestTo = (dest: Upstream, search: string, options: http.RequestOptions) => {
  const { base, ca } = dest;
  const client = base.protocol === 'https:' ? https : http;
  return client.request({
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port,
    path: dest.path + search,
    ...(ca && { ca }),
    ...options,
  });
};

export const proxyRequest = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  dest: Upstream,
  search: string,
  token: string,
) => {
  const upstream = requestTo(dest, search, {
    method: req.method,
    headers: forwardHeaders(req, token),
  });
  upstream.on('response', (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    // Streaming watches (?watch=true over HTTP) flow through chunk by chunk.
    up.pipe(res);
  });
  upstream.on('error', (e) => {
    if (res.headersSent) res.destroy();
    else sendStatus(res, 502, 'BadGateway', `upstream unavailable: ${e.message}`);
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
};

/** Replays a WebSocket upgrade to the upstream with the token and splices the two sockets. */
export const proxyUpgrade = (
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
  dest: Upstream,
  search: string,
  token: string,
) => {
  const upstream = requestTo(dest, search, {
    method: 'GET',
    headers: { ...forwardHeaders(req, token), host: dest.base.host },
  });
  upstream.on('upgrade', (upRes, upSocket, upHead) => {
    const lines = [`HTTP/1.1 ${upRes.statusCode} ${upRes.statusMessage}`];
    for (let i = 0; i < upRes.rawHeaders.length; i += 2)
      lines.push(`${upRes.rawHeaders[i]}: ${upRes.rawHeaders[i + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upHead.length) socket.write(upHead);
    if (head.length) upSocket.write(head);
    upSocket.pipe(socket).pipe(upSocket);
    upSocket.on('error', () => socket.destroy());
    socket.on('error', () => upSocket.destroy());
    socket.on('close', () => upSocket.destroy());
    upSocket.on('close', () => socket.destroy());
  });
  upstream.on('response', (upRes) => {
    // The upstream refused the upgrade (RBAC, bad request): pass its answer on and close.
    const lines = [`HTTP/1.1 ${upRes.statusCode} ${upRes.statusMessage}`, 'connection: close'];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    upRes.pipe(socket);
  });
  upstream.on('error', () => socket.destroy());
  upstream.end();
};
