// The dev console's server, in the role of the console's Go backend ("bridge"): every request,
// and every WebSocket upgrade, passes the guard (bridge/guard.ts) and then goes to the most
// specific row of the route table (routes.ts): the shell, the plugin's assets and translations,
// and the proxies to the cluster and the plugin's backend that add the demo user's bearer token.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { mostSpecific } from '../../backend/router';
import { RequestTargetError, parseRequestTarget, quoteTarget } from '../../backend/request-target';
import { refuseUpgrade, sendStatus } from './bridge/answers';
import { ownHosts, refusal } from './bridge/guard';
import { consoleRoutes, type ConsoleServerOptions } from './routes';

export type { ConsoleServerOptions } from './routes';

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

export async function startConsoleServer(opts: ConsoleServerOptions): Promise<ConsoleServer> {
  // One CSRF secret per server run: writes must echo it from the cookie, as with the console.
  const routes = consoleRoutes(opts, randomBytes(16).toString('hex'));
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
