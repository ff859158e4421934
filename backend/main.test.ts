// The real entry point as a process: exit codes for bad settings, and a SIGTERM drain that exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certDir, makeCert } from '../testing/certs';
import { httpsSend, loadReview, patchOf } from './testing/harness';
import { finished, listeningPort } from './testing/process';
import { ODD_TARGETS, rawRequest } from './testing/raw-http';

const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

// A test that fails half-way must not leave its backend running (jest would hang on it).
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.clear();
});

function run(args: string[], env: Record<string, string> = {}): ChildProcess {
  // A clean environment: nothing of the host's (e.g. KUBERNETES_SERVICE_HOST) leaks in.
  const child = spawn(TSX, ['backend/main.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'pipe',
  });
  children.add(child);
  return child;
}

/** The backend on a free port of 127.0.0.1 with a minimal policy file and a fresh certificate. */
function startOnPolicyFile() {
  const dir = mkdtempSync(join(tmpdir(), 'main-'));
  const cert = makeCert();
  const paths = certDir(cert);
  writeFileSync(join(dir, 'policy.yaml'), 'userNamespaces: {default: Enabled}\n');
  const child = run([
    ...['--tls-cert', paths.certPath, '--tls-key', paths.keyPath, '--port', '0'],
    ...['--host', '127.0.0.1', '--policy-file', join(dir, 'policy.yaml')],
  ]);
  return { cert, child, done: finished(child) };
}

test.each([
  [[], {}, /--tls-cert \(USERNS_TLS_CERT\)/],
  [
    ['--tls-cert', 'c', '--tls-key', 'k', '--policy-file', 'p', '--port', 'http'],
    {},
    /--port \(USERNS_PORT\): must be a whole number/,
  ],
  [
    ['--tls-cert', 'c', '--tls-key', 'k'],
    { USERNS_POLICY_FILE: '', USERNS_LOG_LEVEL: 'chatty' },
    /--log-level/,
  ],
])('bad settings %j exit 2 naming the setting', async (args, env, message) => {
  const result = await finished(run(args as string[], env as Record<string, string>));
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
});

test('an invalid policy file exits 2 listing its problems', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'main-'));
  const paths = certDir(makeCert());
  writeFileSync(join(dir, 'policy.yaml'), 'userNamespaces: {default: Sometimes, mode: Magic}\n');
  const result = await finished(
    run([
      '--tls-cert',
      paths.certPath,
      '--tls-key',
      paths.keyPath,
      '--policy-file',
      join(dir, 'policy.yaml'),
    ]),
  );
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/policy\.yaml is not a valid BuildPolicy/);
  expect(result.stderr).toMatch(/default/);
  expect(result.stderr).toMatch(/mode/);
});

test('serves reviews from a policy file, then drains on SIGTERM and exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'main-'));
  const cert = makeCert();
  const paths = certDir(cert);
  writeFileSync(
    join(dir, 'policy.yaml'),
    'apiVersion: userns.builds.dev/v1alpha1\nkind: BuildPolicy\nmetadata: {name: cluster}\nspec:\n  userNamespaces: {default: Enabled}\n',
  );
  const child = run([], {
    USERNS_TLS_CERT: paths.certPath,
    USERNS_TLS_KEY: paths.keyPath,
    USERNS_POLICY_FILE: join(dir, 'policy.yaml'),
    USERNS_PORT: '0',
    USERNS_HOST: '127.0.0.1',
  });
  const done = finished(child);
  const port = await listeningPort(child);
  const agent = new Agent({ keepAlive: true, ca: cert.cert });
  try {
    const res = await httpsSend(
      { port, agent },
      'POST',
      '/mutate',
      JSON.stringify(loadReview('review-docker-privileged')),
    );
    expect(res.status).toBe(200);
    expect(patchOf(res.json()).length).toBeGreaterThan(0);
  } finally {
    agent.destroy();
  }
  child.kill('SIGTERM');
  const result = await done;
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/"msg":"stopped"/);
});

test('a body over the default 6 MiB cap gets its 413, never a reset connection', async () => {
  // A socket closed while body bytes are still unread is reset by TCP, and the client then loses
  // the 413 it was already sent. It shows only with the server in another process, so here.
  const { cert, child, done } = startOnPolicyFile();
  try {
    const port = await listeningPort(child);
    const big = Buffer.alloc(7 * 1024 * 1024, 0x20);
    const answers: string[] = [];
    for (let i = 0; i < 8; i++) {
      const headers: Record<string, string> = i % 2 ? { 'transfer-encoding': 'chunked' } : {};
      const once = new Agent({ keepAlive: false, ca: cert.cert });
      answers.push(
        await httpsSend({ port, agent: once }, 'POST', '/mutate', big, headers).then(
          (r) => String(r.status),
          (err: NodeJS.ErrnoException) => err.code ?? err.message,
        ),
      );
      once.destroy();
    }
    expect(answers).toEqual(Array(8).fill('413'));
  } finally {
    child.kill('SIGTERM');
    await done;
  }
}, 30_000);

test('odd request targets are answered and the process keeps answering /healthz, also to HEAD', async () => {
  const { cert, child, done } = startOnPolicyFile();
  try {
    const port = await listeningPort(child);
    const server = { port, ca: cert.cert };
    const answers: Record<string, number> = {};
    for (const target of ODD_TARGETS) {
      const res = await rawRequest(server, 'GET', target);
      answers[target.slice(0, 20)] = res.status;
      expect(res.body).not.toMatch(/TypeError|URIError|at .*\.ts/);
      const health = await rawRequest(server, 'GET', '/healthz');
      expect([target.slice(0, 20), health.status]).toEqual([target.slice(0, 20), 200]);
    }
    expect(answers).toEqual({
      '//[': 400,
      '//host:99999/x': 400,
      '*': 400,
      'http://[/x': 400,
      'https://127.0.0.1:1/': 200,
      'ftp://example.com/x': 400,
      'example.com:443': 400,
      '/%zz': 400,
      '/healthz/%': 400,
      '/a?b=%zz#frag': 404,
      ['/'.repeat(20)]: 400,
    });
    // The 400 says what was wrong with the target.
    const odd = await rawRequest(server, 'GET', '//[');
    expect(JSON.parse(odd.body)).toMatchObject({
      kind: 'Status',
      code: 400,
      reason: 'BadRequest',
      message: 'path "//[" has "[", which a URL path may not contain unescaped',
    });
    const head = await rawRequest(server, 'HEAD', '/healthz');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body).toBe('');
    const readyHead = await rawRequest(server, 'HEAD', '/readyz');
    expect(readyHead.status).toBe(200);
    expect(readyHead.body).toBe('');
    expect((await rawRequest(server, 'HEAD', '/mutate')).headers.allow).toBe('POST');
    expect(child.exitCode).toBeNull();
  } finally {
    child.kill('SIGTERM');
    await done;
  }
}, 30_000);
