// The store's paged reads: `scan` from any key at any kept version must equal the list as it was
// at that version, and `countAfter` must count what `scan` would visit — checked against full
// snapshots taken after every change.
import fc from 'fast-check';
import { Store } from './store';
import type { KubeObject } from './types';

const obj = (namespace: string, name: string, v: number): KubeObject => ({
  metadata: { namespace, name, labels: { v: String(v) } },
});

type Op = { kind: 'create' | 'update' | 'remove'; ns: string; name: string };

test('property: scan and countAfter at past versions agree with snapshots', () => {
  const op = fc.record({
    kind: fc.constantFrom<Op['kind']>('create', 'create', 'update', 'remove'),
    ns: fc.constantFrom('a', 'a-b', 'b', 'b0'),
    name: fc.constantFrom('x', 'y', 'z', 'x-1', 'y.2'),
  });
  fc.assert(
    fc.property(fc.array(op, { maxLength: 40 }), fc.integer({ min: 0, max: 5 }), (ops, seedN) => {
      const store = new Store(1000);
      for (let i = 0; i < seedN; i++) store.create('pods', obj('a', `seed-${i}`, 0));
      const snaps = new Map<number, Map<string, string>>();
      const take = () => {
        const m = new Map<string, string>();
        for (const o of store.list('pods'))
          m.set(`${o.metadata.namespace}/${o.metadata.name}`, o.metadata.resourceVersion!);
        snaps.set(store.resourceVersion, m);
      };
      take();
      ops.forEach((o, i) => {
        const exists = store.get('pods', o.ns, o.name);
        if (o.kind === 'create' && !exists) store.create('pods', obj(o.ns, o.name, i));
        else if (o.kind === 'update' && exists)
          store.update('pods', {
            ...exists,
            metadata: { ...exists.metadata, resourceVersion: '' },
          });
        else if (o.kind === 'remove' && exists) store.remove('pods', o.ns, o.name);
        take();
      });
      for (const [rv, snap] of snaps) {
        for (const ns of [undefined, 'a', 'b']) {
          const want = [...snap]
            .filter(([k]) => ns === undefined || k.startsWith(`${ns}/`))
            .sort(([x], [y]) => (x < y ? -1 : 1));
          for (const after of [undefined, ...want.map(([k]) => k), 'a/y', 'b/']) {
            const got: [string, string][] = [];
            store.scan('pods', ns, rv, after, (o, k) => {
              got.push([k, o.metadata.resourceVersion!]);
              return true;
            });
            const expected = want.filter(([k]) => after === undefined || k > after);
            expect(got).toEqual(expected);
            if (after !== undefined) {
              expect(store.countAfter('pods', ns, rv, after)).toBe(expected.length);
            }
          }
        }
      }
    }),
    { numRuns: 150 },
  );
});

test('a scan stops when the visitor says so', () => {
  const store = new Store();
  for (const n of ['a', 'b', 'c', 'd']) store.create('pods', obj('ns', n, 0));
  const seen: string[] = [];
  store.scan('pods', 'ns', store.resourceVersion, 'ns/a', (_o, k) => {
    seen.push(k);
    return seen.length < 2;
  });
  expect(seen).toEqual(['ns/b', 'ns/c']);
});
