// The emulator's etcd: objects per resource, one global resourceVersion counter, and a bounded
// history of changes so watches can resume — and get 410 Expired once their version is compacted.
import { alreadyExists, conflict, expired, notFound } from './errors';
import type { KubeObject, WatchEventType } from './types';

export interface StoreEvent {
  type: WatchEventType;
  /** Storage key of the resource, e.g. `pods`, `builds.build.openshift.io`. */
  key: string;
  object: KubeObject;
  /** The object before a MODIFIED or DELETED: selector watches and past lists need it. */
  prev?: KubeObject;
  rv: number;
}

export interface Snapshot {
  resourceVersion: number;
  objects: Record<string, KubeObject[]>;
}

type Describe = (key: string) => { group: string; kind: string };

const objectKey = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;

/** First index in sorted `keys` whose key is > `k` (strict) or >= `k`. */
function bound(keys: readonly string[], k: string, strict: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = keys[mid]!;
    if (m < k || (strict && m === k)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The key range of one namespace ('0' is the character after '/'), or of everything. */
function rangeOf(ns: string | undefined): { from: string; to: string | undefined } {
  return ns === undefined ? { from: '', to: undefined } : { from: `${ns}/`, to: `${ns}0` };
}

/** How a list at an older version differs from now: object at that version, or null if absent. */
interface PastView {
  overrides: Map<string, KubeObject | null>;
  /** Keys that existed at that version but are gone now, sorted. */
  gone: string[];
}

export class Store {
  private rv = 0;
  /** Events at or below this version are gone from history. */
  private compactedRV = 0;
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  private readonly sorted = new Map<string, string[]>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(
    private readonly historySize = 10_000,
    private readonly describe: Describe = () => ({ group: '', kind: '' }),
  ) {}

  get resourceVersion(): number {
    return this.rv;
  }

  /** Oldest version a watch may resume from. */
  get oldestResumableRV(): number {
    return this.compactedRV;
  }

  /** A private copy: callers may mutate it. */
  get(key: string, ns: string | undefined, name: string): KubeObject | undefined {
    const obj = this.tables.get(key)?.get(objectKey(ns, name));
    return obj ? structuredClone(obj) : undefined;
  }

  /** Object keys (`namespace/name`) of a resource in order, kept sorted as objects come and go. */
  private sortedKeys(key: string): string[] {
    let keys = this.sorted.get(key);
    if (!keys) {
      keys = [...(this.tables.get(key)?.keys() ?? [])].sort();
      this.sorted.set(key, keys);
    }
    return keys;
  }

  /** The stored objects, sorted by namespace then name: read-only, never mutate them. */
  list(key: string, ns?: string): readonly KubeObject[] {
    const table = this.tables.get(key);
    if (!table) return [];
    const keys = this.sortedKeys(key);
    const out: KubeObject[] = [];
    const prefix = ns === undefined ? undefined : `${ns}/`;
    for (const k of keys) {
      if (prefix && !k.startsWith(prefix)) continue;
      out.push(table.get(k)!);
    }
    return out;
  }

  /** What changed for `key` since `rv`; undefined when nothing did (the present is the past). */
  private pastView(key: string, ns: string | undefined, rv: number): PastView | undefined {
    if (rv < this.compactedRV) {
      throw expired('The resourceVersion for the provided list is too old.');
    }
    if (rv >= this.rv) return undefined;
    const overrides = new Map<string, KubeObject | null>();
    // Newest first, so the earliest change after rv decides what the object was at rv.
    for (let i = this.history.length - 1; i >= 0; i--) {
      const e = this.history[i]!;
      if (e.rv <= rv) break;
      if (e.key !== key || (ns !== undefined && e.object.metadata.namespace !== ns)) continue;
      const k = objectKey(e.object.metadata.namespace, e.object.metadata.name!);
      overrides.set(k, e.type === 'ADDED' ? null : (e.prev ?? null));
    }
    if (!overrides.size) return undefined;
    const table = this.tables.get(key);
    const gone = [...overrides]
      .filter(([k, o]) => o !== null && !table?.has(k))
      .map(([k]) => k)
      .sort();
    return { overrides, gone };
  }

  /**
   * Visits the objects of one resource (one namespace, or all) in key order, after the key
   * `after`, as they were at `rv`, until `visit` returns false. Costs what it visits, not the size
   * of the resource: a page of a paged list is read in proportion to the page.
   */
  scan(
    key: string,
    ns: string | undefined,
    rv: number,
    after: string | undefined,
    visit: (obj: KubeObject, objectKey: string) => boolean,
  ): void {
    const past = this.pastView(key, ns, rv);
    const table = this.tables.get(key);
    const keys = this.sortedKeys(key);
    const { from, to } = rangeOf(ns);
    const start = (list: readonly string[]) =>
      after !== undefined && after >= from ? bound(list, after, true) : bound(list, from, false);
    const gone = past?.gone ?? [];
    let i = start(keys);
    let j = start(gone);
    for (;;) {
      const a = keys[i];
      const b = gone[j];
      const k = b !== undefined && (a === undefined || b < a) ? b : a;
      if (k === undefined || (to !== undefined && k >= to)) return;
      if (k === b) j++;
      else i++;
      const obj = past?.overrides.has(k) ? past.overrides.get(k) : table?.get(k);
      if (obj && !visit(obj, k)) return;
    }
  }

  /** How many objects `scan` would still visit after `after` (no filter), without visiting them. */
  countAfter(key: string, ns: string | undefined, rv: number, after: string): number {
    const past = this.pastView(key, ns, rv);
    const table = this.tables.get(key);
    const keys = this.sortedKeys(key);
    const { from, to } = rangeOf(ns);
    const lo = after >= from ? bound(keys, after, true) : bound(keys, from, false);
    const hi = to === undefined ? keys.length : bound(keys, to, false);
    let n = Math.max(0, hi - lo);
    for (const [k, o] of past?.overrides ?? []) {
      if (k <= after || k < from || (to !== undefined && k >= to)) continue;
      n += (o !== null ? 1 : 0) - (table?.has(k) ? 1 : 0);
    }
    return n;
  }

  create(key: string, input: KubeObject): KubeObject {
    const obj = structuredClone(input);
    const name = obj.metadata.name!;
    let table = this.tables.get(key);
    if (!table) {
      table = new Map();
      this.tables.set(key, table);
    }
    const k = objectKey(obj.metadata.namespace, name);
    if (table.has(k)) {
      const d = this.describe(key);
      throw alreadyExists(key, name, d.group, d.kind);
    }
    obj.metadata.resourceVersion = String(++this.rv);
    table.set(k, obj);
    const keys = this.sorted.get(key);
    if (keys) keys.splice(bound(keys, k, false), 0, k);
    this.emit({ type: 'ADDED', key, object: obj, rv: this.rv });
    return structuredClone(obj);
  }

  /**
   * Replaces an object. A resourceVersion on the input must equal the stored one (optimistic
   * concurrency); an empty one means an unconditional update, as the API server allows.
   */
  update(key: string, input: KubeObject): KubeObject {
    const obj = structuredClone(input);
    const name = obj.metadata.name!;
    const k = objectKey(obj.metadata.namespace, name);
    const table = this.tables.get(key);
    const prev = table?.get(k);
    const d = this.describe(key);
    if (!table || !prev) throw notFound(key, name, d.group, d.kind);
    const want = obj.metadata.resourceVersion;
    if (want && want !== prev.metadata.resourceVersion) throw conflict(key, name, d.group, d.kind);
    obj.metadata.resourceVersion = String(++this.rv);
    table.set(k, obj);
    this.emit({ type: 'MODIFIED', key, object: obj, prev, rv: this.rv });
    return structuredClone(obj);
  }

  remove(key: string, ns: string | undefined, name: string): KubeObject {
    const k = objectKey(ns, name);
    const table = this.tables.get(key);
    const prev = table?.get(k);
    if (!table || !prev) {
      const d = this.describe(key);
      throw notFound(key, name, d.group, d.kind);
    }
    table.delete(k);
    const keys = this.sorted.get(key);
    if (keys) {
      const at = bound(keys, k, false);
      if (keys[at] === k) keys.splice(at, 1);
    }
    const obj = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(++this.rv) } };
    this.emit({ type: 'DELETED', key, object: obj, prev, rv: this.rv });
    return structuredClone(obj);
  }

  /** Every live change, for controllers and persistence. */
  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The events after `fromRV` still in history, then live ones through `listener`. Registering
   * and reading the backlog happen in one synchronous step, so no event falls in between.
   */
  watchFrom(
    fromRV: number,
    listener: (e: StoreEvent) => void,
  ): { backlog: StoreEvent[]; cancel: () => void } {
    if (fromRV < this.compactedRV) {
      throw expired(`too old resource version: ${fromRV} (${this.compactedRV + 1})`);
    }
    const backlog = this.history.filter((e) => e.rv > fromRV);
    this.listeners.add(listener);
    return { backlog, cancel: () => this.listeners.delete(listener) };
  }

  snapshot(): Snapshot {
    const objects: Record<string, KubeObject[]> = {};
    for (const key of this.tables.keys()) objects[key] = [...this.list(key)];
    return { resourceVersion: this.rv, objects };
  }

  /** Replaces everything; history starts empty, so older versions are 410 after a restart. */
  load(snap: Snapshot): void {
    this.tables.clear();
    this.sorted.clear();
    this.history.length = 0;
    for (const [key, objs] of Object.entries(snap.objects)) {
      const table = new Map<string, KubeObject>();
      for (const o of objs) table.set(objectKey(o.metadata.namespace, o.metadata.name!), o);
      this.tables.set(key, table);
    }
    this.rv = snap.resourceVersion;
    this.compactedRV = this.rv;
  }

  /** Forgets history up to now: used after seeding so nobody replays 100,000 ADDED events. */
  compact(): void {
    this.history.length = 0;
    this.compactedRV = this.rv;
  }

  /**
   * Stores pre-built objects without events or history: the seed's bulk path. Each object gets
   * its own version so lists and pages stay consistent.
   */
  bulkInsert(key: string, objs: KubeObject[]): void {
    let table = this.tables.get(key);
    if (!table) {
      table = new Map();
      this.tables.set(key, table);
    }
    for (const o of objs) {
      o.metadata.resourceVersion = String(++this.rv);
      table.set(objectKey(o.metadata.namespace, o.metadata.name!), o);
    }
    this.sorted.delete(key);
    this.compactedRV = this.rv;
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > this.historySize) {
      const dropped = this.history.splice(0, this.history.length - this.historySize);
      this.compactedRV = dropped[dropped.length - 1]!.rv;
    }
    for (const l of [...this.listeners]) l(e);
  }
}
