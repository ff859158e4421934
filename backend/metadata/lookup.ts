import type { ObjectMeta } from '@userns-builds/core';

export type MetadataKind = 'Build' | 'BuildConfig';

/** Only what passthrough needs: annotations, and labels (a Build names its BuildConfig there). */
export type ObjectMetadata = Pick<ObjectMeta, 'annotations' | 'labels' | 'name' | 'namespace'>;

export type LookupResult =
  | { kind: 'found'; meta: ObjectMetadata }
  | { kind: 'absent' }
  /**
   * Not answered within the budget, failed, or not asked because misses are over their rate: the
   * review goes on without passthrough.
   */
  | { kind: 'unavailable'; why: 'timeout' | 'error' | 'throttled' };

/** How misses are bounded; the service takes them from its settings (config.ts). */
export interface MissLimits {
  /** How long a 404 is remembered (the watch still delivers the object if it appears). */
  negativeTtlMs: number;
  /** Most names remembered as absent; the oldest are forgotten first. */
  negativeMax: number;
  /** Sustained GETs per second on misses; as many may burst. */
  missesPerSecond: number;
}

export const MISS_LIMIT_DEFAULTS: MissLimits = {
  negativeTtlMs: 5000,
  negativeMax: 10_000,
  missesPerSecond: 20,
};

/** Build and BuildConfig metadata, from caches with a bounded fallback lookup. */
export interface MetadataLookup {
  get(kind: MetadataKind, namespace: string, name: string): Promise<LookupResult>;
  synced(): boolean;
  start(): Promise<void>;
  stop(): void;
}

/** No cluster (policy file mode): nothing to pass through. */
export class NoMetadataLookup implements MetadataLookup {
  async get(): Promise<LookupResult> {
    return { kind: 'absent' };
  }
  synced(): boolean {
    return true;
  }
  async start(): Promise<void> {}
  stop(): void {}
}

/** Fixed answers, for tests and for trying things out; `delayMs` simulates a slow API server. */
export class StaticMetadataLookup implements MetadataLookup {
  constructor(private readonly objects: Map<string, LookupResult>) {}
  static key(kind: MetadataKind, namespace: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }
  async get(kind: MetadataKind, namespace: string, name: string): Promise<LookupResult> {
    return this.objects.get(StaticMetadataLookup.key(kind, namespace, name)) ?? { kind: 'absent' };
  }
  synced(): boolean {
    return true;
  }
  async start(): Promise<void> {}
  stop(): void {}
}
