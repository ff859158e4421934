// The dev console's server, in the role of the console's Go backend ("bridge"): serves the shell,
// serves the plugin at /api/plugins/<name>/, answers /locales/resource.json from the plugin's
// locales, proxies /api/kubernetes/* (HTTP and WebSocket watches) to the cluster and
// /api/proxy/plugin/<name>/<alias>/* to the backend, adding the demo user's bearer token.
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import {
  RequestTargetError,
  checkRelayPath,
  parseRequestTarget,
  pathSegments,
  quoteTarget,
  type RequestTarget,
} from '../../backend/request-target';
import { DEMO_USERS, USER_COOKIE, userFromCookie, type DemoUser } from './app/users';

export interface ConsoleServerOptions {
  /** Base URL of the Kubernetes API (the local cluster), e.g. http://127.0.0.1:6443. */
  clusterUrl: string;
  /** Bearer token per demo user. */
  tokens: Record<DemoUser, string>;
  pluginName: string;
  /** The plugin's built dist/. */
  pluginDist: string;
  /** Fallback for translations when dist/ has no locales/. */
  localesDir?: string;
  /** The shell's built bundle (dev/console/dist). */
  shellDist: string;
  /** ConsolePlugin spec.proxy entries: alias → backend endpoint. */
  proxies?: Record<string, { url: string; ca?: string | Buffer }>;
  port?: number;
}

/** A proxied request's destination: the configured upstream, and the path below it. */
interface Upstream {
  base: URL;
  path: string;
  ca?: string | Buffer;
}

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

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

const sendFile = (res: http.ServerResponse, file: string, cache: string) => {
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': cache,
  });
  createReadStream(file).pipe(res);
};

/** A URL path below a prefix, percent-decoded; malformed escapes are a RequestTargetError. */
const decodedBelow = (pathname: string, prefix: string) =>
  pathSegments(`/${pathname.slice(prefix.length)}`).join('/');

const sendJSON = (res: http.ServerResponse, code: number, body: unknown) => {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const status = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  reason,
  message,
  code,
});

const refuseUpgrade = (socket: Duplex, code: number, reason: string, message: string) => {
  const body = JSON.stringify(status(code, reason, message));
  socket.end(
    `HTTP/1.1 ${code} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
};

const cookieValue = (header: string | undefined, name: string) =>
  (header ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === name)?.[1];

// Headers the browser sends that must not reach the cluster or the backend: the console's
// proxies authenticate with the user's token only, never the browser's cookies.
const DROP = new Set(['cookie', 'authorization', 'host', 'x-csrftoken', 'origin', 'referer']);

const forwardHeaders = (req: http.IncomingMessage, token: string): http.OutgoingHttpHeaders => {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (!DROP.has(k)) out[k] = v;
  out.authorization = `Bearer ${token}`;
  return out;
};

export async function startConsoleServer(opts: ConsoleServerOptions): Promise<ConsoleServer> {
  const pluginPrefix = `/api/plugins/${opts.pluginName}/`;
  const proxyPrefix = `/api/proxy/plugin/${opts.pluginName}/`;
  const cluster = new URL(opts.clusterUrl);
  // One CSRF secret per server run: writes must echo it from the cookie, as with the console.
  const csrf = randomBytes(16).toString('hex');

  const proxies = new Map(
    Object.entries(opts.proxies ?? {}).map(([alias, p]) => [
      alias,
      { base: new URL(p.url), ca: p.ca },
    ]),
  );

  /**
   * Where a proxied request goes. The scheme, host and port are always the configured upstream's;
   * the request's path is only ever appended below the upstream's own path, and a path that could
   * climb out of it (`//`, `..`, their encoded forms) is a RequestTargetError.
   */
  const upstreamOf = (pathname: string): Upstream | undefined => {
    let base: URL;
    let rest: string;
    let ca: string | Buffer | undefined;
    if (pathname.startsWith('/api/kubernetes/')) {
      base = cluster;
      rest = pathname.slice('/api/kubernetes'.length);
    } else if (pathname.startsWith(proxyPrefix)) {
      const tail = pathname.slice(proxyPrefix.length);
      const slash = tail.indexOf('/');
      const p = proxies.get(slash < 0 ? tail : tail.slice(0, slash));
      if (!p) return undefined;
      ({ base, ca } = p);
      rest = slash < 0 ? '/' : tail.slice(slash);
    } else return undefined;
    checkRelayPath(rest);
    return { base, path: `${base.pathname.replace(/\/$/, '')}${rest}`, ...(ca ? { ca } : {}) };
  };

  const proxy = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    dest: Upstream,
    search: string,
  ) => {
    const user = userFromCookie(req.headers.cookie);
    const { base, ca } = dest;
    const client = base.protocol === 'https:' ? https : http;
    const upstream = client.request(
      {
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        path: dest.path + search,
        method: req.method,
        headers: forwardHeaders(req, opts.tokens[user]),
        ...(ca && { ca }),
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        // Streaming watches (?watch=true over HTTP) flow through chunk by chunk.
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (res.headersSent) res.destroy();
      else sendJSON(res, 502, status(502, 'BadGateway', `upstream unavailable: ${e.message}`));
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };

  /** The names this server answers to; any other Host is another site's (DNS rebinding). */
  const ownHosts = () => {
    const { port } = server.address() as AddressInfo;
    return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  };

  /**
   * Why a request must not be served, or undefined. The Host must be one of ours; a write, and
   * every WebSocket, must come from a page of ours (Origin); a write to /api/ must also carry the
   * CSRF double submit, as with the console.
   */
  const refusal = (
    req: http.IncomingMessage,
    target: RequestTarget,
    websocket: boolean,
  ): { code: number; message: string } | undefined => {
    const host = (target.authority ?? req.headers.host ?? '').toLowerCase();
    if (!ownHosts().has(host)) {
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

  const server = http.createServer((req, res) => {
    // One request's mistake (a target no parser takes, a bad escape) is its own 400, never the
    // end of the server.
    try {
      serve(req, res);
    } catch (e) {
      if (res.headersSent) res.destroy();
      else if (e instanceof RequestTargetError)
        sendJSON(res, 400, status(400, 'BadRequest', e.message));
      else {
        console.error('[console] internal error', e);
        sendJSON(res, 500, status(500, 'InternalError', 'internal error'));
      }
    }
  });

  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const target = parseRequestTarget(req.url);
    const pathname = target.path;
    const refused = refusal(req, target, false);
    if (refused) {
      sendJSON(res, refused.code, status(refused.code, 'Forbidden', refused.message));
      return;
    }
    if (pathname.startsWith(pluginPrefix)) {
      const file = safeFile(opts.pluginDist, decodedBelow(pathname, pluginPrefix));
      if (!file) {
        sendJSON(res, 404, status(404, 'NotFound', `no such plugin asset: ${pathname}`));
        return;
      }
      // The manifest must never be cached (a rebuild changes the entry's hash); chunks may be.
      sendFile(res, file, file.endsWith('plugin-manifest.json') ? 'no-cache' : 'max-age=60');
      return;
    }
    if (pathname === '/locales/resource.json') {
      const lng = target.query.get('lng') ?? 'en';
      const ns = target.query.get('ns') ?? '';
      const rel = `${lng}/${ns}.json`;
      const file =
        (ns.startsWith(`plugin__`) && safeFile(join(opts.pluginDist, 'locales'), rel)) ||
        (opts.localesDir && safeFile(opts.localesDir, rel));
      if (file) sendFile(res, file, 'no-cache');
      else sendJSON(res, 200, {});
      return;
    }
    if (pathname === '/api/dev-console/users') {
      sendJSON(res, 200, {
        current: userFromCookie(req.headers.cookie),
        users: Object.keys(opts.tokens),
      });
      return;
    }
    const dest = upstreamOf(pathname);
    if (dest) {
      proxy(req, res, dest, target.search);
      return;
    }
    if (pathname.startsWith('/api/')) {
      sendJSON(res, 404, status(404, 'NotFound', `no route for ${pathname}`));
      return;
    }
    if (pathname.startsWith('/static/')) {
      const file = safeFile(opts.shellDist, decodedBelow(pathname, '/static/'));
      if (file) sendFile(res, file, 'no-cache');
      else sendJSON(res, 404, status(404, 'NotFound', pathname));
      return;
    }
    // Every other path is a client-side route of the single-page shell.
    const index = join(__dirname, 'index.html');
    const cookies = [`csrf-token=${csrf}; Path=/; SameSite=Strict`];
    const chosen = cookieValue(req.headers.cookie, USER_COOKIE);
    if (!chosen || !(chosen in DEMO_USERS_SET))
      cookies.push(`${USER_COOKIE}=admin; Path=/; SameSite=Strict`);
    res.writeHead(200, {
      'content-type': TYPES['.html']!,
      'cache-control': 'no-cache',
      'set-cookie': cookies,
    });
    createReadStream(index).pipe(res);
  };

  // WebSocket watches: replay the upgrade to the cluster with the token and splice the sockets,
  // as the console's bridge does.
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      upgrade(req, socket, head);
    } catch (e) {
      if (e instanceof RequestTargetError) refuseUpgrade(socket, 400, 'BadRequest', e.message);
      else {
        console.error('[console] internal error', e);
        refuseUpgrade(socket, 500, 'InternalError', 'internal error');
      }
    }
  });

  const upgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = parseRequestTarget(req.url);
    // Browsers send Origin on every WebSocket and don't apply CORS to them: a page from another
    // origin must not read watches with a demo user's token (the console's bridge checks it too).
    const refused = refusal(req, url, true);
    if (refused) {
      refuseUpgrade(socket, refused.code, 'Forbidden', refused.message);
      return;
    }
    const dest = url.path.startsWith('/api/kubernetes/') ? upstreamOf(url.path) : undefined;
    if (!dest) {
      refuseUpgrade(socket, 404, 'NotFound', `no WebSocket route for ${quoteTarget(url.path)}`);
      return;
    }
    const user = userFromCookie(req.headers.cookie);
    const { base } = dest;
    const client = base.protocol === 'https:' ? https : http;
    const upstream = client.request({
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port,
      path: dest.path + url.search,
      method: 'GET',
      headers: { ...forwardHeaders(req, opts.tokens[user]), host: base.host },
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
      // The cluster refused the upgrade (RBAC, bad request): pass its answer on and close.
      const lines = [`HTTP/1.1 ${upRes.statusCode} ${upRes.statusMessage}`, 'connection: close'];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      upRes.pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
    upstream.end();
  };

  const sockets = new Set<Duplex>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (_req, s: Duplex) => sockets.add(s));

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolvePromise) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolvePromise());
      }),
  };
}

const DEMO_USERS_SET: Record<string, true> = Object.fromEntries(DEMO_USERS.map((u) => [u, true]));
