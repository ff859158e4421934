// Assembles the service from a Config: policy source, metadata lookup, app, server, TLS reload.
// main.ts adds only process concerns (signals, exit codes); tests call startService directly.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { App } from './app';
import type { NamespaceAccess } from './auth/access';
import type { Authenticator } from './auth/tokens';
import { ComplianceApi } from './compliance/api';
import { CursorCodec } from './compliance/cursor';
import type { BuildCache } from './builds/cache';
import { PluginAssets } from './assets';
import type { Config } from './config';
import type { Logger } from './log';
import { NoMetadataLookup, type MetadataLookup } from './metadata/lookup';
import { Metrics } from './metrics';
import { FilePolicySource } from './policy/file';
import type { PolicySource } from './policy/source';
import type { RecorderHandle } from './recorder';
import { WebhookServer } from './server';
import { TlsReloader, expiresAt, loadTlsMaterial } from './tls';

/** What a cluster connection provides; absent in policy-file mode without a cluster. */
export interface ClusterSources {
  /** The cluster BuildPolicy; ignored when a policy file is given. */
  policy: PolicySource;
  /**
   * The one Build cache the metadata lookup, the recorder and the compliance API share: started
   * once here, stopped (with its connection) after all of them.
   */
  builds: { cache: BuildCache; stop(): void };
  metadata: MetadataLookup;
  /** The compliance API's view of callers; its rows are the shared Build cache's index. */
  compliance?: {
    auth: Authenticator;
    access: NamespaceAccess;
    /** Stops the cache and closes connections. */
    stop(): void;
  };
  /** The verdict recorder, when configured. */
  recorder?: RecorderHandle;
}

export interface RunningService {
  port: number;
  app: App;
  server: WebhookServer;
  metrics: Metrics;
  tls: TlsReloader;
  recorder: RecorderHandle | undefined;
  /** Drains and stops everything; resolves when the server is closed. */
  stop(graceMs?: number): Promise<void>;
}

export async function startService(
  config: Config,
  log: Logger,
  /** Builds the cluster sources (given the metrics to report into); undefined: no cluster. */
  cluster: ((metrics: Metrics) => ClusterSources) | undefined,
): Promise<RunningService> {
  const metrics = new Metrics({ processMetrics: true });
  const sources = cluster?.(metrics);
  const policy = config.policyFile
    ? new FilePolicySource({
        path: config.policyFile,
        log,
        onValidity: (valid) => metrics.policyValid.set(valid ? 1 : 0),
      })
    : sources?.policy;
  if (!policy) throw new Error('no policy source'); // parseConfig guarantees one
  const metadata = sources?.metadata ?? new NoMetadataLookup();
  const tlsMaterial = loadTlsMaterial(config.tlsCertPath, config.tlsKeyPath);
  const assets = config.pluginDir ? PluginAssets.load(config.pluginDir) : undefined;

  const app = new App({
    log,
    metrics,
    policy,
    metadata,
    maxBodyBytes: config.maxBodyBytes,
    ownNamespace: config.namespace,
    trustedCreators: config.trustedCreators,
    assets,
  });
  const server = new WebhookServer(app, tlsMaterial, log, config);
  metrics.certificateExpiry.set(expiresAt(tlsMaterial));
  const compliance = sources?.compliance;
  const builds = sources?.builds.cache;
  if (compliance && builds) {
    const api = new ComplianceApi({
      index: builds.index,
      synced: () => builds.synced(),
      auth: compliance.auth,
      access: compliance.access,
      cursors: new CursorCodec(
        config.continueKeyFile ? { key: continueKey(readFileSync(config.continueKeyFile)) } : {},
      ),
      log: log.child({ api: 'compliance' }),
    });
    for (const route of api.routes()) app.router.add(route);
    app.readinessChecks.set('compliance', () => builds.synced());
  }
  const tls = new TlsReloader({
    certPath: config.tlsCertPath,
    keyPath: config.tlsKeyPath,
    initial: tlsMaterial,
    apply: (m) => {
      server.setTls(m);
      metrics.certificateExpiry.set(expiresAt(m));
    },
    log,
  });
  // Sources start in the background: /readyz says when they have synced; until then reviews use
  // what is there (no policy = change nothing), which is the failurePolicy Ignore behaviour anyway.
  metrics.policyGenerationSource = () => policy.current().generation;
  void policy.start().catch((err) => log.error({ err }, 'policy source failed to start'));
  void builds?.start().catch((err) => log.error({ err }, 'the Build cache failed to start'));
  void metadata.start().catch((err) => log.error({ err }, 'metadata caches failed to start'));
  const recorder = sources?.recorder;
  if (recorder) recorder.recorder.policyInForce = () => policy.current().policy;
  void recorder?.start().catch((err) => log.error({ err }, 'verdict recorder failed to start'));
  tls.start();
  const port = await server.listen(config.port, config.host);
  log.info(
    {
      port,
      policy: config.policyFile ? 'file' : 'cluster',
      cluster: config.cluster?.kind ?? 'none',
      recorder: recorder ? recorder.identity : 'off',
    },
    'listening',
  );

  return {
    port,
    app,
    server,
    metrics,
    tls,
    recorder,
    async stop(graceMs = config.shutdownGraceMs) {
      tls.stop();
      // First, so a peer takes the Lease over while this one drains its requests.
      await recorder?.stop();
      const { forced } = await server.shutdown(graceMs);
      policy.stop();
      metadata.stop();
      compliance?.stop();
      sources?.builds.stop();
      log.info({ forced }, 'stopped');
    },
  };
}

/**
 * The continue-token key from a file every replica has. Derived rather than used as is, so the
 * file may be one that exists for another purpose (the Deployment points at the serving key, the
 * same Secret on every replica) without that key itself signing anything.
 */
function continueKey(material: Buffer): Buffer {
  return createHmac('sha256', material).update('userns-builds/continue-tokens/v1').digest();
}
