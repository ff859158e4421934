// Keyset paging over the index: every order, descending and ascending, with rows inserted and
// verdicts rewritten between pages. Each row present at the start is returned exactly once.
import fc from 'fast-check';
import { BuildIndex, readPage, type RowKey } from './build-index';
import { SORTS, type Sort } from './query';
import type { BuildRow } from './rows';
import { summarize, summarizeTallies } from './summary';

const row = (namespace: string, name: string, createdMs: number, over: Partial<BuildRow> = {}) =>
  ({
    namespace,
    name,
    buildConfig: 'bc',
    strategy: 'Docker',
    phase: 'Complete',
    created: new Date(createdMs).toISOString(),
    createdMs,
    verdict: 'Unknown',
    evidence: null,
    decisionSource: null,
    ...over,
  }) satisfies BuildRow;

const key = (r: RowKey) => `${r.namespace}/${r.name}`;

function indexOf(rows: BuildRow[]): BuildIndex {
  const index = new BuildIndex();
  index.replaced(new Map(rows.map((r) => [key(r), r])));
  return index;
}

test('pages follow the order asked for, newest first by default, ties broken by namespace/name', () => {
  const index = indexOf([row('b', 'x', 2), row('a', 'y', 2), row('a', 'z', 1), row('c', 'w', 3)]);
  const all = (sort: Sort) => readPage(index, sort, undefined, () => true, 10).items.map(key);
  expect(all('-created')).toEqual(['c/w', 'b/x', 'a/y', 'a/z']);
  expect(all('created')).toEqual(['a/z', 'a/y', 'b/x', 'c/w']);
  expect(all('name')).toEqual(['c/w', 'b/x', 'a/y', 'a/z']);
  expect(all('-namespace')).toEqual(['c/w', 'b/x', 'a/z', 'a/y']);
});

test('a page says whether another matching row follows, skipping rows that do not match', () => {
  const index = indexOf([row('a', 'one', 1), row('a', 'two', 2), row('b', 'three', 3)]);
  const onlyA = (r: BuildRow) => r.namespace === 'a';
  const first = readPage(index, 'created', undefined, onlyA, 1);
  expect(first.items.map(key)).toEqual(['a/one']);
  expect(first.last && key(first.last)).toBe('a/one');
  const second = readPage(index, 'created', first.last, onlyA, 1);
  expect(second.items.map(key)).toEqual(['a/two']);
  expect(second.last).toBeUndefined(); // b/three follows but does not match
});

test('a modified row keeps its place; a deleted one leaves every order', () => {
  const a = row('a', 'one', 1);
  const index = indexOf([a, row('a', 'two', 2)]);
  const updated = { ...a, verdict: 'Privileged' as const };
  index.upserted('a/one', updated, a);
  expect(readPage(index, 'name', undefined, () => true, 5).items[0]).toBe(updated);
  index.deleted('a/one', updated);
  for (const sort of SORTS) {
    expect(readPage(index, sort, undefined, () => true, 5).items.map(key)).toEqual(['a/two']);
  }
  expect(index.size).toBe(1);
});

test('property: a walk sees every pre-existing row exactly once while rows are added and rewritten', () => {
  const names = fc.stringMatching(/^[a-e][a-z0-9]{0,3}$/);
  const rowArb = fc.record({
    namespace: fc.constantFrom('team-a', 'team-b', 'ns-c'),
    name: names,
    createdMs: fc.integer({ min: 0, max: 50 }),
  });
  fc.assert(
    fc.property(
      fc.uniqueArray(rowArb, { selector: key, maxLength: 60 }),
      fc.array(fc.array(rowArb, { maxLength: 4 }), { maxLength: 30 }),
      fc.constantFrom(...SORTS),
      fc.integer({ min: 1, max: 7 }),
      (initial, insertions, sort, limit) => {
        const rows = initial.map((r) => row(r.namespace, r.name, r.createdMs));
        const present = new Map(rows.map((r) => [key(r), r]));
        const index = indexOf(rows);
        const seen: string[] = [];
        let from: RowKey | undefined;
        for (let i = 0; ; i++) {
          const page = readPage(index, sort, from, () => true, limit);
          seen.push(...page.items.map(key));
          if (!page.last) break;
          if (i > 1000) throw new Error('the walk never ends');
          from = page.last;
          for (const r of insertions[i % Math.max(1, insertions.length)] ?? []) {
            const k = key(r);
            const prev = present.get(k);
            // An existing key is a MODIFIED event (same creation time, new verdict).
            const next = prev
              ? { ...prev, verdict: 'Privileged' as const }
              : row(r.namespace, r.name, r.createdMs);
            present.set(k, next);
            index.upserted(k, next, prev);
          }
        }
        const counts = new Map<string, number>();
        for (const k of seen) counts.set(k, (counts.get(k) ?? 0) + 1);
        for (const r of rows) expect(counts.get(key(r))).toBe(1);
        for (const n of counts.values()) expect(n).toBe(1);
      },
    ),
    { numRuns: 300 },
  );
});

test('property: the running tallies give the same summary as a pass over the rows', () => {
  const verdicts = ['UserNamespaced', 'Requested', 'Privileged', 'Unknown'] as const;
  const change = fc.record({
    namespace: fc.constantFrom('team-a', 'team-b', 'ns-c'),
    name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    day: fc.integer({ min: 0, max: 4 }),
    verdict: fc.constantFrom(...verdicts),
    buildConfig: fc.constantFrom('web', 'api', null),
    remove: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(change, { maxLength: 60 }), (changes) => {
      const index = new BuildIndex();
      const present = new Map<string, BuildRow>();
      index.replaced(new Map());
      for (const c of changes) {
        const k = `${c.namespace}/${c.name}`;
        const prev = present.get(k);
        if (c.remove) {
          if (prev) index.deleted(k, prev);
          present.delete(k);
          continue;
        }
        // Creation time never changes for an existing build: only its verdict does.
        const createdMs = prev?.createdMs ?? c.day * 86_400_000 + 1000;
        const next = row(c.namespace, c.name, createdMs, {
          verdict: c.verdict,
          buildConfig: c.buildConfig,
        });
        index.upserted(k, next, prev);
        present.set(k, next);
      }
      for (const only of [undefined, 'team-a']) {
        const include = (ns: string) => only === undefined || ns === only;
        expect(summarizeTallies(index.tallies, include)).toEqual(
          summarize(index.rows('created'), (r) => include(r.namespace)),
        );
        expect(summarize(index.rows('created'), (r) => include(r.namespace)).total).toBe(
          [...present.values()].filter((r) => include(r.namespace)).length,
        );
      }
    }),
    { numRuns: 300 },
  );
});
