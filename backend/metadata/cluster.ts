// Build and BuildConfig metadata from the cluster: metadata-only caches (PartialObjectMetadata
// list + watch) so the request path makes no API call at steady state, and one bounded GET on a
// miss (a Build created a moment before its pod may not have reached the watch yet).
import {
  ACCEPT_METADATA,
  ACCEPT_METADATA_LIST,
  KubeError,
  KubeTimeoutError,
  isPathSegmentName,
  type KubeClient,
} from '../kube/client';
import { Reflector } from '../kube/reflector';
import type { Logger } from '../log';
import type { LookupResult, MetadataKind, MetadataLookup, ObjectMetadata } from './lookup';

interface PartialObject {
  metadata?: ObjectMetadata & { resourceVersion?: string };
}

const PATHS: Record<MetadataKind, string> = {
  Build: '/apis/build.openshift.io/v1/builds',
  BuildConfig: '/apis/build.openshift.io/v1/buildconfigs',
};

/** Only the fields passthrough reads (and the keys): caches of 100,000 Builds stay small. */
function slim(obj: PartialObject): PartialObject {
  const m = obj.metadata ?? {};
  return {
    metadata: {
      name: m.name,
      namespace: m.namespace,
      resourceVersion: m.resourceVersion,
      ...(m.annotations ? { annotations: m.annotations } : {}),
      ...(m.labels ? { labels: m.labels } : {}),
    },
  };
}

export class ClusterMetadataLookup implements MetadataLookup {
  private readonly caches: Record<MetadataKind, Reflector<PartialObject>>;

  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
    private readonly lookupTimeoutMs: number,
  ) {
    const reflector = (kind: MetadataKind) =>
      new Reflector<PartialObject>({
        client,
        path: PATHS[kind],
        accept: { list: ACCEPT_METADATA_LIST, watch: ACCEPT_METADATA },
        log: log.child({ cache: kind }),
        transform: slim,
      });
    this.caches = { Build: reflector('Build'), BuildConfig: reflector('BuildConfig') };
  }

  async start(): Promise<void> {
    await Promise.all([this.caches.Build.start(), this.caches.BuildConfig.start()]);
  }

  stop(): void {
    this.caches.Build.stop();
    this.caches.BuildConfig.stop();
    this.client.close();
  }

  synced(): boolean {
    return this.caches.Build.synced() && this.caches.BuildConfig.synced();
  }

  /** Size of each cache, for tests and debugging. */
  sizes(): Record<MetadataKind, number> {
    return { Build: this.caches.Build.items.size, BuildConfig: this.caches.BuildConfig.items.size };
  }

  async get(kind: MetadataKind, namespace: string, name: string): Promise<LookupResult> {
    const hit = this.caches[kind].get(namespace, name);
    if (hit?.metadata) return { kind: 'found', meta: hit.metadata };
    // The name comes from the pod's label: no such object can exist, so nothing to ask.
    if (!isPathSegmentName(namespace) || !isPathSegmentName(name)) return { kind: 'absent' };
    const path = `/apis/build.openshift.io/v1/namespaces/${encodeURIComponent(namespace)}/${kind === 'Build' ? 'builds' : 'buildconfigs'}/${encodeURIComponent(name)}`;
    try {
      const obj = await this.client.request<PartialObject>('GET', path, {
        accept: ACCEPT_METADATA,
        timeoutMs: this.lookupTimeoutMs,
      });
      return { kind: 'found', meta: slim(obj).metadata ?? {} };
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return { kind: 'absent' };
      const why = err instanceof KubeTimeoutError ? 'timeout' : 'error';
      this.log.warn(
        { kind, namespace, name, problem: (err as Error).message },
        'metadata lookup failed',
      );
      return { kind: 'unavailable', why };
    }
  }
}
