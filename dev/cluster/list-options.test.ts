import { ApiError } from './errors';
import { listQuery, watchQuery } from './list-options';

const params = (query: string) => new URLSearchParams(query);

/** The Status a request with these options is refused with. */
function refusal(parse: () => unknown) {
  try {
    parse();
  } catch (e) {
    if (e instanceof ApiError) return e.toStatus();
    throw e;
  }
  throw new Error('accepted');
}

describe('list options', () => {
  it('reads every option a list takes', () => {
    expect(
      listQuery(
        params(
          'labelSelector=app%3Dweb&fieldSelector=metadata.name%3Dx&limit=50&resourceVersion=7&resourceVersionMatch=NotOlderThan',
        ),
      ),
    ).toEqual({
      labelSelector: 'app=web',
      fieldSelector: 'metadata.name=x',
      limit: 50,
      resourceVersion: '7',
      resourceVersionMatch: 'NotOlderThan',
    });
    expect(listQuery(params('limit=500&continue=abc'))).toEqual({ limit: 500, continue: 'abc' });
  });

  it('leaves out empty values and a zero limit (no limit)', () => {
    expect(listQuery(params('labelSelector=&limit=0&resourceVersion='))).toEqual({});
  });

  it.each([
    [
      'resourceVersionMatch=Exact',
      'resourceVersionMatch is forbidden unless resourceVersion is provided',
    ],
    ['resourceVersion=0&resourceVersionMatch=Exact', 'resourceVersionMatch "exact" is forbidden'],
    ['resourceVersion=1&resourceVersionMatch=Sometime', 'Unsupported value: "Sometime"'],
    [
      'resourceVersion=1&resourceVersionMatch=Exact&continue=abc',
      'resourceVersionMatch is forbidden when continue is provided',
    ],
    ['sendInitialEvents=true', 'sendInitialEvents is forbidden for list'],
  ])('rejects %s with 422 Invalid ListOptions', (query, message) => {
    const status = refusal(() => listQuery(params(query)));
    expect(status).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(status.message).toMatch(/^ListOptions\.meta\.k8s\.io "" is invalid: /);
    expect(status.message).toContain(message);
  });

  it.each(['abc', '1.5', '10x', '99999999999999999999'])(
    'refuses limit=%s with 400 naming the parameter',
    (limit) => {
      expect(refusal(() => listQuery(params(`limit=${limit}`)))).toMatchObject({
        code: 400,
        reason: 'BadRequest',
        message: expect.stringContaining(`invalid value for limit: "${limit}"`),
      });
    },
  );

  it('refuses a resourceVersion beside a continue token, which carries its own', () => {
    expect(refusal(() => listQuery(params('continue=abc&resourceVersion=5')))).toMatchObject({
      code: 400,
      message: 'specifying resource version is not allowed when using continue',
    });
    expect(listQuery(params('continue=abc&resourceVersion=0'))).toEqual({
      continue: 'abc',
      resourceVersion: '0',
    });
  });
});

describe('watch options', () => {
  it('reads every option a watch takes', () => {
    expect(
      watchQuery(
        params(
          'watch=true&labelSelector=a&fieldSelector=metadata.name%3Dx&resourceVersion=3&timeoutSeconds=30&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true',
        ),
      ),
    ).toEqual({
      labelSelector: 'a',
      fieldSelector: 'metadata.name=x',
      resourceVersion: '3',
      timeoutSeconds: 30,
      sendInitialEvents: true,
      allowBookmarks: true,
    });
    expect(watchQuery(params('watch=1&resourceVersion='))).toEqual({
      resourceVersion: '',
      sendInitialEvents: false,
      allowBookmarks: false,
    });
  });

  it.each([
    ['sendInitialEvents=true', 'sendInitialEvents requires setting resourceVersionMatch'],
    ['resourceVersionMatch=NotOlderThan', 'forbidden for watch unless sendInitialEvents'],
    ['sendInitialEvents=true&resourceVersionMatch=Exact', 'Unsupported value: "Exact"'],
  ])('rejects %s with 422 Invalid ListOptions', (query, message) => {
    const status = refusal(() => watchQuery(params(`watch=true&${query}`)));
    expect(status).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(status.message).toContain(message);
  });

  it('refuses a timeout that is not an integer, and treats 0 as none', () => {
    expect(refusal(() => watchQuery(params('timeoutSeconds=soon')))).toMatchObject({
      code: 400,
      message: expect.stringContaining('invalid value for timeoutSeconds: "soon"'),
    });
    expect(watchQuery(params('timeoutSeconds=0')).timeoutSeconds).toBeUndefined();
  });

  it('holds a very long timeout to what a timer can wait instead of ending the watch at once', () => {
    const { timeoutSeconds } = watchQuery(params('timeoutSeconds=31536000'));
    expect(timeoutSeconds! * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(timeoutSeconds).toBeGreaterThan(24 * 24 * 3600);
  });
});
