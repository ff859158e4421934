// The shell's server in the role of the console's bridge: it adds the demo user's token to what
// it proxies, refuses writes without the CSRF double submit, refuses WebSockets from other
// origins, and never writes a token to its log.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { ODD_TARGETS, rawRequest } from '../../backend/testing/raw-http';
import { startConsoleServer, type ConsoleServer } from './server';

const FIXTURES = join(__dirname, 'fixtures');
const TOKENS = { admin: 'tok-admin', developer: 'tok-dev', auditor: 'tok-aud' };

let upstream: http.Server;
let wss: WebSocketServer;
let server: ConsoleServer;
const seen: { method?: string; url?: string; authorization?: string; cookie?: string }[] = [];
const logged: string[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    seen.push({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  wss = new WebSocketServer({ server: upstream });
  wss.on('connection', (ws, req) => ws.send(JSON.stringify({ auth: req.headers.authorization })));
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  for (const level of ['log', 'info', 'warn', 'error'] as const)
    jest.spyOn(console, level).mockImplementation((...a: unknown[]) => logged.push(a.join(' ')));
  server = await startConsoleServer({
    clusterUrl: base,
    tokens: TOKENS,
    pluginName: 'userns-builds',
    pluginDist: join(FIXTURES, 'plugin-dist'),
    shellDist: join(FIXTURES, 'shell-dist'),
    localesDir: join(FIXTURES, 'locales'),
    proxies: { backend: { url: base } },
  });
});

afterAll(async () => {
  await server?.close();
  wss?.close();
  await new Promise((r) => upstream?.close(r));
  jest.restoreAllMocks();
});

beforeEach(() => {
  seen.length = 0;
});

test("GETs to the cluster and the backend carry the user's token, never the browser's cookies", async () => {
  const cookie = 'dev-console-user=developer; csrf-token=c1';
  const k = await fetch(`${server.url}/api/kubernetes/api/v1/namespaces?limit=1`, {
    headers: { cookie, authorization: 'Bearer forged' },
  });
  expect(k.status).toBe(200);
  const b = await fetch(`${server.url}/api/proxy/plugin/userns-builds/backend/api/v1/x`, {
    headers: { cookie },
  });
  expect(b.status).toBe(200);
  expect(seen).toEqual([
    { method: 'GET', url: '/api/v1/namespaces?limit=1', authorization: 'Bearer tok-dev' },
    { method: 'GET', url: '/api/v1/x', authorization: 'Bearer tok-dev' },
  ]);
});

test('a write needs the CSRF header to match the cookie; neither present is refused', async () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${server.url}/api/kubernetes/api/v1/namespaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url, ...headers },
      body: '{}',
    });
  expect((await post({})).status).toBe(403);
  expect((await post({ cookie: 'csrf-token=a', 'x-csrftoken': 'b' })).status).toBe(403);
  expect(
    (await post({ cookie: 'csrf-token=a; dev-console-user=auditor', 'x-csrftoken': 'a' })).status,
  ).toBe(200);
  expect(seen).toEqual([
    expect.objectContaining({ method: 'POST', authorization: 'Bearer tok-aud' }),
  ]);
});

const openWatch = (origin?: string) =>
  new Promise<string>((resolve) => {
    const ws = new WebSocket(
      `${server.url.replace('http', 'ws')}/api/kubernetes/api/v1/pods?watch=true`,
      { headers: { cookie: 'dev-console-user=auditor' }, ...(origin && { origin }) },
    );
    ws.on('message', (m) => {
      resolve(String(m));
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
    ws.on('error', (e) => resolve(`error ${e.message}`));
  });

test('WebSocket watches carry the token from this origin and are refused from another', async () => {
  expect(JSON.parse(await openWatch(server.url))).toEqual({ auth: 'Bearer tok-aud' });
  expect(await openWatch('https://evil.example')).toBe('refused 403');
});

test('no token reaches the log', () => {
  const all = logged.join('\n');
  for (const t of Object.values(TOKENS)) expect(all).not.toContain(t);
});

const port = () => Number(new URL(server.url).port);
const shell = () => ({ port: port() });
const own = () => ({ host: `127.0.0.1:${port()}`, origin: server.url });
/** A WebSocket upgrade from this shell's own page, spoken by hand. */
const upgradeTo = (target: string) =>
  rawRequest(shell(), 'GET', target, {
    ...own(),
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  });

describe('a request target no parser takes', () => {
  const targets = [
    ...ODD_TARGETS,
    '/api/plugins/userns-builds/%zz',
    '/static/%E0%A4%A',
    '/locales/resource.json?lng=%25zz&ns=plugin__userns-builds',
    '/api/kubernetes/api/v1/%zz',
  ];
  test.each(targets.map((t) => [t.slice(0, 40), t]))(
    '%s is answered, and the shell keeps serving',
    async (_short, target) => {
      const res = await rawRequest(shell(), 'GET', target);
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(500);
      const users = await rawRequest(shell(), 'GET', '/api/dev-console/users');
      expect(users.status).toBe(200);
    },
  );

  test('a malformed escape in a proxied path or a WebSocket is a 400 naming it', async () => {
    const bad = await rawRequest(shell(), 'GET', '/api/kubernetes/api/v1/namespaces/%zz');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).message).toMatch(/percent-encoding.*%zz/);
    const ws = await upgradeTo('/api/kubernetes/api/v1/%zz?watch=1');
    expect(ws.status).toBe(400);
    expect(seen).toEqual([]);
  });
});

describe('the proxy never leaves its upstream', () => {
  let evil: http.Server;
  let stolen: string[];
  beforeAll(async () => {
    stolen = [];
    evil = http.createServer((req, res) => {
      stolen.push(`${req.headers.authorization} ${req.url}`);
      res.end('{}');
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise((r) => evil.close(r)));

  const evilHost = () => `127.0.0.1:${(evil.address() as AddressInfo).port}`;
  const paths = () => [
    `//${evilHost()}/steal`,
    `/%2F${evilHost()}/steal`,
    `/%2f%2f${evilHost()}/steal`,
    `/\\\\${evilHost()}/steal`,
    `/%5C%5C${evilHost()}/steal`,
    '/../../steal',
    '/api/%2e%2e/%2E%2E/steal',
    '/api/.%2e/steal',
    '/./api/v1/namespaces',
  ];

  test.each([
    ['the cluster', '/api/kubernetes'],
    ['the backend alias', '/api/proxy/plugin/userns-builds/backend'],
  ])('through %s: `//`, `..` and their encodings are a 400', async (_name, prefix) => {
    for (const path of paths()) {
      for (const method of ['GET', 'DELETE']) {
        const res = await rawRequest(shell(), method, `${prefix}${path}`, {
          ...own(),
          cookie: 'csrf-token=c; dev-console-user=admin',
          'x-csrftoken': 'c',
        });
        expect([path, method, res.status]).toEqual([path, method, 400]);
      }
    }
    expect(stolen).toEqual([]);
    expect(seen).toEqual([]);
  });

  test('an alias with no path below it goes to the upstream root', async () => {
    const res = await rawRequest(shell(), 'GET', '/api/proxy/plugin/userns-builds/backend?x=1');
    expect(res.status).toBe(200);
    expect(seen).toEqual([expect.objectContaining({ url: '/?x=1' })]);
  });
});

describe('Host and Origin', () => {
  test.each([
    ['a foreign Host', { host: 'rebind.example:9000' }],
    ['the right port on another name', { host: 'evil.127.0.0.1.nip.io' }],
  ])('%s is refused for pages and the API', async (_name, headers) => {
    for (const path of ['/', '/api/kubernetes/api/v1/namespaces', '/api/dev-console/users']) {
      const res = await rawRequest(shell(), 'GET', path, headers);
      expect([path, res.status]).toEqual([path, 403]);
      expect(JSON.parse(res.body).message).toMatch(/is not this console's/);
    }
    expect(seen).toEqual([]);
  });

  test('HTTP/1.1 with no Host at all is refused (by node, before the shell)', async () => {
    const res = await rawRequest(shell(), 'GET', '/api/kubernetes/api/v1/namespaces', {
      host: null,
    });
    expect(res.status).toBe(400);
    expect(seen).toEqual([]);
  });

  test("an absolute-form target's authority counts as the Host", async () => {
    const res = await rawRequest(
      shell(),
      'GET',
      `http://rebind.example:${port()}/api/kubernetes/api/v1/namespaces`,
    );
    expect(res.status).toBe(403);
    const ok = await rawRequest(
      shell(),
      'GET',
      `http://localhost:${port()}/api/kubernetes/api/v1/namespaces`,
    );
    expect(ok.status).toBe(200);
  });

  test('the shell answers to 127.0.0.1 and localhost on its port', async () => {
    for (const host of [`127.0.0.1:${port()}`, `LOCALHOST:${port()}`]) {
      const res = await rawRequest(shell(), 'GET', '/api/kubernetes/api/v1/namespaces', { host });
      expect([host, res.status]).toEqual([host, 200]);
    }
  });

  test.each([
    ['the cluster', '/api/kubernetes/api/v1/namespaces/x'],
    ['the backend alias', '/api/proxy/plugin/userns-builds/backend/api/v1/x'],
  ])(
    'a write to %s needs an Origin of this shell, even with a valid CSRF double submit',
    async (_name, path) => {
      const write = (headers: Record<string, string | null>) =>
        rawRequest(
          shell(),
          'PATCH',
          path,
          {
            host: `127.0.0.1:${port()}`,
            cookie: 'csrf-token=c',
            'x-csrftoken': 'c',
            'content-type': 'application/merge-patch+json',
            ...headers,
          },
          '{}',
        );
      const noOrigin = await write({});
      expect(noOrigin.status).toBe(403);
      expect(JSON.parse(noOrigin.body).message).toMatch(/needs an Origin/);
      const foreign = await write({ origin: 'http://rebind.example:9000' });
      expect(JSON.parse(foreign.body).message).toMatch(/origin "http:\/\/rebind.example:9000"/);
      expect((await write({ origin: `http://localhost:${port()}` })).status).toBe(403);
      expect(seen).toEqual([]);
      expect((await write({ origin: server.url })).status).toBe(200);
      expect(seen).toEqual([expect.objectContaining({ method: 'PATCH' })]);
    },
  );

  test('a WebSocket needs an Origin of this shell', async () => {
    expect(await openWatch()).toBe('refused 403');
    expect(await openWatch('null')).toBe('refused 403');
    expect(seen).toEqual([]);
  });
});

describe('each route of the table', () => {
  const get = (path: string, headers: Record<string, string> = {}) =>
    rawRequest(shell(), 'GET', path, headers);

  test("the plugin's assets: the manifest never cached, chunks for a minute, nothing outside", async () => {
    const manifest = await get('/api/plugins/userns-builds/plugin-manifest.json');
    expect([manifest.status, manifest.headers['cache-control']]).toEqual([200, 'no-cache']);
    expect(JSON.parse(manifest.body)).toMatchObject({ name: 'userns-builds' });
    const chunk = await get('/api/plugins/userns-builds/exposed-Page.chunk.js');
    expect([chunk.status, chunk.headers['cache-control']]).toEqual([200, 'max-age=60']);
    expect(chunk.headers['content-type']).toMatch(/^application\/javascript/);
    expect(chunk.body).toContain('plugin chunk fixture');
    for (const path of ['missing.js', '..%2Fshell-dist%2Fmain.js', '%2e%2e/shell-dist/main.js']) {
      const res = await get(`/api/plugins/userns-builds/${path}`);
      expect([path, res.status]).toEqual([path, 404]);
      expect(JSON.parse(res.body)).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    }
    // Another plugin's name is not an asset path: it falls to the API's 404.
    expect((await get('/api/plugins/other/plugin-manifest.json')).status).toBe(404);
  });

  test("translations: the plugin's namespaces from its dist, others from the fallback folder", async () => {
    const plugin = await get('/locales/resource.json?lng=en&ns=plugin__userns-builds');
    expect(JSON.parse(plugin.body)).toEqual({ 'Edit policy': 'Edit policy (fixture)' });
    const pub = await get('/locales/resource.json?lng=en&ns=public');
    expect(JSON.parse(pub.body)).toEqual({ Overview: 'Overview (fixture)' });
    for (const query of ['lng=de&ns=public', 'lng=..&ns=..%2Fplugin-dist%2Fplugin-manifest']) {
      const none = await get(`/locales/resource.json?${query}`);
      expect([query, none.status, JSON.parse(none.body)]).toEqual([query, 200, {}]);
    }
  });

  test('the demo users, with the one the cookie chose', async () => {
    const res = await get('/api/dev-console/users', { cookie: 'dev-console-user=auditor' });
    expect(JSON.parse(res.body)).toEqual({
      current: 'auditor',
      users: ['admin', 'developer', 'auditor'],
    });
  });

  test.each([
    ['an unknown API path', '/api/v1/namespaces', 'no route for /api/v1/namespaces'],
    [
      'an unknown proxy alias',
      '/api/proxy/plugin/userns-builds/nope/x',
      'no route for /api/proxy/plugin/userns-builds/nope/x',
    ],
    ['the cluster proxy without its slash', '/api/kubernetes', 'no route for /api/kubernetes'],
  ])('%s is a 404 Status and reaches no upstream', async (_name, path, message) => {
    const res = await get(path);
    expect([res.status, JSON.parse(res.body)]).toEqual([
      404,
      expect.objectContaining({ kind: 'Status', reason: 'NotFound', message }),
    ]);
    expect(seen).toEqual([]);
  });

  test("the shell's bundle under /static/, and nothing else there", async () => {
    const main = await get('/static/main.js');
    expect([main.status, main.headers['cache-control']]).toEqual([200, 'no-cache']);
    expect(main.body).toContain('shell bundle fixture');
    expect((await get('/static/%2e%2e/plugin-dist/plugin-manifest.json')).status).toBe(404);
    expect((await get('/static/nope.js')).status).toBe(404);
  });

  test.each(['/', '/k8s/ns/team-a/builds', '/api', '/settings/cluster?x=1'])(
    '%s is a page of the single-page shell, with a CSRF cookie and a default user',
    async (path) => {
      const res = await fetch(`${server.url}${path}`);
      expect([res.status, res.headers.get('content-type')]).toEqual([
        200,
        'text/html; charset=utf-8',
      ]);
      expect(await res.text()).toMatch(/<html/i);
      const cookies = res.headers.getSetCookie();
      expect(cookies).toEqual([
        expect.stringMatching(/^csrf-token=[0-9a-f]{32}; Path=\/; SameSite=Strict$/),
        'dev-console-user=admin; Path=/; SameSite=Strict',
      ]);
      const chosen = await fetch(`${server.url}${path}`, {
        headers: { cookie: 'dev-console-user=developer' },
      });
      expect(chosen.headers.getSetCookie()).toEqual([cookies[0]]);
    },
  );

  test.each(['nobody', 'constructor', 'toString', ''])(
    'a user cookie naming no demo user (%p) is replaced by the default one',
    async (name) => {
      const res = await fetch(`${server.url}/`, {
        headers: { cookie: `dev-console-user=${name}` },
      });
      expect(res.headers.getSetCookie()).toContain(
        'dev-console-user=admin; Path=/; SameSite=Strict',
      );
    },
  );

  test.each([
    ['the backend alias', '/api/proxy/plugin/userns-builds/backend/api/v1/x'],
    ['a page of the shell', '/k8s/ns/team-a/builds'],
  ])('a WebSocket to %s is a 404: only the cluster proxy takes them', async (_name, path) => {
    const ws = await upgradeTo(path);
    expect(ws.status).toBe(404);
    expect(JSON.parse(ws.body).message).toMatch(/no WebSocket route for/);
    expect(seen).toEqual([]);
  });
});
