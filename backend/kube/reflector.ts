// List-then-watch into an in-memory map, the informer pattern: page through a list, watch from its
// resourceVersion, follow bookmarks, relist on 410 Gone, back off on errors. Keyed namespace/name.
import type { Logger } from '../log';
import { KubeError, type KubeClient, type WatchEvent } from './client';

interface Meta {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

interface ListPage<T> {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: T[];
}

/** Told about every change to a reflector's map, for indexes kept beside it. */
export interface ReflectorSink<S> {
  /** After a (re)list has replaced everything. */
  replaced(items: ReadonlyMap<string, S>): void;
  /** After a watch event stored `value` under `key`; `prev` is what it replaced. */
  upserted(key: string, value: S, prev: S | undefined): void;
  /** After a watch event removed `key`. */
  deleted(key: string, prev: S): void;
}

export interface ReflectorOptions<T, S = T> {
  client: KubeClient;
  /** Collection path, e.g. /apis/build.openshift.io/v1/builds (all namespaces). */
  path: string;
  accept: { list: string; watch: string };
  log: Logger;
  /** Keeps only what is needed of each object (metadata caches store a few fields). */
  transform?: (obj: T) => S;
  /** Incremental change notifications (onChange only says that something changed). */
  sink?: ReflectorSink<S>;
  /** Called after the initial list, after every relist, and after every event. */
  onChange?: () => void;
  /**
   * Called for every object a list returns (as ADDED) and every watch event, with the object as
   * stored (after transform). Must be cheap: it runs inside the watch stream's handler.
   */
  onEvent?: (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: S) => void;
  /** Extra query parameters for list and watch, e.g. a labelSelector. */
  query?: Record<string, string>;
  /** A 404 on list (e.g. the CRD is not installed yet) counts as an empty, synced collection. */
  missingIsEmpty?: boolean;
  pageSize?: number;
  backoff?: { minMs: number; maxMs: number };
  /** Server-side watch timeout; the watch is simply renewed after it. */
  watchTimeoutSeconds?: number;
}

export function keyOf(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

export class Reflector<T extends Meta, S = T> {
  readonly items = new Map<string, S>();
  private isSynced = false;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private markSynced: () => void = () => {};
  private readonly firstSync = new Promise<void>((resolve) => (this.markSynced = resolve));

  constructor(private readonly o: ReflectorOptions<T, S>) {}

  synced(): boolean {
    return this.isSynced;
  }

  get(namespace: string, name: string): S | undefined {
    return this.items.get(keyOf(namespace, name));
  }

  /** Starts in the background; resolves once the first list has completed (or on stop()). */
  start(): Promise<void> {
    this.running ??= this.run();
    const stopped = new Promise<void>((resolve) =>
      this.abort.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    return Promise.race([this.firstSync, stopped]);
  }

  stop(): void {
    this.abort.abort();
  }

  private changed(): void {
    try {
      this.o.onChange?.();
    } catch (err) {
      this.o.log.error({ err, path: this.o.path }, 'reflector change handler failed');
    }
  }

  private async run(): Promise<void> {
    const { backoff = { minMs: 200, maxMs: 10_000 } } = this.o;
    let delay = backoff.minMs;
    while (!this.abort.signal.aborted) {
      let resourceVersion: string | undefined;
      try {
        resourceVersion = await this.list();
        delay = backoff.minMs;
        if (resourceVersion === undefined) {
          await this.sleep(delay * 10); // collection missing: look again later
          continue;
        }
        for (;;) {
          if (this.abort.signal.aborted) return;
          const result = await this.watchOnce(resourceVersion);
          if (result.expired) break; // 410 Gone: our version is compacted away, relist
          resourceVersion = result.resourceVersion;
        }
      } catch (err) {
        if (this.abort.signal.aborted) return;
        const expired = err instanceof KubeError && err.status === 410;
        if (!expired) {
          this.o.log.warn(
            { path: this.o.path, problem: (err as Error).message, retryMs: delay },
            'list/watch failed; retrying',
          );
          await this.sleep(delay);
          delay = Math.min(delay * 2, backoff.maxMs);
        }
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Pages through the collection and swaps the cache in one go. undefined: collection missing. */
  private async list(): Promise<string | undefined> {
    const fresh = new Map<string, S>();
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const q = new URLSearchParams({ ...this.o.query, limit: String(this.o.pageSize ?? 500) });
      if (token) q.set('continue', token);
      let page: ListPage<T>;
      try {
        page = await this.o.client.request<ListPage<T>>('GET', `${this.o.path}?${q}`, {
          accept: this.o.accept.list,
          timeoutMs: 30_000,
        });
      } catch (err) {
        if (this.o.missingIsEmpty && err instanceof KubeError && err.status === 404) {
          this.items.clear();
          this.o.sink?.replaced(this.items);
          this.isSynced = true;
          this.markSynced();
          this.changed();
          return undefined;
        }
        throw err;
      }
      for (const item of page.items ?? []) this.put(fresh, item);
      token = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (token);
    this.items.clear();
    for (const [k, v] of fresh) this.items.set(k, v);
    this.o.sink?.replaced(this.items);
    this.isSynced = true;
    this.markSynced();
    for (const v of fresh.values()) this.emit('ADDED', v);
    this.changed();
    return resourceVersion;
  }

  private put(map: Map<string, S>, item: T): { key: string; value: S } {
    const value = this.o.transform ? this.o.transform(item) : (item as unknown as S);
    const key = keyOf(item.metadata?.namespace, item.metadata?.name);
    map.set(key, value);
    return { key, value };
  }

  private emit(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: S): void {
    if (!this.o.onEvent) return;
    try {
      this.o.onEvent(type, obj);
    } catch (err) {
      this.o.log.error({ err, path: this.o.path }, 'reflector event handler failed');
    }
  }

  private async watchOnce(from: string): Promise<{ expired: boolean; resourceVersion: string }> {
    let resourceVersion = from;
    let expired = false;
    const q = new URLSearchParams({
      ...this.o.query,
      watch: 'true',
      resourceVersion: from,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(this.o.watchTimeoutSeconds ?? 300),
    });
    const onEvent = (e: WatchEvent) => {
      if (e.type === 'ERROR') {
        if (e.object?.code === 410) expired = true;
        else this.o.log.warn({ path: this.o.path, status: e.object?.message }, 'watch error event');
        return;
      }
      const rv = e.object?.metadata?.resourceVersion;
      if (typeof rv === 'string' && rv) resourceVersion = rv;
      if (e.type === 'BOOKMARK') return;
      const key = keyOf(e.object?.metadata?.namespace, e.object?.metadata?.name);
      const prev = this.items.get(key);
      if (e.type === 'DELETED') {
        this.items.delete(key);
        if (prev !== undefined) this.o.sink?.deleted(key, prev);
        this.emit(
          'DELETED',
          this.o.transform ? this.o.transform(e.object as T) : (e.object as unknown as S),
        );
      } else {
        const { value } = this.put(this.items, e.object as T);
        this.o.sink?.upserted(key, value, prev);
        this.emit(e.type, value);
      }
      this.changed();
    };
    await this.o.client.watch(
      `${this.o.path}?${q}`,
      this.o.accept.watch,
      onEvent,
      this.abort.signal,
    );
    return { expired, resourceVersion };
  }
}
