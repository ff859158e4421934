// Editing a Kubernetes object as plain JSON: immutable reads and writes by path, the view of it an
// editor compares (server-managed fields removed), field-level diffs and a three-way rebase for
// reapplying an edit onto a newer server version. Pure: no React, no SDK.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type PathSegment = string | number;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getIn(value: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isObject(current) && typeof segment === 'string') current = current[segment];
    else return undefined;
  }
  return current;
}

/**
 * A copy of `root` with `value` at `path` (parents created as objects); `undefined` removes the
 * key. Only the objects along the path are copied.
 */
export function setIn(root: unknown, path: readonly PathSegment[], value: unknown): JsonObject {
  const [head, ...rest] = path;
  const base: JsonObject = isObject(root) ? { ...root } : {};
  if (head === undefined) return isObject(value) ? value : base;
  const key = String(head);
  if (rest.length === 0) {
    if (value === undefined)
      return Object.fromEntries(Object.entries(base).filter(([k]) => k !== key));
    base[key] = value as Json;
    return base;
  }
  base[key] = setIn(base[key], rest, value);
  return base;
}

/** Metadata the server owns: never part of what an editor shows as a change. */
const SERVER_METADATA = [
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
] as const;

/** What the user edits: the object without status and server-owned metadata. */
export function editableView(resource: unknown): JsonObject {
  if (!isObject(resource)) return {};
  const { status: _status, ...rest } = resource;
  if (!isObject(rest.metadata)) return rest;
  const serverOwned: readonly string[] = SERVER_METADATA;
  const metadata = Object.fromEntries(
    Object.entries(rest.metadata).filter(([key]) => !serverOwned.includes(key)),
  );
  return { ...rest, metadata };
}

export interface Change {
  /** Dotted path with [index] / ["key"] where a plain dot would be ambiguous. */
  path: string;
  segments: PathSegment[];
  kind: 'added' | 'removed' | 'changed';
  before?: Json;
  after?: Json;
}

const SIMPLE_KEY = /^[A-Za-z_$][\w$]*$/;

export function formatPath(segments: readonly PathSegment[]): string {
  return segments
    .map((s, i) => {
      if (typeof s === 'number') return `[${s}]`;
      if (SIMPLE_KEY.test(s)) return i === 0 ? s : `.${s}`;
      return `[${JSON.stringify(s)}]`;
    })
    .join('');
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]))
    );
  }
  return false;
}

/**
 * Leaf-level changes from `before` to `after`, in `after`'s key order then removed keys. Objects
 * are walked; arrays and scalars are compared whole (an edited list is one change, which is how
 * an admin reads "exempt namespaces" or "env").
 */
export function diffObjects(before: unknown, after: unknown, prefix: PathSegment[] = []): Change[] {
  if (jsonEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const changes: Change[] = [];
    for (const key of Object.keys(after)) {
      changes.push(...diffObjects(before[key], after[key], [...prefix, key]));
    }
    for (const key of Object.keys(before)) {
      if (!(key in after)) changes.push(...diffObjects(before[key], undefined, [...prefix, key]));
    }
    return changes;
  }
  const segments = [...prefix];
  const path = formatPath(segments);
  if (before === undefined) return [{ path, segments, kind: 'added', after: after as Json }];
  if (after === undefined) return [{ path, segments, kind: 'removed', before: before as Json }];
  return [{ path, segments, kind: 'changed', before: before as Json, after: after as Json }];
}

export interface Rebase {
  /** `theirs` with every change of `mine` (relative to `base`) applied on top. */
  merged: JsonObject;
  /** Paths both sides changed, to different values: `mine` won, and the user should look. */
  conflicts: Change[];
}

/**
 * Reapplies the user's edit (base → mine) onto the server's newer version (base → theirs). Where
 * both changed the same field differently the user's value wins, and the field is reported.
 */
export function rebase(base: unknown, mine: unknown, theirs: unknown): Rebase {
  const ours = diffObjects(editableView(base), editableView(mine));
  const server = diffObjects(editableView(base), editableView(theirs));
  let merged: JsonObject = isObject(theirs) ? theirs : {};
  const conflicts: Change[] = [];
  for (const change of ours) {
    const serverChange = server.find(
      (s) => isPrefix(s.segments, change.segments) || isPrefix(change.segments, s.segments),
    );
    const theirValue = getIn(theirs, change.segments);
    if (serverChange && !jsonEqual(theirValue, change.after)) {
      conflicts.push({ ...change, before: theirValue as Json });
    }
    merged = setIn(merged, change.segments, change.after);
  }
  return { merged, conflicts };
}

function isPrefix(prefix: readonly PathSegment[], path: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => s === path[i]);
}

/** Entries of a string map as the form lists them (non-string values are shown as JSON). */
export function mapEntries(map: unknown): [string, string][] {
  if (!isObject(map)) return [];
  return Object.entries(map).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
}

/**
 * Renames a key in place (order kept). Refuses, returning undefined, when the new key is taken:
 * two rows may not silently become one.
 */
export function renameKey(map: unknown, from: string, to: string): JsonObject | undefined {
  const source = isObject(map) ? map : {};
  if (from === to) return { ...source };
  if (Object.prototype.hasOwnProperty.call(source, to)) return undefined;
  return Object.fromEntries(Object.entries(source).map(([k, v]) => [k === from ? to : k, v]));
}

/** The first key of the form `prefix`, `prefix-2`, … that the map does not have. */
export function freeKey(map: unknown, prefix = ''): string {
  const source = isObject(map) ? map : {};
  let candidate = prefix;
  for (let i = 2; Object.prototype.hasOwnProperty.call(source, candidate); i++) {
    candidate = `${prefix}-${i}`;
  }
  return candidate;
}
