import { applyCodeRefSymbol, type LoadedExtension } from '@openshift/dynamic-plugin-sdk';
import {
  codeRefFailureMessage,
  codeRefFailures,
  matchesModel,
  orderNavItems,
  unsupportedExtensions,
} from './extensions';

describe('codeRefFailures', () => {
  const ref = (load: () => Promise<unknown>) => applyCodeRefSymbol(load);
  const ext = (
    uid: string,
    type: string,
    properties: Record<string, unknown>,
  ): LoadedExtension => ({
    uid,
    type,
    pluginName: 'userns-builds',
    properties,
  });
  let logged: unknown[][];
  beforeEach(() => {
    logged = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
  });
  afterEach(() => jest.restoreAllMocks());

  it('reports each extension whose code refs fail, with the cause, and logs it', async () => {
    const cause = new Error('Shared module react-router not found');
    const loadError = new Error(
      "Failed to load module 'BuildsPage' in extension userns-builds[0]",
      {
        cause,
      },
    );
    const missing = new Error(
      "Missing module export 'actions.useNope' in extension userns-builds[2]",
    );
    const failures = await codeRefFailures([
      ext('userns-builds[0]', 'console.page/route', {
        path: '/builds',
        component: ref(() => Promise.reject(loadError)),
      }),
      ext('userns-builds[1]', 'console.navigation/href', { id: 'x', href: '/x', name: 'X' }),
      ext('userns-builds[2]', 'console.action/provider', {
        model: { kind: 'Build' },
        nested: [{ provider: ref(() => Promise.reject(missing)) }],
        ok: ref(() => Promise.resolve(() => null)),
      }),
    ]);
    expect(failures.map(codeRefFailureMessage)).toEqual([
      "extension console.page/route from userns-builds could not be loaded: Failed to load module 'BuildsPage' in extension userns-builds[0] (cause: Shared module react-router not found)",
      "extension console.action/provider from userns-builds could not be loaded: Missing module export 'actions.useNope' in extension userns-builds[2]",
    ]);
    expect(logged).toEqual([
      [`userns-builds dev console: ${codeRefFailureMessage(failures[0]!)}`, loadError, cause],
      [`userns-builds dev console: ${codeRefFailureMessage(failures[1]!)}`, missing],
    ]);
  });

  it('reports nothing when every code ref resolves', async () => {
    const ok = ext('a', 'console.page/route', { component: ref(() => Promise.resolve('C')) });
    expect(await codeRefFailures([ok])).toEqual([]);
    expect(logged).toEqual([]);
  });
});

describe('unsupportedExtensions', () => {
  it('lists each unknown type once and ignores placed ones', () => {
    const ext = (type: string) => ({ type, properties: {} });
    expect(
      unsupportedExtensions([
        ext('console.page/route'),
        ext('console.redux-reducer'),
        ext('console.redux-reducer'),
        ext('console.topology/adapter'),
      ]),
    ).toEqual(['console.redux-reducer', 'console.topology/adapter']);
  });
});

describe('matchesModel', () => {
  const bc = { apiGroup: 'build.openshift.io', apiVersion: 'v1', kind: 'BuildConfig' };
  it('matches group and kind, with an optional version', () => {
    expect(matchesModel({ group: 'build.openshift.io', kind: 'BuildConfig' }, bc)).toBe(true);
    expect(
      matchesModel({ group: 'build.openshift.io', version: 'v1', kind: 'BuildConfig' }, bc),
    ).toBe(true);
    expect(
      matchesModel({ group: 'build.openshift.io', version: 'v2', kind: 'BuildConfig' }, bc),
    ).toBe(false);
    expect(matchesModel({ group: 'config.openshift.io', kind: 'BuildConfig' }, bc)).toBe(false);
    expect(matchesModel(undefined, bc)).toBe(false);
  });
});

describe('orderNavItems', () => {
  it('honours insertAfter and insertBefore, even when the anchor comes later', () => {
    const ordered = orderNavItems([
      { id: 'c', insertAfter: 'b' },
      { id: 'a' },
      { id: 'b' },
      { id: 'z', insertBefore: 'a' },
      { id: 'lost', insertAfter: 'nowhere' },
    ]);
    expect(ordered.map((i) => i.id)).toEqual(['z', 'a', 'b', 'c', 'lost']);
  });
});
