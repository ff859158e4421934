// The image's runtime tree, built by the same script the Dockerfile runs, started with plain
// `node` from a folder outside the checkout: no node_modules, no tsx, nothing but what the image's
// last stage would contain. No container engine is needed to know the image starts and serves.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { certDir, makeCert } from '../../testing/certs';
import { httpsSend, loadReview, patchOf } from '../../backend/testing/harness';
import { finished, listeningPort } from '../../backend/testing/process';
import { buildIfStale } from '../../dev/stack';

const ROOT = resolve(__dirname, '..', '..');

let tree: string;
let child: ChildProcess | undefined;
let port: number;
let agent: Agent;

beforeAll(async () => {
  await buildIfStale(() => undefined);
  tree = mkdtempSync(join(tmpdir(), 'userns-runtime-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-runtime.mjs'), '--out', tree], {
    stdio: 'pipe',
  });
  const cert = makeCert();
  const tls = certDir(cert);
  copyFileSync(join(ROOT, 'deploy', 'examples', 'minimal.yaml'), join(tree, 'policy.yaml'));
  // A clean environment and the tree as working directory, as in the container.
  child = spawn(
    process.execPath,
    [
      'backend.mjs',
      ...['--plugin-dir', 'plugin', '--policy-file', 'policy.yaml'],
      ...['--tls-cert', tls.certPath, '--tls-key', tls.keyPath],
      ...['--port', '0', '--host', '127.0.0.1'],
    ],
    { cwd: tree, env: { PATH: process.env.PATH ?? '' }, stdio: 'pipe' },
  );
  port = await listeningPort(child);
  agent = new Agent({ keepAlive: true, ca: cert.cert });
}, 240_000);

afterAll(async () => {
  agent?.destroy();
  if (child && child.exitCode === null) {
    const done = finished(child);
    child.kill('SIGTERM');
    await done;
  }
  if (tree) rmSync(tree, { recursive: true, force: true });
});

test('the tree holds only the bundle and the plugin', () => {
  expect(readdirSync(tree).sort()).toEqual(['backend.mjs', 'plugin', 'policy.yaml']);
});

test('serves the plugin manifest, revalidated on every load', async () => {
  const res = await httpsSend({ port, agent }, 'GET', '/plugin/plugin-manifest.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.headers['cache-control']).toBe('no-cache');
  expect(res.json()).toMatchObject({ name: 'userns-builds' });

  const again = await httpsSend({ port, agent }, 'GET', '/plugin/plugin-manifest.json', undefined, {
    'if-none-match': String(res.headers.etag),
  });
  expect(again.status).toBe(304);
  expect(again.text).toBe('');
});

test('serves hashed chunks as JavaScript, cached for good', async () => {
  const entry = readdirSync(join(tree, 'plugin')).find((f) => f.startsWith('plugin-entry.'));
  expect(entry).toBeDefined();
  const res = await httpsSend({ port, agent }, 'GET', `/plugin/${entry}`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
  expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.text.length).toBeGreaterThan(100);
});

test('serves the locales the console fetches', async () => {
  const res = await httpsSend(
    { port, agent },
    'GET',
    '/plugin/locales/en/plugin__userns-builds.json',
  );
  expect(res.status).toBe(200);
  expect(Object.keys(res.json()).length).toBeGreaterThan(0);
});

// Dot segments never reach the asset table: the router refuses them as a bad request.
test.each([
  ['/plugin/../backend.mjs', 400],
  ['/plugin/%2e%2e/backend.mjs', 400],
  ['/plugin/', 404],
  ['/plugin/nope.js', 404],
])('refuses %s without reading the filesystem', async (path, status) => {
  const res = await httpsSend({ port, agent }, 'GET', path);
  expect(res.status).toBe(status);
  expect(res.text).not.toContain('createRequire');
});

test('admits a build pod on /mutate', async () => {
  const res = await httpsSend(
    { port, agent },
    'POST',
    '/mutate',
    JSON.stringify(loadReview('review-docker-privileged')),
  );
  expect(res.status).toBe(200);
  expect(res.json().response.allowed).toBe(true);
  expect(patchOf(res.json()).length).toBeGreaterThan(0);
});

test('answers /healthz and reports the certificate expiry', async () => {
  expect((await httpsSend({ port, agent }, 'GET', '/healthz')).status).toBe(200);
  const metrics = await httpsSend({ port, agent }, 'GET', '/metrics');
  const line = metrics.text
    .split('\n')
    .find((l) => l.startsWith('userns_tls_certificate_expiry_timestamp_seconds '));
  const expiry = Number(line?.split(' ')[1]);
  // makeCert's certificates are valid for one day.
  expect(expiry).toBeGreaterThan(Date.now() / 1000);
  expect(expiry).toBeLessThan(Date.now() / 1000 + 2 * 86400);
});
