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

  /** The stored objects, sorted by namespace then name: read-only, never mutate them. */
  list(key: string, ns?: string): readonly KubeObject[] {
    const table = this.tables.get(key);
    if (!table) return [];
    let keys = this.sorted.get(key);
    if (!keys) {
      keys = [...table.keys()].sort();
      this.sorted.set(key, keys);
    }
    const out: KubeObject[] = [];
    const prefix = ns === undefined ? undefined : `${ns}/`;
    for (const k of keys) {
      if (prefix && !k.startsWith(prefix)) continue;
      out.push(table.get(k)!);
    }
    return out;
  }

  /**
   * The objects as they were at `rv` (a list with `resourceVersionMatch=Exact`, or the later pages
   * of a paged list), rebuilt by undoing the kept history; 410 Expired once it is compacted.
   */
  listAt(key: string, ns: string | undefined, rv: number): readonly KubeObject[] {
    if (rv < this.compactedRV) {
      throw expired('The resourceVersion for the provided list is too old.');
    }
    const later = this.history.filter((e) => e.rv > rv && e.key === key);
    if (!later.length) return this.list(key, ns);
    const past = new Map<string, KubeObject>();
    for (const o of this.list(key, ns))
      past.set(objectKey(o.metadata.namespace, o.metadata.name!), o);
    for (const e of later.reverse()) {
      if (ns !== undefined && e.object.metadata.namespace !== ns) continue;
      const k = objectKey(e.object.metadata.namespace, e.object.metadata.name!);
      if (e.type === 'ADDED') past.delete(k);
      else if (e.prev) past.set(k, e.prev);
    }
    return [...past.keys()].sort().map((k) => past.get(k)!);
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
    this.sorted.delete(key);
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
    this.sorted.delete(key);
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
