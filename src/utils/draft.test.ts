import {
  diffObjects,
  editableView,
  formatPath,
  freeKey,
  getIn,
  rebase,
  renameKey,
  setIn,
} from './draft';

const policy = (spec: unknown, resourceVersion = '10') => ({
  apiVersion: 'userns.builds.dev/v1alpha1',
  kind: 'BuildPolicy',
  metadata: { name: 'cluster', resourceVersion, uid: 'u1', generation: 3 },
  spec,
  status: { observedGeneration: 3 },
});

describe('getIn / setIn', () => {
  it('reads and writes by path without touching the original', () => {
    const original = policy({ userNamespaces: { default: 'Disabled' } });
    const next = setIn(original, ['spec', 'userNamespaces', 'default'], 'Enabled');
    expect(getIn(next, ['spec', 'userNamespaces', 'default'])).toBe('Enabled');
    expect(original.spec).toEqual({ userNamespaces: { default: 'Disabled' } });
    expect(next.metadata).toBe(original.metadata);
  });

  it('creates missing parents and removes a key set to undefined', () => {
    const created = setIn({}, ['spec', 'buildDefaults', 'annotations', 'a/b'], 'x');
    expect(created).toEqual({ spec: { buildDefaults: { annotations: { 'a/b': 'x' } } } });
    expect(setIn(created, ['spec', 'buildDefaults', 'annotations', 'a/b'], undefined)).toEqual({
      spec: { buildDefaults: { annotations: {} } },
    });
    expect(getIn(['a'], [0])).toBe('a');
    expect(getIn({ a: 1 }, ['a', 'b'])).toBeUndefined();
  });
});

describe('editableView', () => {
  it('drops status and server-owned metadata but keeps labels and annotations', () => {
    const view = editableView({
      ...policy({}),
      metadata: { name: 'cluster', resourceVersion: '1', labels: { a: 'b' }, managedFields: [] },
    });
    expect(view).toEqual({
      apiVersion: 'userns.builds.dev/v1alpha1',
      kind: 'BuildPolicy',
      metadata: { name: 'cluster', labels: { a: 'b' } },
      spec: {},
    });
    expect(editableView('not an object')).toEqual({});
  });
});

describe('diffObjects', () => {
  it('lists leaf changes with readable paths; lists compare whole', () => {
    const before = policy({
      userNamespaces: { default: 'Disabled', exemptNamespaces: ['a'] },
      buildDefaults: { annotations: { 'example.com/x': '1', gone: 'y' } },
    });
    const after = policy(
      {
        userNamespaces: { default: 'Enabled', exemptNamespaces: ['a', 'b'], mode: 'Both' },
        buildDefaults: { annotations: { 'example.com/x': '1' } },
      },
      '11',
    );
    const changes = diffObjects(editableView(before), editableView(after));
    expect(changes.map((c) => [c.kind, c.path, c.before, c.after])).toEqual([
      ['changed', 'spec.userNamespaces.default', 'Disabled', 'Enabled'],
      ['changed', 'spec.userNamespaces.exemptNamespaces', ['a'], ['a', 'b']],
      ['added', 'spec.userNamespaces.mode', undefined, 'Both'],
      ['removed', 'spec.buildDefaults.annotations.gone', 'y', undefined],
    ]);
  });

  it('is empty for equal objects whatever their key order', () => {
    expect(
      diffObjects({ a: 1, b: { c: [1, { d: 2 }] } }, { b: { c: [1, { d: 2 }] }, a: 1 }),
    ).toEqual([]);
  });

  it('quotes keys a dot would make ambiguous', () => {
    expect(formatPath(['spec', 'annotations', 'io.kubernetes.cri-o.userns-mode'])).toBe(
      'spec.annotations["io.kubernetes.cri-o.userns-mode"]',
    );
    expect(formatPath(['env', 0, 'name'])).toBe('env[0].name');
  });
});

describe('rebase', () => {
  const base = policy({ userNamespaces: { default: 'Disabled', override: 'None' } }, '10');

  it('reapplies the edit onto the newer server version, keeping the server’s other changes', () => {
    const mine = setIn(base, ['spec', 'userNamespaces', 'default'], 'Enabled');
    const theirs = setIn(
      setIn(base, ['spec', 'passthroughAnnotations'], ['example.com/team']),
      ['metadata', 'resourceVersion'],
      '12',
    );
    const { merged, conflicts } = rebase(base, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(merged.spec).toEqual({
      userNamespaces: { default: 'Enabled', override: 'None' },
      passthroughAnnotations: ['example.com/team'],
    });
    // The merge is based on the server's version, so the next save sends its resourceVersion.
    expect(getIn(merged, ['metadata', 'resourceVersion'])).toBe('12');
  });

  it('reports fields both changed differently and keeps the user’s value', () => {
    const mine = setIn(base, ['spec', 'userNamespaces', 'override'], 'Required');
    const theirs = setIn(base, ['spec', 'userNamespaces', 'override'], 'None-ish');
    const { merged, conflicts } = rebase(base, mine, theirs);
    expect(getIn(merged, ['spec', 'userNamespaces', 'override'])).toBe('Required');
    expect(conflicts.map((c) => [c.path, c.before, c.after])).toEqual([
      ['spec.userNamespaces.override', 'None-ish', 'Required'],
    ]);
  });

  it('does not call the same change on both sides a conflict', () => {
    const mine = setIn(base, ['spec', 'userNamespaces', 'default'], 'Enabled');
    expect(rebase(base, mine, mine).conflicts).toEqual([]);
  });

  it('sees a conflict when the server removed the object the user edited inside', () => {
    const mine = setIn(base, ['spec', 'userNamespaces', 'default'], 'Enabled');
    const theirs = setIn(base, ['spec', 'userNamespaces'], undefined);
    const { merged, conflicts } = rebase(base, mine, theirs);
    expect(conflicts.map((c) => c.path)).toEqual(['spec.userNamespaces.default']);
    expect(merged.spec).toEqual({ userNamespaces: { default: 'Enabled' } });
  });
});

describe('string map rows', () => {
  it('renames in place and refuses to merge two keys', () => {
    expect(Object.keys(renameKey({ a: '1', b: '2', c: '3' }, 'b', 'z')!)).toEqual(['a', 'z', 'c']);
    expect(renameKey({ a: '1', b: '2' }, 'a', 'b')).toBeUndefined();
    expect(renameKey({ a: '1' }, 'a', 'a')).toEqual({ a: '1' });
  });

  it('finds a free key for a new row', () => {
    expect(freeKey({}, '')).toBe('');
    expect(freeKey({ '': 'x' }, '')).toBe('-2');
    expect(freeKey({ k: 'x', 'k-2': 'y' }, 'k')).toBe('k-3');
  });
});
