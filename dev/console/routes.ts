// The console server's route table: each path or path prefix, and how it is answered. The server
// (server.ts) runs the guard first and then the most specific row, as backend/router.ts matches.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import type { PathPattern } from '../../backend/router';
import type { RequestTarget } from '../../backend/request-target';
import { USER_COOKIE, cookieValue, isDemoUser, userFromCookie, type DemoUser } from './app/users';
import { decodedBelow, safeFile, sendFile, sendJSON, sendStatus } from './bridge/answers';
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

/** One row of the route table: a path or path prefix, and how it is served. */
export interface ConsoleRoute extends PathPattern {
  /** Any method: the guard has already refused writes that must not happen. */
  serve(req: http.IncomingMessage, res: http.ServerResponse, target: RequestTarget): void;
  /** WebSocket upgrades on this path; a route without it refuses them with a 404. */
  upgrade?(req: http.IncomingMessage, socket: Duplex, head: Buffer, target: RequestTarget): void;
}

/**
 * The table for one server run. `csrf` is that run's secret, set as a cookie on every shell page
 * (writes must echo it in a header).
 */
export const consoleRoutes = (opts: ConsoleServerOptions, csrf: string): ConsoleRoute[] => {
  const pluginPrefix = `/api/plugins/${opts.pluginName}/`;
  const proxyPrefix = `/api/proxy/plugin/${opts.pluginName}/`;
  const cluster = new URL(opts.clusterUrl);
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

  return [
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
};
