import { matchesModel, orderNavItems, unsupportedExtensions } from './extensions';

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
