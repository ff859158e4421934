// The local cluster emulator: an OpenShift-flavoured Kubernetes API on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCert } from '../../testing/certs';
import { Admission } from './admission';
import { Api } from './api';
import { BuildController, type Scheduler } from './builds';
import { LogStore } from './buildlog';
import { installBuiltinHooks } from './builtins';
import { installCrdHooks, registerStoredCrds } from './crds';
import { loadState, Persistence, type PersistenceOptions } from './persistence';
import { bootstrap, seedDemo, type SeedOptions } from './seed';
import { kubeconfigYaml, writeKubeconfigFile } from './kubeconfig';
import { DEMO_USERS, type DemoUserName } from './rbac';
import { Registry } from './registry';
import { ApiServer } from './server';
import { Store } from './store';
import { ServiceDirectory } from './services';

export interface ClusterOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  stateFile?: string;
  /** Ignore the state file and start from fresh seed data. */
  reset?: boolean;
  seed?: boolean | Pick<SeedOptions, 'builds' | 'namespaces' | 'buildConfigs'>;
  /** How long each build phase lasts; tests make it tiny, or drive phases with their own scheduler. */
  buildTimer?: { stepMs: number; scheduler?: Scheduler };
  tls?: boolean;
  /** Watch events kept for resuming (default 10,000); older versions get 410. */
  watchHistory?: number;
  /** When the journal is compacted into a new snapshot, and how often pod logs are journalled. */
  persistence?: PersistenceOptions;
}

export interface Cluster {
  url: string;
  /** A kubeconfig for the admin user. */
  kubeconfigPath: string;
  tokens: Record<DemoUserName, string>;
  writeKubeconfig(user: DemoUserName): string;
  /** With `tls`: the server's self-signed certificate, to trust it. */
  ca: Buffer | undefined;
  /** Which local port serves which Service (webhooks registered by service reference). */
  services: ServiceDirectory;
  /** Internals, for tests and the dev shell. */
  api: Api;
  /**
   * What the emulator is doing right now: requests being answered (watches excluded) and whether
   * a background snapshot is being written. A benchmark samples only while both are quiet.
   */
  activity(): { inflight: number; persisting: boolean };
  stop(): Promise<void>;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const host = opts.host ?? '127.0.0.1';
  const registry = new Registry();
  const store = new Store(opts.watchHistory ?? 10_000, (key) => {
    const def = registry.byKey(key);
    return { group: def?.group ?? '', kind: def?.resource ?? key };
  });
  const services = new ServiceDirectory();
  const admission = new Admission(store, services, registry);
  const api = new Api(store, registry, admission);
  installBuiltinHooks(api);
  installCrdHooks(api);
  const server = new ApiServer(api);
  const logs = new LogStore();
  const builds = new BuildController(
    api,
    logs,
    opts.buildTimer?.stepMs ?? 2000,
    opts.buildTimer?.scheduler,
  );
  builds.start(server);

  const state = opts.stateFile && !opts.reset ? loadState(opts.stateFile) : undefined;
  if (state) {
    store.load(state.store);
    registerStoredCrds(api);
    logs.load(state.logs);
  }
  // Idempotent: also brings a restored cluster up to date (e.g. a CRD written since).
  await bootstrap(api);
  if (!state && opts.seed !== false) {
    await seedDemo(api, typeof opts.seed === 'object' ? opts.seed : {});
  }
  store.compact();
  if (state) builds.resume();
  const persistence = opts.stateFile
    ? new Persistence(opts.stateFile, store, logs, opts.persistence)
    : undefined;
  persistence?.flush();
  persistence?.start();

  let inflight = 0;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // A watch is open for minutes and costs nothing while idle: only other requests count.
    if (!/[?&]watch=(1|true)/.test(req.url ?? '')) {
      inflight++;
      res.once('close', () => inflight--);
    }
    void server.handle(req, res);
  };
  // Made at start, never committed: a self-signed certificate is its own CA for kubeconfigs.
  const tls = opts.tls ? makeCert() : undefined;
  const httpServer = tls ? https.createServer(tls, handler) : http.createServer(handler);
  httpServer.on('upgrade', (req, socket, head) => server.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `${opts.tls ? 'https' : 'http'}://${host}:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'userns-cluster-'));
  const caData = tls?.cert.toString('base64');
  const writeKubeconfig = (user: DemoUserName) =>
    writeKubeconfigFile(
      join(dir, `kubeconfig-${user}`),
      kubeconfigYaml(url, DEMO_USERS[user].username, DEMO_USERS[user].token, caData),
    );

  const tokens = Object.fromEntries(
    Object.entries(DEMO_USERS).map(([k, u]) => [k, u.token]),
  ) as Record<DemoUserName, string>;
  return {
    url,
    kubeconfigPath: writeKubeconfig('admin'),
    ca: tls?.cert,
    tokens,
    writeKubeconfig,
    services,
    api,
    activity: () => ({ inflight, persisting: persistence?.busy() ?? false }),
    stop: async () => {
      builds.stop();
      persistence?.stop();
      httpServer.closeAllConnections?.();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // The kubeconfigs hold demo tokens and are useless once the server is gone.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
