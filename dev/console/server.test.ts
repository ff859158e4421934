// The shell's server in the role of the console's bridge: it adds the demo user's token to what
// it proxies, refuses writes without the CSRF double submit, refuses WebSockets from other
// origins, and never writes a token to its log.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { startConsoleServer, type ConsoleServer } from './server';

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
  const dist = mkdtempSync(join(tmpdir(), 'shell-test-'));
  server = await startConsoleServer({
    clusterUrl: base,
    tokens: TOKENS,
    pluginName: 'userns-builds',
    pluginDist: dist,
    shellDist: dist,
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
      headers: { 'content-type': 'application/json', ...headers },
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
