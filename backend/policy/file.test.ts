import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyFileError, filePolicySource, parsePolicyDocument } from './file';

test('a whole BuildPolicy: spec filled with defaults, generation kept', () => {
  const snap = parsePolicyDocument(
    [
      'apiVersion: userns.builds.dev/v1alpha1',
      'kind: BuildPolicy',
      'metadata: {name: cluster, generation: 4}',
      'spec:',
      '  userNamespaces: {default: Enabled}',
      '  buildOverrides: {annotations: {example.com/owner: platform}}',
    ].join('\n'),
    'p.yaml',
  );
  expect(snap.generation).toBe(4);
  expect(snap.policy?.userNamespaces).toEqual({
    default: 'Enabled',
    override: 'None',
    mode: 'CRIOAnnotation',
    exemptNamespaces: [],
  });
  expect(snap.policy?.buildOverrides.annotations).toEqual({ 'example.com/owner': 'platform' });
});

test('just a spec', () => {
  const snap = parsePolicyDocument(
    'userNamespaces:\n  override: Required\n  mode: Both\n',
    'p.yaml',
  );
  expect(snap.policy?.userNamespaces.override).toBe('Required');
  expect(snap.generation).toBe(1);
});

test.each([
  ['not: [yaml', /not YAML/],
  ['- a list', /expected a mapping/],
  ['kind: ConfigMap\napiVersion: v1\n', /expected kind BuildPolicy/],
  ['userNamespaces: {default: Sometimes, mode: Magic}', /default[\s\S]*mode/],
  ['buildDefaults: {annotations: {"bad key!": x}}', /bad key/],
])('invalid %j → error listing every problem', (text, message) => {
  expect(() => parsePolicyDocument(text, 'p.yaml')).toThrow(PolicyFileError);
  expect(() => parsePolicyDocument(text, 'p.yaml')).toThrow(message);
});

test('file source reads the file once; a missing file names the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-'));
  const path = join(dir, 'policy.yaml');
  writeFileSync(path, 'userNamespaces: {default: Enabled}\n');
  expect(filePolicySource(path).current().policy?.userNamespaces.default).toBe('Enabled');
  expect(() => filePolicySource(join(dir, 'missing.yaml'))).toThrow(/missing.yaml/);
});
