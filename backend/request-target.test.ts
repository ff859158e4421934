import {
  RequestTargetError,
  checkRelayPath,
  parseRequestTarget,
  pathSegments,
} from './request-target';

describe('parseRequestTarget', () => {
  test.each([
    ['/healthz', '/healthz', ''],
    ['/a/b?x=1&y=%zz', '/a/b', '?x=1&y=%zz'],
    ['//[', '//[', ''],
    ['//host:99999/x', '//host:99999/x', ''],
    ['/p?', '/p', ''],
    ['/p#frag', '/p', ''],
  ])('origin-form %s keeps its path as sent, never reading a host', (raw, path, search) => {
    const t = parseRequestTarget(raw);
    expect([t.path, t.search, t.authority]).toEqual([path, search, undefined]);
  });

  test('the query is decoded without throwing on bad escapes', () => {
    expect(parseRequestTarget('/p?a=%zz&b=c%20d').query.get('b')).toBe('c d');
    expect(parseRequestTarget('/p?a=%zz').query.get('a')).toBe('%zz');
  });

  test('absolute-form: the path is served, the authority is reported', () => {
    expect(parseRequestTarget('http://Example.com:8080/x/y?z=1')).toMatchObject({
      path: '/x/y',
      search: '?z=1',
      authority: 'Example.com:8080',
    });
    expect(parseRequestTarget('https://h?q').path).toBe('/');
  });

  test.each([
    ['', /empty/],
    [undefined, /empty/],
    ['*', /asterisk-form/],
    ['example.com:443', /neither a path/],
    ['healthz', /neither a path/],
    ['ftp://example.com/x', /scheme "ftp"/],
    ['http://[/x', /not a valid URL/],
    ['http://a:99999/x', /not a valid URL/],
  ])('%j is refused: %s', (raw, message) => {
    expect(() => parseRequestTarget(raw)).toThrow(RequestTargetError);
    expect(() => parseRequestTarget(raw)).toThrow(message);
  });

  test('error messages quote a long target only in part', () => {
    const long = `x${'a'.repeat(10_000)}`;
    expect(() => parseRequestTarget(long)).toThrow(/^request target "xa{99}…" is neither/);
  });
});

test('pathSegments decodes each segment and names a malformed one', () => {
  expect(pathSegments('/a%2Fb/c%20d/')).toEqual(['a/b', 'c d', '']);
  expect(() => pathSegments('/ok/%zz')).toThrow(/malformed percent-encoding.*"%zz"/);
});

describe('checkRelayPath', () => {
  test.each(['/api/v1/namespaces', '/apis/', '/api/v1/namespaces/a%20b/pods', '/'])(
    '%s is a path below the base',
    (path) => expect(() => checkRelayPath(path)).not.toThrow(),
  );
  test.each([
    ['//127.0.0.1:19999/steal', /empty segment/],
    ['/api//v1', /empty segment/],
    ['/..', /"\.\." segment/],
    ['/api/../x', /"\.\." segment/],
    ['/api/%2e%2E/x', /"\.\." segment/],
    ['/api/.%2e/x', /"\.\." segment/],
    ['/./x', /"\." segment/],
    ['/%2F%2Fevil/x', /encoded "\/"/],
    ['/\\\\evil/x', /encoded "\/" or a "\\"/],
    ['/a%5cb', /encoded "\/" or a "\\"/],
    ['/%zz', /malformed/],
    ['relative', /must start with/],
  ])('%s is refused', (path, message) => {
    expect(() => checkRelayPath(path)).toThrow(RequestTargetError);
    expect(() => checkRelayPath(path)).toThrow(message);
  });
});
