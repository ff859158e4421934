// consoleFetch's errors against the console's own (coFetch validateStatus): same message rules,
// same HttpError fields, so plugin code that shows or branches on them behaves as in the console.
jest.mock('@openshift-console/dynamic-plugin-sdk/lib/utils/error/http-error', () => {
  class HttpError extends Error {
    constructor(
      message: string,
      public code?: number,
      public response?: Response,
      public json?: unknown,
    ) {
      super(message);
    }
  }
  class TimeoutError extends Error {}
  return { HttpError, TimeoutError };
});

import type { K8sModel } from '@openshift-console/dynamic-plugin-sdk';
import { consoleFetch, k8sList } from './k8s';

type Err = Error & { code?: number; json?: unknown; response?: Response };

const answer = (status: number, statusText: string, body: string, type?: string) => {
  globalThis.fetch = jest.fn(
    async () =>
      new Response(body, { status, statusText, headers: type ? { 'content-type': type } : {} }),
  ) as typeof fetch;
};

const failure = async (): Promise<Err> => {
  try {
    await consoleFetch('/api/kubernetes/api/v1/namespaces/x');
  } catch (e) {
    return e as Err;
  }
  throw new Error('consoleFetch resolved');
};

beforeAll(() => {
  (globalThis as { document?: unknown }).document = { cookie: 'csrf-token=abc' };
});
afterAll(() => {
  delete (globalThis as { document?: unknown }).document;
});

test('a 422 with causes reports the first cause and its field, as the console does', async () => {
  const status = {
    kind: 'Status',
    message: 'BuildConfig "x" is invalid: spec.strategy: Required value',
    details: { causes: [{ message: 'Required value', field: 'spec.strategy' }] },
    code: 422,
  };
  answer(422, 'Unprocessable Entity', JSON.stringify(status), 'application/json');
  const e = await failure();
  expect(e.message).toBe('Error "Required value" for field "spec.strategy".');
  expect(e.code).toBe(422);
  expect(e.json).toEqual(status);
  expect(e.response?.status).toBe(422);
});

test('a Status without causes reports its message; a 403 without one gets the console default', async () => {
  answer(
    409,
    'Conflict',
    JSON.stringify({ message: 'the object has been modified' }),
    'application/json',
  );
  expect((await failure()).message).toBe('the object has been modified');
  answer(403, 'Forbidden', JSON.stringify({ kind: 'Status' }), 'application/json');
  expect((await failure()).message).toBe('Access denied due to cluster policy.');
});

test('a body that is not JSON gives the status text, not the body', async () => {
  answer(502, 'Bad Gateway', '<html>upstream down</html>', 'text/html');
  const e = await failure();
  expect(e.message).toBe('Bad Gateway');
  expect(e.code).toBe(502);
});

describe('k8sList', () => {
  const builds = {
    apiGroup: 'build.openshift.io',
    apiVersion: 'v1',
    plural: 'builds',
    namespaced: true,
    kind: 'Build',
  } as K8sModel;
  const listed = async (labelSelector: unknown): Promise<string> => {
    const fetchMock = jest.fn(
      async () => new Response('{"items":[]}', { headers: { 'content-type': 'application/json' } }),
    );
    globalThis.fetch = fetchMock as unknown as typeof fetch;
    await k8sList(builds, { ns: 'team-a', labelSelector });
    return new URL(String((fetchMock.mock.calls[0] as unknown[])[0]), 'http://x').searchParams.get(
      'labelSelector',
    )!;
  };

  it('sends a selector object in its string form, and a selector string as it is', async () => {
    expect(await listed({ matchLabels: { 'openshift.io/build-config.name': 'api' } })).toBe(
      'openshift.io/build-config.name=api',
    );
    expect(await listed('openshift.io/build-config.name=api,app!=x')).toBe(
      'openshift.io/build-config.name=api,app!=x',
    );
  });
});
