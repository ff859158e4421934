import { applyPatchBody, mergePatch, patchTypeOf, strategicMerge } from './patch';

describe('patch types', () => {
  it('maps content types and refuses others with 415', () => {
    expect(patchTypeOf('application/merge-patch+json; charset=utf-8')).toBe('merge');
    expect(patchTypeOf('application/strategic-merge-patch+json')).toBe('strategic');
    expect(() => patchTypeOf('application/json')).toThrow(expect.objectContaining({ code: 415 }));
  });
});

describe('merge patch (RFC 7386)', () => {
  it('merges objects, replaces lists and deletes on null', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({
      a: { c: 2, d: 3 },
      l: [3],
    });
  });
});

describe('strategic merge patch', () => {
  it('merges lists of named objects by name and honours $patch: delete', () => {
    const target = {
      containers: [
        { name: 'a', image: '1' },
        { name: 'b', image: '1' },
      ],
    };
    const patch = {
      containers: [
        { name: 'b', image: '2' },
        { name: 'c', image: '1' },
        { name: 'a', $patch: 'delete' },
      ],
    };
    expect(strategicMerge(target, patch)).toEqual({
      containers: [
        { name: 'b', image: '2' },
        { name: 'c', image: '1' },
      ],
    });
  });

  it('replaces lists without names', () => {
    expect(strategicMerge({ args: ['a', 'b'] }, { args: ['c'] })).toEqual({ args: ['c'] });
  });
});

describe('JSON patch', () => {
  it('applies operations and answers a failed test with 422', () => {
    const doc = { metadata: { name: 'x', labels: { a: '1' } } };
    expect(
      applyPatchBody(doc, 'json', '[{"op":"replace","path":"/metadata/labels/a","value":"2"}]')
        .metadata.labels,
    ).toEqual({ a: '2' });
    expect(() =>
      applyPatchBody(doc, 'json', '[{"op":"test","path":"/metadata/labels/a","value":"9"}]'),
    ).toThrow(expect.objectContaining({ code: 422 }));
    expect(doc.metadata.labels.a).toBe('1');
  });

  it('rejects a body that is not a patch with 400', () => {
    expect(() => applyPatchBody({ metadata: {} }, 'merge', 'not json')).toThrow(
      expect.objectContaining({ code: 400 }),
    );
  });
});
