import fullPolicy from '../__fixtures__/build-policy-full.json';
import { forbiddenError, noModelError, notFoundError, serverError } from '../__fixtures__/errors';
import { classifyPolicyLoad, errorStatus, isNoModelError } from './load-state';

describe('errorStatus', () => {
  it.each([
    ['HttpError code', { code: 404 }, 404],
    ['Response status', { response: { status: 403 } }, 403],
    ['Status body code', { json: { code: 500 } }, 500],
    ['code wins over the body', { code: 409, json: { code: 500 } }, 409],
    ['a non-HTTP code is ignored', { code: 'ECONNRESET', response: { status: 502 } }, 502],
    ['nothing', new Error('boom'), undefined],
    ['not an object', 'boom', undefined],
    ['null', null, undefined],
  ])('%s', (_name, err, want) => {
    expect(errorStatus(err)).toBe(want);
  });
});

describe('isNoModelError', () => {
  it('knows the SDK error by name or by message (minified class names)', () => {
    expect(isNoModelError(noModelError())).toBe(true);
    expect(isNoModelError(new Error('Model does not exist'))).toBe(true);
    expect(isNoModelError(notFoundError())).toBe(false);
    expect(isNoModelError({ message: 'Model does not exist' })).toBe(false);
  });
});

describe('classifyPolicyLoad', () => {
  it('is loading until the watch reports', () => {
    expect(classifyPolicyLoad({}, false, undefined)).toEqual({ state: 'loading' });
    expect(classifyPolicyLoad(undefined, false, undefined)).toEqual({ state: 'loading' });
  });

  it('returns the policy once loaded', () => {
    expect(classifyPolicyLoad(fullPolicy, true, undefined)).toEqual({
      state: 'loaded',
      policy: fullPolicy,
    });
  });

  it('treats 404 as "no policy yet", even while loaded is still false', () => {
    expect(classifyPolicyLoad({}, false, notFoundError())).toEqual({
      state: 'absent',
      why: 'NotFound',
    });
  });

  it('treats a missing model as "API not installed"', () => {
    expect(classifyPolicyLoad({}, true, noModelError())).toEqual({
      state: 'absent',
      why: 'NotInstalled',
    });
  });

  it('treats a finished watch without an object as "no policy"', () => {
    expect(classifyPolicyLoad({}, true, undefined)).toEqual({ state: 'absent', why: 'NotFound' });
    expect(classifyPolicyLoad(undefined, true, undefined)).toEqual({
      state: 'absent',
      why: 'NotFound',
    });
  });

  it('reports other errors with their status and message', () => {
    const forbidden = forbiddenError();
    expect(classifyPolicyLoad(fullPolicy, true, forbidden)).toEqual({
      state: 'error',
      status: 403,
      message: forbidden.message,
    });
    expect(classifyPolicyLoad({}, false, serverError())).toEqual({
      state: 'error',
      status: 500,
      message: 'Internal Server Error',
    });
    expect(classifyPolicyLoad({}, false, 'socket closed')).toEqual({
      state: 'error',
      status: undefined,
      message: 'socket closed',
    });
  });
});
