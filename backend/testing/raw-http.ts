// HTTP/1.1 spoken by hand over a TCP or TLS socket, for request targets and headers that node's
// own clients refuse to send (`//[`, `*`, absolute-form, a Host of someone else's).
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RawTarget {
  port: number;
  /** Speak TLS, trusting this CA (the server's self-signed certificate). */
  ca?: Buffer;
}

export interface RawResponse {
  /** 0 when the server closed the connection without answering. */
  status: number;
  headers: Record<string, string>;
  body: string;
}

// The test certificates are made for `localhost`.
function open(target: RawTarget): Socket {
  return target.ca
    ? tlsConnect({ host: '127.0.0.1', port: target.port, ca: target.ca, servername: 'localhost' })
    : tcpConnect({ host: '127.0.0.1', port: target.port });
}

/**
 * Sends one request (`Connection: close`) and reads the whole answer. `headers` replace the
 * defaults of the same name; a `host` of null sends no Host header at all.
 */
export function rawRequest(
  target: RawTarget,
  method: string,
  requestTarget: string,
  headers: Record<string, string | null> = {},
  body = '',
): Promise<RawResponse> {
  const all: Record<string, string | null> = {
    host: `127.0.0.1:${target.port}`,
    connection: 'close',
    ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
    ...headers,
  };
  const lines = [`${method} ${requestTarget} HTTP/1.1`];
  for (const [k, v] of Object.entries(all)) if (v !== null) lines.push(`${k}: ${v}`);
  return new Promise((resolve, reject) => {
    const socket = open(target);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A reset after (or instead of) an answer is still an answer to look at.
      if (err.code === 'ECONNRESET') return;
      reject(err);
    });
    socket.on('close', () => resolve(parseResponse(Buffer.concat(chunks).toString('latin1'))));
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}

function parseResponse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/1.') || end < 0) return { status: 0, headers: {}, body: text };
  const [statusLine = '', ...headerLines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const raw = text.slice(end + 4);
  const chunked = /chunked/i.test(headers['transfer-encoding'] ?? '');
  return { status: Number(statusLine.split(' ')[1]), headers, body: chunked ? dechunk(raw) : raw };
}

function dechunk(raw: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    const size = parseInt(raw.slice(at, eol), 16);
    if (eol < 0 || !(size > 0)) return out;
    out += raw.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** The odd request targets every server here must answer (never die on). */
export const ODD_TARGETS: readonly string[] = [
  '//[',
  '//host:99999/x',
  '*',
  'http://[/x',
  'https://127.0.0.1:1/healthz',
  'ftp://example.com/x',
  'example.com:443',
  '/%zz',
  '/healthz/%',
  '/a?b=%zz#frag',
  '/'.repeat(8 * 1024),
];
