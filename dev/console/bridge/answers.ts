// How the console server answers by itself: files from a built folder, and Kubernetes-style
// Status errors (over HTTP, or over a socket that asked for a WebSocket upgrade).
import { createReadStream, existsSync, statSync } from 'node:fs';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { statusBody } from '../../../backend/http';
import { pathSegments } from '../../../backend/request-target';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

/** Resolves `rel` (already decoded) inside `dir`, or undefined when it escapes it or isn't a file. */
export const safeFile = (dir: string, rel: string): string | undefined => {
  const base = resolve(dir);
  const full = normalize(join(base, rel));
  if (full !== base && !full.startsWith(base + sep)) return undefined;
  return existsSync(full) && statSync(full).isFile() ? full : undefined;
};

/** A URL path below a prefix, percent-decoded; malformed escapes are a RequestTargetError. */
export const decodedBelow = (pathname: string, prefix: string) =>
  pathSegments(`/${pathname.slice(prefix.length)}`).join('/');

export const sendFile = (
  res: http.ServerResponse,
  file: string,
  cache: string,
  headers: http.OutgoingHttpHeaders = {},
) => {
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': cache,
    ...headers,
  });
  createReadStream(file).pipe(res);
};

export const sendJSON = (res: http.ServerResponse, code: number, body: unknown) => {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

export const sendStatus = (
  res: http.ServerResponse,
  code: number,
  reason: string,
  message: string,
) => sendJSON(res, code, statusBody(code, reason, message));

export const refuseUpgrade = (socket: Duplex, code: number, reason: string, message: string) => {
  const body = JSON.stringify(statusBody(code, reason, message));
  socket.end(
    `HTTP/1.1 ${code} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
};
