import { applyPatch, type Operation } from 'fast-json-patch';
import { patchProblem } from './patch-check';

const doc = () => ({
  metadata: { annotations: { a: '1' } },
  spec: { containers: [{ name: 'c', securityContext: { privileged: true } }] },
});

test('a patch that applies: no problem, and the document is untouched', () => {
  const original = doc();
  const snapshot = JSON.stringify(original);
  const ops: Operation[] = [
    { op: 'replace', path: '/spec/containers/0/securityContext', value: { privileged: false } },
    { op: 'add', path: '/metadata/annotations/b~1c', value: '2' },
    { op: 'remove', path: '/metadata/annotations/a' },
    { op: 'add', path: '/metadata/labels', value: {} },
    { op: 'add', path: '/metadata/labels/x', value: 'y' },
  ];
  expect(patchProblem(original, ops)).toBeUndefined();
  expect(JSON.stringify(original)).toBe(snapshot);
  // and it agrees with applying for real
  expect(() => applyPatch(doc(), ops, true, true)).not.toThrow();
});

test.each<[string, Operation[]]>([
  ['add under a missing parent', [{ op: 'add', path: '/metadata/labels/x', value: 'y' }]],
  ['replace a missing key', [{ op: 'replace', path: '/spec/hostUsers', value: false }]],
  ['remove a missing key', [{ op: 'remove', path: '/metadata/annotations/zzz' }]],
  [
    'index out of range',
    [{ op: 'replace', path: '/spec/containers/3/securityContext', value: {} }],
  ],
  [
    'depends on a removed parent',
    [
      { op: 'remove', path: '/metadata/annotations' },
      { op: 'add', path: '/metadata/annotations/a', value: 'x' },
    ],
  ],
])('%s → a problem, as applyPatch agrees', (_name, ops) => {
  expect(patchProblem(doc(), ops)).toMatch(/operation/);
  expect(() => applyPatch(doc(), ops, true, true)).toThrow();
});
