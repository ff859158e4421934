// Drives the real kubectl against the emulator with a kubeconfig it writes. kubectl only sends
// bearer tokens over TLS, so this cluster serves HTTPS with the dev CA.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCluster, type Cluster } from './index';

const run = promisify(execFile);
const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const fixtures = join(__dirname, 'fixtures');

let cluster: Cluster;
let kubeconfig: string;

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(
    KUBECTL,
    ['--kubeconfig', kubeconfig, '--request-timeout=20s', ...args],
    {
      timeout: 30_000,
    },
  );
  return stdout;
}

/** Runs `kubectl ... -w` until `until` holds for its output, then stops it; bounded by a kill timer. */
function watchUntil(
  args: string[],
  until: (out: string) => boolean,
  trigger: () => Promise<unknown>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, ...args]);
    let out = '';
    let triggered = false;
    const killer = setTimeout(() => child.kill(), 30_000);
    // The first output (rows, or "No resources found" on stderr) means the watch is listening.
    const started = () => {
      if (triggered) return;
      triggered = true;
      trigger().catch(reject);
    };
    child.stderr.on('data', started);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      started();
      if (until(out)) child.kill();
    });
    child.on('exit', () => {
      clearTimeout(killer);
      resolve(out);
    });
  });
}

beforeAll(async () => {
  if (!existsSync(KUBECTL)) {
    throw new Error(
      `kubectl not found at ${KUBECTL}: install Debian's kubernetes-client or set KUBECTL`,
    );
  }
  cluster = await startCluster({
    port: 0,
    tls: true,
    seed: { builds: 20 },
    buildTimer: { stepMs: 5 },
  });
  kubeconfig = cluster.writeKubeconfig('admin');
});

afterAll(() => cluster.stop());

describe(`kubectl (${KUBECTL})`, () => {
  it('lists builds with server-side columns', async () => {
    const out = await kubectl('get', 'builds', '-A');
    expect(out.split('\n')[0]).toMatch(
      /^NAMESPACE\s+NAME\s+TYPE\s+FROM\s+STATUS\s+STARTED\s+DURATION\s+AGE$/,
    );
    expect(out.trim().split('\n')).toHaveLength(21);
  });

  it('creates, patches, reads and deletes a pod', async () => {
    expect(await kubectl('create', '-f', join(fixtures, 'pod.yaml'), '-n', 'team-a')).toBe(
      'pod/demo created\n',
    );
    expect(
      await kubectl(
        'patch',
        'pod',
        'demo',
        '-n',
        'team-a',
        '-p',
        '{"metadata":{"labels":{"patched":"yes"}}}',
      ),
    ).toBe('pod/demo patched\n');
    const labels = await kubectl(
      'get',
      'pod',
      'demo',
      '-n',
      'team-a',
      '-o',
      'jsonpath={.metadata.labels}',
    );
    expect(JSON.parse(labels)).toEqual({ app: 'demo', patched: 'yes' });
    expect(await kubectl('delete', 'pod', 'demo', '-n', 'team-a')).toBe('pod "demo" deleted\n');
    await expect(kubectl('get', 'pod', 'demo', '-n', 'team-a')).rejects.toThrow(
      /NotFound|not found/,
    );
  });

  it('creates a BuildConfig, instantiates it and watches the build complete', async () => {
    await kubectl('create', '-f', join(fixtures, 'bc-docker.yaml'), '-n', 'team-b');
    // A finished build already listed, so the watch prints a row as soon as it is listening.
    await kubectl('create', '-f', join(fixtures, 'build-finished.yaml'), '-n', 'team-b');
    const out = await watchUntil(
      [
        'get',
        'builds',
        '-n',
        'team-b',
        '-l',
        'buildconfig=web',
        '-w',
        '-o',
        'custom-columns=NAME:.metadata.name,PHASE:.status.phase',
        '--no-headers',
      ],
      (o) => /web-1\s+Complete/.test(o),
      () =>
        kubectl(
          'create',
          '--raw',
          '/apis/build.openshift.io/v1/namespaces/team-b/buildconfigs/web/instantiate',
          '-f',
          join(fixtures, 'buildrequest-web.json'),
        ),
    );
    expect(out).toMatch(/web-1\s+Running/);
    expect(out).toMatch(/web-1\s+Complete/);
    expect(out.split('\n')[0]).toMatch(/^web-0\s+Complete$/);
    expect(await kubectl('get', 'pods', '-n', 'team-b', '-o', 'name')).toBe('pod/web-1-build\n');
  }, 40_000);

  it('manages the BuildPolicy and watches it change', async () => {
    await kubectl('delete', 'buildpolicy', 'cluster');
    expect(await kubectl('create', '-f', join(fixtures, 'buildpolicy.yaml'))).toBe(
      'buildpolicy.userns.builds.dev/cluster created\n',
    );
    const out = await watchUntil(
      ['get', 'buildpolicies', '-w', '--no-headers'],
      (o) => /cluster\s+Enabled\s+Required/.test(o),
      () =>
        kubectl(
          'patch',
          'buildpolicy',
          'cluster',
          '--type=merge',
          '-p',
          '{"spec":{"userNamespaces":{"override":"Required"}}}',
        ),
    );
    expect(out.split('\n')[0]).toMatch(/^cluster\s+Enabled\s+None\s+CRIOAnnotation/);
  });

  it('shows RBAC denials as kubectl errors', async () => {
    kubeconfig = cluster.writeKubeconfig('auditor');
    try {
      await expect(kubectl('delete', 'build', 'web-1', '-n', 'team-b')).rejects.toThrow(
        /User "auditor" cannot delete resource "builds" in API group "build.openshift.io" in the namespace "team-b"/,
      );
      expect(await kubectl('auth', 'can-i', 'list', 'builds', '-A')).toBe('yes\n');
    } finally {
      kubeconfig = cluster.writeKubeconfig('admin');
    }
  });
});
