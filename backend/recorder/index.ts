// The recorder as the service runs it: one VerdictRecorder whose writes are switched on and off by
// a LeaderElector, so of several replicas exactly one writes while all of them keep their caches.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { BuildCache } from '../builds/cache';
import type { RecorderConfig } from '../config';
import { KubeClient, type KubeEndpoint } from '../kube/client';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import { LeaderElector } from './lease';
import { VerdictRecorder } from './recorder';

export interface RecorderHandle {
  recorder: VerdictRecorder;
  elector: LeaderElector;
  identity: string;
  start(): Promise<void>;
  /** Steps down (handing the Lease over) and stops watching. */
  stop(): Promise<void>;
}

export function createRecorder(
  endpoint: KubeEndpoint,
  config: RecorderConfig,
  namespace: string,
  log: Logger,
  metrics: Metrics,
  /** The shared Build cache: a verdict someone else changes is noticed there. */
  builds: BuildCache,
): RecorderHandle {
  const identity = config.identity ?? `${hostname()}_${randomUUID().slice(0, 8)}`;
  const client = new KubeClient(endpoint);
  const podClient = new KubeClient(endpoint);
  const recorderLog = log.child({ part: 'recorder', identity });
  const recorder = new VerdictRecorder({
    client,
    podClient,
    log: recorderLog,
    metrics,
    ratePerSecond: config.ratePerSecond,
    concurrency: config.concurrency,
    logBytes: config.logBytes,
  });
  const elector = new LeaderElector({
    client: new KubeClient(endpoint),
    log: recorderLog,
    namespace,
    name: config.leaseName,
    identity,
    leaseDurationSeconds: config.leaseDurationSeconds,
    onChange: (leading) => recorder.setLeading(leading),
  });
  const unlisten = builds.listen({
    upserted: (build) => recorder.observeBuild(build),
    deleted: (build) => recorder.forgetBuild(build),
  });
  return {
    recorder,
    elector,
    identity,
    async start() {
      elector.start();
      await Promise.all([recorder.start(), builds.start()]);
    },
    async stop() {
      await elector.stop(true);
      unlisten();
      recorder.stop();
      client.close();
      podClient.close();
    },
  };
}
