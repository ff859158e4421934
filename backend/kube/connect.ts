// Production wiring: @kubernetes/client-node's KubeConfig (kubeconfig file or in-cluster service
// account) supplies TLS and credentials; our KubeClient does the requests.
import { KubeConfig } from '@kubernetes/client-node';
import type https from 'node:https';
import { NamespaceAccess } from '../auth/access';
import { Authenticator } from '../auth/tokens';
import { BuildCache } from '../builds/cache';
import type { Config } from '../config';
import type { Logger } from '../log';
import { ClusterMetadataLookup } from '../metadata/cluster';
import type { Metrics } from '../metrics';
import { ClusterPolicySource } from '../policy/cluster';
import { createRecorder } from '../recorder';
import type { ClusterSources } from '../service';
import { KubeClient, type KubeEndpoint } from './client';

export function endpointFromKubeConfig(kc: KubeConfig): KubeEndpoint {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  return {
    server: cluster.server,
    async prepare(opts: https.RequestOptions) {
      await kc.applyToHTTPSOptions(opts);
      // KubeConfig builds a fresh agent per call; KubeClient pools connections itself.
      delete opts.agent;
    },
  };
}

export function loadKubeConfig(config: Config): KubeConfig {
  const kc = new KubeConfig();
  if (config.cluster?.kind === 'kubeconfig') kc.loadFromFile(config.cluster.path);
  else kc.loadFromCluster();
  return kc;
}

export function clusterSources(
  endpoint: KubeEndpoint,
  config: Pick<Config, 'lookupTimeoutMs' | 'lookupMisses' | 'authCacheTtlMs'> &
    Partial<Pick<Config, 'recorder' | 'namespace'>>,
  log: Logger,
  metrics?: Metrics,
): ClusterSources {
  const buildsClient = new KubeClient(endpoint);
  // One list and watch of all Builds for the webhook's lookups, the recorder and the API.
  const builds = new BuildCache(buildsClient, log);
  return {
    builds: { cache: builds, stop: () => (builds.stop(), buildsClient.close()) },
    ...(config.recorder && config.namespace && metrics
      ? {
          recorder: createRecorder(
            endpoint,
            config.recorder,
            config.namespace,
            log,
            metrics,
            builds,
          ),
        }
      : {}),
    policy: new ClusterPolicySource({
      client: new KubeClient(endpoint),
      log,
      onValidity: (valid) => metrics?.policyValid.set(valid ? 1 : 0),
    }),
    metadata: new ClusterMetadataLookup(
      new KubeClient(endpoint),
      builds,
      log,
      config.lookupTimeoutMs,
      config.lookupMisses,
    ),
    compliance: compliance(new KubeClient(endpoint), config),
  };
}

function compliance(
  client: KubeClient,
  config: Pick<Config, 'lookupTimeoutMs' | 'authCacheTtlMs'>,
): NonNullable<ClusterSources['compliance']> {
  // Reviews are small and answered from the API server's memory: a short budget fits.
  const budget = {
    ttlMs: config.authCacheTtlMs,
    timeoutMs: Math.max(config.lookupTimeoutMs, 2000),
  };
  return {
    auth: new Authenticator(client, budget),
    access: new NamespaceAccess(client, budget),
    stop: () => client.close(),
  };
}

/** Loads credentials now (so a bad kubeconfig fails start-up); sources are built with the metrics. */
export function connectCluster(config: Config, log: Logger): (metrics: Metrics) => ClusterSources {
  let kc: KubeConfig;
  try {
    kc = loadKubeConfig(config);
  } catch (err) {
    throw new Error(
      `cannot load cluster credentials (${config.cluster?.kind}): ${(err as Error).message}`,
    );
  }
  const endpoint = endpointFromKubeConfig(kc);
  return (metrics) => clusterSources(endpoint, config, log, metrics);
}
