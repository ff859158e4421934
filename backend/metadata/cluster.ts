// Build and BuildConfig metadata from the cluster: Builds from the backend's one shared Build
// cache, BuildConfigs from a metadata-only cache (PartialObjectMetadata list + watch), so the
// request path makes no API call at steady state, and one bounded GET on a miss (a Build created a moment before its pod may not have reached the watch yet). Anyone who
// can create a pod chooses the names looked up, so misses are remembered briefly, shared while in
// flight, and rate-bounded: random names cannot turn reviews into a stream of API calls.
import {
  ACCEPT_METADATA,
  ACCEPT_METADATA_LIST,
  KubeError,
  KubeTimeoutError,
  isPathSegmentName,
  objectPath,
  type KubeClient,
} from '../kube/client';
import { Reflector } from '../kube/reflector';
import { metadataOf, type BuildCache } from '../builds/cache';
import type { Logger } from '../log';
import {
  MISS_LIMIT_DEFAULTS,
  type LookupResult,
  type MetadataKind,
  type MetadataLookup,
  type MissLimits,
  type ObjectMetadata,
} from './lookup';

interface PartialObject {
  metadata?: ObjectMetadata & { resourceVersion?: string };
}

const BUILD_CONFIGS_PATH = '/apis/build.openshift.io/v1/buildconfigs';

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

export type MissOptions = Partial<MissLimits> & { now?: () => number };

export class ClusterMetadataLookup implements MetadataLookup {
  private readonly configs: Reflector<PartialObject>;
  private readonly absent = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<LookupResult>>();
  private readonly negativeTtlMs: number;
  private readonly negativeMax: number;
  private readonly rate: number;
  private readonly now: () => number;
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly client: KubeClient,
    /** Shared with the recorder and the compliance API; started here too, stopped by its owner. */
    private readonly builds: BuildCache,
    private readonly log: Logger,
    private readonly lookupTimeoutMs: number,
    misses: MissOptions = {},
  ) {
    this.negativeTtlMs = misses.negativeTtlMs ?? MISS_LIMIT_DEFAULTS.negativeTtlMs;
    this.negativeMax = misses.negativeMax ?? MISS_LIMIT_DEFAULTS.negativeMax;
    this.rate = misses.missesPerSecond ?? MISS_LIMIT_DEFAULTS.missesPerSecond;
    this.now = misses.now ?? Date.now;
    this.tokens = this.rate;
    this.refilledAt = this.now();
    this.configs = new Reflector<PartialObject>({
      client,
      path: BUILD_CONFIGS_PATH,
      accept: { list: ACCEPT_METADATA_LIST, watch: ACCEPT_METADATA },
      log: log.child({ cache: 'BuildConfig' }),
      transform: slim,
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.builds.start(), this.configs.start()]);
  }

  /** Stops the BuildConfig cache; the shared Build cache is its owner's to stop. */
  stop(): void {
    this.configs.stop();
    this.client.close();
  }

  synced(): boolean {
    return this.builds.synced() && this.configs.synced();
  }

  /** Size of each cache, for tests and debugging. */
  sizes(): Record<MetadataKind, number> {
    return { Build: this.builds.size, BuildConfig: this.configs.items.size };
  }

  private cached(kind: MetadataKind, namespace: string, name: string): ObjectMetadata | undefined {
    if (kind === 'BuildConfig') return this.configs.get(namespace, name)?.metadata;
    const record = this.builds.get(namespace, name);
    return record && metadataOf(record);
  }

  async get(kind: MetadataKind, namespace: string, name: string): Promise<LookupResult> {
    const hit = this.cached(kind, namespace, name);
    if (hit) return { kind: 'found', meta: hit };
    // The name comes from the pod's label: no such object can exist, so nothing to ask.
    if (!isPathSegmentName(namespace) || !isPathSegmentName(name)) return { kind: 'absent' };
    const key = `${kind}/${namespace}/${name}`;
    const until = this.absent.get(key);
    if (until !== undefined) {
      if (until > this.now()) return { kind: 'absent' };
      this.absent.delete(key);
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    if (!this.takeToken()) {
      this.log.warn({ kind, namespace, name }, 'metadata lookup throttled');
      return { kind: 'unavailable', why: 'throttled' };
    }
    const lookup = this.fetch(kind, namespace, name).then((result) => {
      if (result.kind === 'absent') this.rememberAbsent(key);
      return result;
    });
    this.inFlight.set(key, lookup);
    try {
      return await lookup;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private takeToken(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private rememberAbsent(key: string): void {
    if (this.absent.size >= this.negativeMax) {
      const oldest = this.absent.keys().next().value;
      if (oldest !== undefined) this.absent.delete(oldest);
    }
    this.absent.set(key, this.now() + this.negativeTtlMs);
  }

  private async fetch(kind: MetadataKind, namespace: string, name: string): Promise<LookupResult> {
    const resource = kind === 'Build' ? 'builds' : 'buildconfigs';
    const path = objectPath('/apis/build.openshift.io/v1', resource, namespace, name);
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
