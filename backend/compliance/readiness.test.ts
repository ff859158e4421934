// /readyz stays 503 until every cache the API answers from has synced, and the API tree's
// unknown paths stay 404s once compliance routes sit beside them.
import { effectivePolicy } from '@userns-builds/core';
import { StaticPolicySource } from '../policy/source';
import { startTestServer, type TestServer } from '../testing/harness';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    policy: new StaticPolicySource({ policy: effectivePolicy({}), generation: 1 }),
  });
  server.app.router.add({
    method: 'GET',
    path: '/api/v1/compliance/summary',
    handler: () => ({ status: 200, body: { ok: true } }),
  });
});
afterAll(() => server.stop());

test('readyz is 503 while the compliance cache has not synced, 200 once it has', async () => {
  let synced = false;
  server.app.readinessChecks.set('compliance', () => synced);
  const before = await server.send('GET', '/readyz');
  expect([before.status, before.json().checks.compliance]).toEqual([503, false]);
  synced = true;
  const after = await server.send('GET', '/readyz');
  expect([after.status, after.json().checks.compliance]).toEqual([200, true]);
});

test('the most specific route wins over the /api/v1/ catch-all', async () => {
  expect((await server.send('GET', '/api/v1/compliance/summary')).status).toBe(200);
  const other = await server.send('GET', '/api/v1/compliance/nothing');
  expect([other.status, other.json().reason]).toEqual([404, 'NotFound']);
  expect((await server.send('POST', '/api/v1/compliance/summary', '{}')).status).toBe(405);
});
