import { HttpError } from './http';
import { Router, mostSpecific } from './router';

const router = new Router()
  .add({ method: 'GET', path: '/healthz', handler: () => ({ status: 200, body: 'ok' }) })
  .add({ method: 'POST', path: '/mutate', handler: () => ({ status: 200, body: 'ok' }) })
  .add({
    method: 'GET',
    path: '/api/v1/',
    prefix: true,
    handler: () => ({ status: 200, body: 'api' }),
  });

function refusal(method: string, path: string): HttpError {
  try {
    router.match(method, path);
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error(`expected ${method} ${path} to be refused`);
}

test('HEAD is served by the GET route; Allow lists it', () => {
  expect(router.match('HEAD', '/healthz').path).toBe('/healthz');
  expect(refusal('HEAD', '/mutate')).toMatchObject({ status: 405, headers: { allow: 'POST' } });
  expect(refusal('DELETE', '/healthz')).toMatchObject({ headers: { allow: 'GET, HEAD' } });
});

test('a prefix tree gets only clean paths', () => {
  expect(router.match('GET', '/api/v1/builds/ns/a%20b').prefix).toBe(true);
  for (const path of [
    '/api/v1/../../mutate',
    '/api/v1/%2e%2e/x',
    '/api/v1//x',
    '/api/v1/a%2Fb',
    '/api/v1/%zz',
  ]) {
    expect([path, refusal('GET', path).status]).toEqual([path, 400]);
  }
});

test('exact paths need no cleaning: anything else is simply not found', () => {
  expect(refusal('GET', '//healthz').status).toBe(404);
  expect(refusal('GET', '/x/../healthz').status).toBe(404);
});

test('the most specific routes win: an exact path, then the longest prefix', () => {
  const routes = [
    { path: '/', prefix: true, name: 'shell' },
    { path: '/api/', prefix: true, name: 'api' },
    { path: '/api/v1/', prefix: true, name: 'v1' },
    { path: '/api/v1/users', name: 'users' },
  ];
  const names = (path: string) => mostSpecific(routes, path).map((r) => r.name);
  expect(names('/api/v1/users')).toEqual(['users']);
  expect(names('/api/v1/users/x')).toEqual(['v1']);
  expect(names('/api/v2')).toEqual(['api']);
  expect(names('/api')).toEqual(['shell']);
  expect(mostSpecific(routes.slice(1), '/other')).toEqual([]);
});
