// The dev console's server, in the role of the console's Go backend ("bridge"). Every request
// passes the guard (bridge/guard.ts) and then goes to the most specific route of the table in
// startConsoleServer: the shell, the plugin's assets and translations, and the proxies to the
// cluster (HTTP and WebSocket watches) and to the plugin's backend, which add the demo user's
// bearer token (bridge/proxy.ts).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { mostSpecific, type PathPattern } from '../../backend/router';
import {
  RequestTargetError,
  parseRequestTarget,
  quoteTarget,
  type RequestTarget,
} from '../../backend/request-target';
import { USER_COOKIE, cookieValue, isDemoUser, userFromCookie, type DemoUser } from './app/users';
import {
  decodedBelow,
  refuseUpgrade,
  safeFile,
  sendFile,
  sendJSON,
  sendStatus,
} from './bridge/answers';
import { ownHosts, refusal } from './bridge/guard';
import { below, proxyRequest, proxyUpgrade, type Upstream } from './bridge/proxy';

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

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

/** One row of the route table: a path or path prefix, and how it is served. */
export interface ConsoleRoute extends PathPattern {
  /** Any method: the guard has already refused writes that must not happen. */
  serve(req: http.IncomingMessage, res: http.ServerResponse, target: RequestTarget): void;
  /** WebSocket upgrades on this path; a route without it refuses them with a 404. */
  upgrade?(req: http.IncomingMessage, socket: Duplex, head: Buffer, target: RequestTarget): void;
}

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
  const tokenOf = (req: http.IncomingMessage) => opts.tokens[userFromCookie(req.headers.cookie)];

  /** /api/kubernetes/<rest> → <cluster>/<rest>. */
  const toCluster = (path: string): Upstream =>
    below(cluster, path.slice('/api/kubernetes'.length));
  /** /api/proxy/plugin/<plugin>/<alias>/<rest> → <the alias's endpoint>/<rest>, if it has one. */
  const toAlias = (path: string): Upstream | undefined => {
    const tail = path.slice(proxyPrefix.length);
    const slash = tail.indexOf('/');
    const p = proxies.get(slash < 0 ? tail : tail.slice(0, slash));
    return p && below(p.base, slash < 0 ? '/' : tail.slice(slash), p.ca);
  };
  const noRoute = (res: http.ServerResponse, path: string) =>
    sendStatus(res, 404, 'NotFound', `no route for ${path}`);

  const routes: ConsoleRoute[] = [
    {
      path: pluginPrefix,
      prefix: true,
      serve: (_req, res, { path }) => {
        const file = safeFile(opts.pluginDist, decodedBelow(path, pluginPrefix));
        if (!file) return sendStatus(res, 404, 'NotFound', `no such plugin asset: ${path}`);
        // The manifest must never be cached (a rebuild changes the entry's hash); chunks may be.
        sendFile(res, file, file.endsWith('plugin-manifest.json') ? 'no-cache' : 'max-age=60');
      },
    },
    {
      // i18next's backend in the shell asks here for each namespace; only the plugin's own come
      // from its dist/, the console's fall back to the configured folder.
      path: '/locales/resource.json',
      serve: (_req, res, { query }) => {
        const ns = query.get('ns') ?? '';
        const rel = `${query.get('lng') ?? 'en'}/${ns}.json`;
        const file =
          (ns.startsWith(`plugin__`) && safeFile(join(opts.pluginDist, 'locales'), rel)) ||
          (opts.localesDir && safeFile(opts.localesDir, rel));
        if (file) sendFile(res, file, 'no-cache');
        else sendJSON(res, 200, {});
      },
    },
    {
      path: '/api/dev-console/users',
      serve: (req, res) =>
        sendJSON(res, 200, {
          current: userFromCookie(req.headers.cookie),
          users: Object.keys(opts.tokens),
        }),
    },
    {
      path: '/api/kubernetes/',
      prefix: true,
      serve: (req, res, { path, search }) =>
        proxyRequest(req, res, toCluster(path), search, tokenOf(req)),
      upgrade: (req, socket, head, { path, search }) =>
        proxyUpgrade(req, socket, head, toCluster(path), search, tokenOf(req)),
    },
    {
      path: proxyPrefix,
      prefix: true,
      serve: (req, res, { path, search }) => {
        const dest = toAlias(path);
        if (dest) proxyRequest(req, res, dest, search, tokenOf(req));
        else noRoute(res, path);
      },
    },
    { path: '/api/', prefix: true, serve: (_req, res, { path }) => noRoute(res, path) },
    {
      path: '/static/',
      prefix: true,
      serve: (_req, res, { path }) => {
        const file = safeFile(opts.shellDist, decodedBelow(path, '/static/'));
        if (file) sendFile(res, file, 'no-cache');
        else sendStatus(res, 404, 'NotFound', path);
      },
    },
    {
      // Every other path is a client-side route of the single-page shell.
      path: '/',
      prefix: true,
      serve: (req, res) => {
        const cookies = [`csrf-token=${csrf}; Path=/; SameSite=Strict`];
        if (!isDemoUser(cookieValue(req.headers.cookie, USER_COOKIE)))
          cookies.push(`${USER_COOKIE}=admin; Path=/; SameSite=Strict`);
        sendFile(res, join(__dirname, 'index.html'), 'no-cache', { 'set-cookie': cookies });
      },
    },
  ];

  const own = () => ownHosts((server.address() as AddressInfo).port);
  // Target paths always start with '/', so the catch-all route always matches.
  const routeFor = (path: string) => mostSpecific(routes, path)[0]!;

  const server = http.createServer((req, res) => {
    // One request's mistake (a target no parser takes, a bad escape) is its own 400, never the
    // end of the server.
    try {
      const target = parseRequestTarget(req.url);
      const refused = refusal(req, target, false, own());
      if (refused) sendStatus(res, refused.code, 'Forbidden', refused.message);
      else routeFor(target.path).serve(req, res, target);
    } catch (e) {
      if (res.headersSent) res.destroy();
      else if (e instanceof RequestTargetError) sendStatus(res, 400, 'BadRequest', e.message);
      else {
        console.error('[console] internal error', e);
        sendStatus(res, 500, 'InternalError', 'internal error');
      }
    }
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      const target = parseRequestTarget(req.url);
      // Browsers send Origin on every WebSocket and don't apply CORS to them: a page from another
      // origin must not read watches with a demo user's token (the console's bridge checks it too).
      const refused = refusal(req, target, true, own());
      if (refused) return refuseUpgrade(socket, refused.code, 'Forbidden', refused.message);
      const { upgrade } = routeFor(target.path);
      if (upgrade) upgrade(req, socket, head, target);
      else
        refuseUpgrade(
          socket,
          404,
          'NotFound',
          `no WebSocket route for ${quoteTarget(target.path)}`,
        );
    } catch (e) {
      if (e instanceof RequestTargetError) refuseUpgrade(socket, 400, 'BadRequest', e.message);
      else {
        console.error('[console] internal error', e);
        refuseUpgrade(socket, 500, 'InternalError', 'internal error');
      }
    }
  });

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
