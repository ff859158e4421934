// The Builds the API answers from, kept sorted three ways so that a page is found by binary search
// and read in proportion to its size (keyset paging). The sort keys — creation time, namespace,
// name — never change for a Build, so a verdict written later replaces a row in place and a new
// Build is one insertion: no re-sort, no list per request.
import type { ReflectorSink } from '../kube/reflector';
import type { BuildRow } from './rows';
import type { Sort } from './query';
import { tally, type Tallies } from './summary';

export type Order = 'created' | 'namespace' | 'name';

/** The part of a row that places it in every order. */
export type RowKey = Pick<BuildRow, 'createdMs' | 'namespace' | 'name'>;

const str = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const COMPARE: Record<Order, (a: RowKey, b: RowKey) => number> = {
  created: (a, b) =>
    a.createdMs - b.createdMs || str(a.namespace, b.namespace) || str(a.name, b.name),
  namespace: (a, b) => str(a.namespace, b.namespace) || str(a.name, b.name),
  name: (a, b) => str(a.name, b.name) || str(a.namespace, b.namespace),
};

export function orderOf(sort: Sort): { order: Order; descending: boolean } {
  const descending = sort.startsWith('-');
  return { order: (descending ? sort.slice(1) : sort) as Order, descending };
}

/** First index whose row sorts after `key` (upper bound). */
export function after(rows: readonly RowKey[], key: RowKey, cmp: (a: RowKey, b: RowKey) => number) {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(rows[mid] as RowKey, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose row does not sort before `key` (lower bound). */
export function atOrAfter(
  rows: readonly RowKey[],
  key: RowKey,
  cmp: (a: RowKey, b: RowKey) => number,
) {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(rows[mid] as RowKey, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class BuildIndex implements ReflectorSink<BuildRow | undefined> {
  private readonly sorted: Record<Order, BuildRow[]> = { created: [], namespace: [], name: [] };
  /** Counts per namespace, BuildConfig and day, kept with every change (see summarizeTallies). */
  readonly tallies: Tallies = new Map();

  get size(): number {
    return this.sorted.created.length;
  }

  /** Rows in one order, ascending: read-only, and only until the next change. */
  rows(order: Order): readonly BuildRow[] {
    return this.sorted[order];
  }

  replaced(items: ReadonlyMap<string, BuildRow | undefined>): void {
    const rows = [...items.values()].filter((r): r is BuildRow => r !== undefined);
    this.tallies.clear();
    for (const r of rows) tally(this.tallies, r, 1);
    for (const order of Object.keys(COMPARE) as Order[]) {
      this.sorted[order] = [...rows].sort(COMPARE[order]);
    }
  }

  upserted(_key: string, value: BuildRow | undefined, prev: BuildRow | undefined): void {
    if (prev) tally(this.tallies, prev, -1);
    if (value) tally(this.tallies, value, 1);
    if (prev && value && COMPARE.created(prev, value) === 0) {
      for (const order of Object.keys(COMPARE) as Order[]) {
        const list = this.sorted[order];
        const i = atOrAfter(list, prev, COMPARE[order]);
        if (list[i] === prev) list[i] = value;
      }
      return;
    }
    if (prev) this.remove(prev);
    if (value) {
      for (const order of Object.keys(COMPARE) as Order[]) {
        const list = this.sorted[order];
        list.splice(after(list, value, COMPARE[order]), 0, value);
      }
    }
  }

  deleted(_key: string, prev: BuildRow | undefined): void {
    if (!prev) return;
    tally(this.tallies, prev, -1);
    this.remove(prev);
  }

  private remove(row: BuildRow): void {
    for (const order of Object.keys(COMPARE) as Order[]) {
      const list = this.sorted[order];
      const i = atOrAfter(list, row, COMPARE[order]);
      if (list[i] === row) list.splice(i, 1);
    }
  }
}

export interface Page {
  items: BuildRow[];
  /** Set when at least one more matching row follows the page. */
  last: BuildRow | undefined;
}

/**
 * Up to `limit` rows that pass `test`, in `sort` order, starting after `from` (a key from the
 * previous page). A row sorting after `from` is in a later page even if it was added meanwhile;
 * a row at or before it never is: no duplicates, no skips, whatever is inserted between calls.
 */
export function readPage(
  index: BuildIndex,
  sort: Sort,
  from: RowKey | undefined,
  test: (r: BuildRow) => boolean,
  limit: number,
): Page {
  const { order, descending } = orderOf(sort);
  const rows = index.rows(order);
  const cmp = COMPARE[order];
  const items: BuildRow[] = [];
  const step = descending ? -1 : 1;
  let i = descending
    ? (from ? atOrAfter(rows, from, cmp) : rows.length) - 1
    : from
      ? after(rows, from, cmp)
      : 0;
  for (; i >= 0 && i < rows.length; i += step) {
    const row = rows[i] as BuildRow;
    if (!test(row)) continue;
    if (items.length === limit) return { items, last: items[items.length - 1] };
    items.push(row);
  }
  return { items, last: undefined };
}
