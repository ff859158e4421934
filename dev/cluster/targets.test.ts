// The emulator answers odd request targets and hostile queries with a Status, as the API server
// would, and keeps serving: over plain TCP, and over TLS with --tls.
import { ODD_TARGETS, rawRequest, type RawTarget } from '../../backend/testing/raw-http';
import { startCluster, type Cluster } from './index';

const clusters: Cluster[] = [];
afterAll(() => Promise.all(clusters.map((c) => c.stop())));

describe.each([
  ['plain HTTP', false],
  ['TLS', true],
])('over %s', (_name, tls) => {
  let server: RawTarget;
  let token: string;

  beforeAll(async () => {
    const cluster = await startCluster({ port: 0, seed: false, tls });
    clusters.push(cluster);
    server = { port: Number(new URL(cluster.url).port), ...(cluster.ca ? { ca: cluster.ca } : {}) };
    token = cluster.tokens.admin;
  });

  test.each(ODD_TARGETS.map((t) => [t.slice(0, 40), t]))(
    '%s gets an answer, then /healthz still answers',
    async (_short, target) => {
      const res = await rawRequest(server, 'GET', target, { authorization: `Bearer ${token}` });
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(500);
      expect((await rawRequest(server, 'GET', '/healthz')).status).toBe(200);
    },
  );

  test('malformed targets are a 400 Status naming the problem', async () => {
    const auth = { authorization: `Bearer ${token}` };
    for (const [target, message] of [
      ['*', /asterisk-form/],
      ['http://[/x', /not a valid URL/],
      ['/api/v1/namespaces/%zz', /malformed percent-encoding in path segment "%zz"/],
    ] as const) {
      const res = await rawRequest(server, 'GET', target, auth);
      expect([target, res.status]).toEqual([target, 400]);
      expect(JSON.parse(res.body)).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
      expect(JSON.parse(res.body).message).toMatch(message);
    }
  });

  test('a WebSocket upgrade with a malformed target is a 400, not a crash', async () => {
    const res = await rawRequest(server, 'GET', '/api/v1/namespaces/%zz/pods?watch=true', {
      authorization: `Bearer ${token}`,
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).message).toMatch(/percent-encoding/);
  });

  test('a watch with a bad selector is a 400 before any 200 or upgrade, and the server lives', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const upgrade = {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    };
    for (const query of ['labelSelector=(((', 'fieldSelector=nope']) {
      for (const headers of [auth, { ...auth, ...upgrade }]) {
        const res = await rawRequest(server, 'GET', `/api/v1/pods?watch=1&${query}`, headers);
        expect([query, res.status]).toEqual([query, 400]);
        expect(JSON.parse(res.body)).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
      }
    }
    expect((await rawRequest(server, 'GET', '/healthz')).status).toBe(200);
  });

  test('an absolute-form target is served by its path', async () => {
    const res = await rawRequest(server, 'GET', `http://elsewhere.example/api/v1/namespaces`, {
      authorization: `Bearer ${token}`,
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).kind).toBe('NamespaceList');
  });
});
