// The whole local product in one call: builds what is stale, then starts the local cluster, the
// backend (registered as the cluster's mutating webhook) and the console shell. `npm start` and
// the browser tests both use it, so the tests drive exactly what a newcomer sees.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync } from 'node:fs';
import net from 'node:net';
import https from 'node:https';
import { join, resolve } from 'node:path';
import { parse as parseYAML, parseAllDocuments } from 'yaml';
import { withBuildLock } from './build-lock';
import { startConsoleServer } from './console/server';

export const ROOT = resolve(__dirname, '..');
export const PLUGIN_NAME = 'userns-builds';
/** The ConsolePlugin spec.proxy alias the plugin calls the backend by. */
export const BACKEND_PROXY_ALIAS = 'backend';

export interface StackOptions {
  /** 0: every server on a free port (tests). Otherwise the console's port; the rest are free. */
  ports?: 0 | { console?: number; cluster?: number };
  /** Where the cluster keeps its state and the backend its certificate. */
  stateDir?: string;
  /** Start from fresh seed data instead of the saved state. */
  reset?: boolean;
  /** Historical builds to seed on a fresh start (the emulator's default when absent). */
  seedBuilds?: number;
  /** Build phase length in the emulator (tests use a short one). */
  buildStepMs?: number;
  /**
   * Serve these builds instead of dist/ and dev/console/dist (the UI bench's production builds);
   * nothing is built when both are given.
   */
  pluginDist?: string;
  shellDist?: string;
  log?: (line: string) => void;
}

export interface Stack {
  consoleUrl: string;
  clusterUrl: string;
  backendUrl?: string;
  /** Why the backend isn't running, when it isn't. */
  backendError?: string;
  tokens: Record<'admin' | 'developer' | 'auditor', string>;
  kubeconfigPath: string;
  /** Stops only the backend, as an outage would: its webhook stays registered (tests). */
  stopBackend(): Promise<void>;
  /**
   * Another console shell on a free port, on the same cluster and backend, serving another build
   * of the plugin; stopped with the stack. The UI bench compares two builds under one load.
   */
  addConsole(pluginDist: string): Promise<string>;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is in use — is userns-builds already running? set PORT=<another port>`);
    this.name = 'PortInUseError';
  }
}

const newestMtime = (paths: string[]): number => {
  let newest = 0;
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p)) {
        if (entry === 'node_modules' || entry === 'dist') continue;
        walk(join(p, entry));
      }
    } else if (!/\.test\.tsx?$/.test(p)) {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  paths.forEach(walk);
  return newest;
};

const isStale = (output: string, inputs: string[]): boolean =>
  !existsSync(output) || statSync(output).mtimeMs < newestMtime(inputs);

/**
 * Runs `build` when `output` is missing or older than any of `inputs`; says whether it ran. An
 * output the build left as it was (webpack does not rewrite a file whose content is unchanged)
 * is then dated to the build's start, or it would stay stale and every start would build again.
 */
export async function rebuildIfStale(
  output: string,
  inputs: string[],
  build: () => Promise<void>,
): Promise<boolean> {
  if (!isStale(output, inputs)) return false;
  const started = new Date();
  await build();
  if (existsSync(output) && statSync(output).mtimeMs < started.getTime()) {
    utimesSync(output, started, started);
  }
  return true;
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  new Promise<void>((ok, fail) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('exit', (code) =>
      code === 0 ? ok() : fail(new Error(`${cmd} ${args.join(' ')} exited with ${code}`)),
    );
  });

/** Builds the plugin and the shell when their outputs are missing or older than their sources. */
export async function buildIfStale(log: (l: string) => void = console.log): Promise<void> {
  const manifest = join(ROOT, 'dist', 'plugin-manifest.json');
  const pluginInputs = [
    'src',
    'core',
    'locales',
    'console-extensions.json',
    'package.json',
    'webpack.config.ts',
  ].map((p) => join(ROOT, p));
  const shell = join(ROOT, 'dev', 'console', 'dist', 'main.js');
  const shellInputs = [
    ...['app', 'sdk', 'webpack.config.ts', 'index.html'].map((p) =>
      join(ROOT, 'dev', 'console', p),
    ),
    join(ROOT, 'package.json'),
  ];
  if (!isStale(manifest, pluginInputs) && !isStale(shell, shellInputs)) return;
  await withBuildLock(
    join(ROOT, '.dev-state', 'build.lock'),
    async () => {
      // Checked again under the lock: the run we waited for may have built it already.
      await rebuildIfStale(manifest, pluginInputs, () => {
        log('building the plugin (npm run build)…');
        return run('npm', ['run', 'build']);
      });
      await rebuildIfStale(shell, shellInputs, () => {
        log('building the console shell…');
        return run(join(ROOT, 'node_modules', '.bin', 'webpack'), [
          '--config',
          'dev/console/webpack.config.ts',
        ]);
      });
    },
    { onWait: (pid) => log(`waiting for another build (pid ${pid}) to finish…`) },
  );
}

/** Fails with PortInUseError when something already listens on the port. */
export const checkPortFree = (port: number): Promise<void> =>
  new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'EADDRINUSE' ? new PortInUseError(port) : e),
    );
    s.listen(port, '127.0.0.1', () => s.close(() => ok()));
  });

const freePort = (): Promise<number> =>
  new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => ok(port));
    });
  });

/** A self-signed certificate for 127.0.0.1, made once per state directory. */
const ensureCert = (dir: string): { cert: string; key: string } => {
  mkdirSync(dir, { recursive: true });
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  if (!existsSync(cert) || !existsSync(key)) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        '365',
        '-subj',
        '/CN=userns-builds-backend.local',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
  }
  return { cert, key };
};

const kubeRequest = async (
  clusterUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) => {
  const res = await fetch(`${clusterUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json().catch(() => ({}))) as Record<string, unknown>,
  };
};

/** Creates or replaces an object, the way `kubectl apply` would for these simple cases. */
const apply = async (
  clusterUrl: string,
  token: string,
  collection: string,
  obj: { metadata: { name: string } },
) => {
  const created = await kubeRequest(clusterUrl, token, 'POST', collection, obj);
  if (created.status === 409) {
    const current = await kubeRequest(
      clusterUrl,
      token,
      'GET',
      `${collection}/${obj.metadata.name}`,
    );
    const rv = (current.body.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    const put = await kubeRequest(clusterUrl, token, 'PUT', `${collection}/${obj.metadata.name}`, {
      ...obj,
      metadata: { ...obj.metadata, resourceVersion: rv },
    });
    if (put.status >= 300)
      throw new Error(`updating ${collection}/${obj.metadata.name}: ${JSON.stringify(put.body)}`);
  } else if (created.status >= 300) {
    throw new Error(`creating ${collection}/${obj.metadata.name}: ${JSON.stringify(created.body)}`);
  }
};

const waitHealthy = async (url: string, ca: string, child: ChildProcess): Promise<void> => {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the backend exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((done) => {
      const req = https.get(`${url}/healthz`, { ca }, (res) => {
        res.resume();
        done(res.statusCode === 200);
      });
      req.on('error', () => done(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the backend did not become healthy within 60s');
};

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const ports = opts.ports ?? 0;
  const consolePort = ports === 0 ? 0 : (ports.console ?? 9000);
  if (consolePort) await checkPortFree(consolePort);
  const stateDir = opts.stateDir ?? join(ROOT, '.dev-state');
  mkdirSync(stateDir, { recursive: true });

  if (!opts.pluginDist || !opts.shellDist) await buildIfStale(log);

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: Error) => log(`stop: ${e.message}`));
    stops.length = 0;
  };
  try {
    // Imported lazily: the emulator is a sibling work in progress and the shell must not need it
    // at import time (unit tests import this module's helpers).
    const { startCluster } = await import('./cluster');
    const cluster = await startCluster({
      port: ports === 0 ? 0 : (ports.cluster ?? 0),
      stateFile: join(stateDir, 'cluster.json'),
      reset: opts.reset,
      seed: opts.seedBuilds === undefined ? true : { builds: opts.seedBuilds },
      ...(opts.buildStepMs && { buildTimer: { stepMs: opts.buildStepMs } }),
    });
    stops.push(() => cluster.stop());
    const admin = cluster.tokens.admin;

    // The BuildPolicy CRD, as deploy/ installs it (the emulator may already know it).
    const crd = parseYAML(readFileSync(join(ROOT, 'deploy', 'crd', 'buildpolicy.yaml'), 'utf8'));
    await apply(cluster.url, admin, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);

    // deploy/'s API-server policies, as the install applies them: integrity (only the backend
    // writes verdicts on Builds, only the build controller makes build pods) and enforcement (the
    // API server's own check of build pods, after the webhook).
    for (const file of [
      ['integrity', 'integrity.yaml'],
      ['enforcement', 'enforcement.yaml'],
    ]) {
      const docs = parseAllDocuments(readFileSync(join(ROOT, 'deploy', ...file), 'utf8'))
        .map((d) => d.toJS() as { kind: string; metadata: { name: string } } | null)
        .filter((d) => d !== null);
      for (const doc of docs) {
        const plural =
          doc.kind === 'ValidatingAdmissionPolicy'
            ? 'validatingadmissionpolicies'
            : 'validatingadmissionpolicybindings';
        await apply(cluster.url, admin, `/apis/admissionregistration.k8s.io/v1/${plural}`, doc);
      }
    }

    let backendUrl: string | undefined;
    let backendError: string | undefined;
    let stopBackend: () => Promise<void> = () => Promise.resolve();
    let proxiesCa: string | undefined;
    const proxies: Record<string, { url: string; ca: string }> = {};
    const hasBackend = existsSync(join(ROOT, 'backend', 'main.ts'));
    if (hasBackend) {
      const tls = ensureCert(join(stateDir, 'backend-tls'));
      const ca = readFileSync(tls.cert, 'utf8');
      proxiesCa = ca;
      const port = await freePort();
      const child = spawn(
        join(ROOT, 'node_modules', '.bin', 'tsx'),
        [
          'backend/main.ts',
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--tls-cert',
          tls.cert,
          '--tls-key',
          tls.key,
          '--kubeconfig',
          cluster.kubeconfigPath,
          '--namespace',
          'userns-builds',
          '--log-level',
          process.env.USERNS_LOG_LEVEL ?? 'warn',
        ],
        { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
      );
      stops.push(() => stopChild(child));
      stopBackend = () => stopChild(child);
      const url = `https://127.0.0.1:${port}`;
      try {
        await waitHealthy(url, ca, child);
        backendUrl = url;
      } catch (e) {
        // The console and cluster are still worth having (the plugin works without the
        // webhook, as in a cluster without it); say loudly what is missing.
        backendError = (e as Error).message;
        log(`WARNING: the backend did not start (${backendError}); running without the webhook`);
        await stopChild(child);
      }
    }
    if (backendUrl) {
      const ca = proxiesCa!;
      // deploy/'s webhook configuration, pointed at this process instead of the in-cluster Service.
      const mwc = parseYAML(
        readFileSync(join(ROOT, 'deploy', 'webhook', 'mutatingwebhookconfiguration.yaml'), 'utf8'),
      ) as {
        metadata: { name: string; annotations?: Record<string, string> };
        webhooks: { clientConfig: unknown }[];
      };
      delete mwc.metadata.annotations;
      mwc.webhooks.forEach((w) => {
        w.clientConfig = {
          url: `${backendUrl}/mutate`,
          caBundle: Buffer.from(ca).toString('base64'),
        };
      });
      await apply(
        cluster.url,
        admin,
        '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
        mwc,
      );
      proxies[BACKEND_PROXY_ALIAS] = { url: backendUrl, ca };
    } else if (!hasBackend) {
      log(
        'backend/main.ts not found: starting without the backend (no webhook, no compliance API)',
      );
    }
    const consoleOptions = {
      clusterUrl: cluster.url,
      tokens: cluster.tokens,
      pluginName: PLUGIN_NAME,
      pluginDist: opts.pluginDist ?? join(ROOT, 'dist'),
      localesDir: join(ROOT, 'locales'),
      shellDist: opts.shellDist ?? join(ROOT, 'dev', 'console', 'dist'),
      proxies,
    };
    const consoleServer = await startConsoleServer({ ...consoleOptions, port: consolePort });
    stops.push(() => consoleServer.close());
    const addConsole = async (pluginDist: string) => {
      const another = await startConsoleServer({ ...consoleOptions, pluginDist, port: 0 });
      stops.push(() => another.close());
      return another.url;
    };
    return {
      consoleUrl: consoleServer.url,
      clusterUrl: cluster.url,
      backendUrl,
      backendError,
      tokens: cluster.tokens,
      kubeconfigPath: cluster.kubeconfigPath,
      stopBackend: () => stopBackend(),
      addConsole,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
