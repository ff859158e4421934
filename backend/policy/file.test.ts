import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../log';
import { LogCapture } from '../testing/harness';
import { until } from '../../testing/until';
import { FilePolicySource, PolicyFileError, parsePolicyDocument } from './file';

const quiet = () => createLogger('debug', new LogCapture());

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

test('file source reads the file at start; a missing or invalid file names the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-'));
  const path = join(dir, 'policy.yaml');
  writeFileSync(path, 'userNamespaces: {default: Enabled}\n');
  const log = quiet();
  expect(new FilePolicySource({ path, log }).current().policy?.userNamespaces.default).toBe(
    'Enabled',
  );
  expect(() => new FilePolicySource({ path: join(dir, 'missing.yaml'), log })).toThrow(
    /missing.yaml/,
  );
  writeFileSync(path, 'userNamespaces: {default: Sometimes}\n');
  expect(() => new FilePolicySource({ path, log })).toThrow(PolicyFileError);
});

/** A directory laid out as the kubelet mounts a ConfigMap: policy.yaml → ..data/policy.yaml. */
function configMapDir(text: string): { dir: string; update(text: string): void } {
  const dir = mkdtempSync(join(tmpdir(), 'policy-cm-'));
  let version = 0;
  const write = (t: string) => {
    const data = join(dir, `..2025_11_20_10_14_${String(version++).padStart(2, '0')}`);
    mkdirSync(data);
    writeFileSync(join(data, 'policy.yaml'), t);
    // The kubelet's atomic writer: a new timestamped directory, then one rename of ..data.
    symlinkSync(data, join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  };
  write(text);
  symlinkSync(join('..data', 'policy.yaml'), join(dir, 'policy.yaml'));
  return { dir, update: write };
}

test('reloads on an atomic rename; an invalid version keeps the last good policy and says why', async () => {
  const cm = configMapDir('userNamespaces: {default: Enabled}\n');
  const logs = new LogCapture();
  const validity: boolean[] = [];
  const source = new FilePolicySource({
    path: join(cm.dir, 'policy.yaml'),
    log: createLogger('debug', logs),
    onValidity: (v) => validity.push(v),
    debounceMs: 20,
  });
  await source.start();
  try {
    expect(source.current()).toMatchObject({ generation: 1 });

    cm.update('userNamespaces: {default: Disabled, override: Required}\n');
    await until(
      () => source.current().policy?.userNamespaces.override === 'Required',
      'the new policy takes effect',
    );
    expect(source.current().generation).toBe(2);

    cm.update(
      'userNamespaces: {default: Sometimes}\nbuildDefaults: {annotations: {"bad key!": x}}\n',
    );
    await until(() => validity.at(-1) === false, 'the invalid version is noticed');
    expect(source.current().policy?.userNamespaces.override).toBe('Required');
    const complaint = logs.records().find((r) => r.problems);
    expect(complaint.msg).toMatch(/last valid policy stays in effect/);
    expect(complaint.problems.join('\n')).toMatch(/default[\s\S]*bad key/);

    cm.update(
      'apiVersion: userns.builds.dev/v1alpha1\nkind: BuildPolicy\nmetadata: {name: cluster, generation: 7}\nspec: {userNamespaces: {default: Enabled}}\n',
    );
    await until(() => validity.at(-1) === true, 'a valid version is taken again');
    expect(source.current()).toMatchObject({
      generation: 7,
      policy: { userNamespaces: { default: 'Enabled', override: 'None' } },
    });
  } finally {
    source.stop();
  }
});
