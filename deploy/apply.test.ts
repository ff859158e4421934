// The install, end to end on the local cluster: `kubectl apply -k deploy/overlays/openshift` as an
// admin would run it, the documented policy step, the backend started from the image's runtime
// tree with the Deployment's own arguments (read back from the cluster), and a developer's build
// pod admitted through the webhook that the install registered by Service reference.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { certDir, makeCert } from '../testing/certs';
import { httpsSend } from '../backend/testing/harness';
import { finished, listeningPort } from '../backend/testing/process';
import { until } from '../testing/until';
import { startCluster, type Cluster } from '../dev/cluster/index';
import { buildIfStale } from '../dev/stack';
import { DEPLOY, KUBECTL } from './testing/manifests';

const ROOT = resolve(DEPLOY, '..');
const SERVICE = { namespace: 'userns-builds', name: 'userns-builds-backend', port: 8443 };
const run = promisify(execFile);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects read back from kubectl
type Any = any;

let cluster: Cluster;
let tree: string;
let backend: ChildProcess | undefined;
let backendPort: number;
const cert = makeCert('userns-builds-backend', [`${SERVICE.name}.${SERVICE.namespace}.svc`]);
const agent = new Agent({ keepAlive: false, ca: cert.cert });

async function kubectl(user: 'admin' | 'developer', ...args: string[]): Promise<string> {
  const { stdout } = await run(KUBECTL, ['--kubeconfig', cluster.writeKubeconfig(user), ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

beforeAll(async () => {
  if (!existsSync(KUBECTL)) throw new Error(`kubectl not found at ${KUBECTL}`);
  await buildIfStale(() => undefined);
  tree = mkdtempSync(join(tmpdir(), 'userns-runtime-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-runtime.mjs'), '--out', tree], {
    stdio: 'pipe',
  });
  cluster = await startCluster({ port: 0, tls: true, seed: false, buildTimer: { stepMs: 50 } });
  // What the OpenShift service CA does for the install: it signs the Service's certificate and
  // injects its CA into the annotated webhook configuration.
  cluster.services.serviceCA = cert.cert;
}, 240_000);

afterAll(async () => {
  agent.destroy();
  if (backend && backend.exitCode === null) {
    const done = finished(backend);
    backend.kill('SIGTERM');
    await done;
  }
  await cluster?.stop();
  if (tree) rmSync(tree, { recursive: true, force: true });
});

test('kubectl apply -k installs every object on an empty cluster, and can be re-applied', async () => {
  const first = await kubectl('admin', 'apply', '-k', join(DEPLOY, 'overlays', 'openshift'));
  const lines = first.trim().split('\n');
  expect(lines.length).toBeGreaterThanOrEqual(17);
  for (const line of lines) {
    // The emulator creates the backend's namespace and the CRD at start (npm start needs them);
    // on an empty cluster they are created here like the rest.
    const preinstalled = /^(namespace|customresourcedefinition[\w.]*)\//.test(line);
    expect(line).toMatch(preinstalled ? / (created|configured)$/ : / created$/);
  }
  const again = await kubectl('admin', 'apply', '-k', join(DEPLOY, 'overlays', 'openshift'));
  // Re-applying an install (an upgrade with no change) succeeds and creates nothing new.
  for (const line of again.trim().split('\n')) expect(line).toMatch(/ (unchanged|configured)$/);
}, 60_000);

test('the policy step applies once the CRD is there, and changes nothing until an admin opts in', async () => {
  expect(await kubectl('admin', 'apply', '-k', join(DEPLOY, 'policy'))).toMatch(
    /buildpolicy.userns.builds.dev\/cluster created/,
  );
  const policy = JSON.parse(await kubectl('admin', 'get', 'buildpolicy', 'cluster', '-o', 'json'));
  expect(policy.spec.userNamespaces.default).toBe('Disabled');
});

test('enforcement applies as step three, bound to that policy', async () => {
  const out = await kubectl('admin', 'apply', '-k', join(DEPLOY, 'enforcement'));
  expect(out).toMatch(/validatingadmissionpolicy.admissionregistration.k8s.io\/\S+ created/);
  expect(out).toMatch(/validatingadmissionpolicybinding.admissionregistration.k8s.io\/\S+ created/);
});

test('the backend starts from the runtime tree with the Deployment’s own arguments', async () => {
  const deployment: Any = JSON.parse(
    await kubectl(
      'admin',
      'get',
      'deployment',
      SERVICE.name,
      '-n',
      SERVICE.namespace,
      '-o',
      'json',
    ),
  );
  const container = deployment.spec.template.spec.containers[0];
  const tls = certDir(cert);
  // What the kubelet would provide: the Secret mounted at /var/serving-cert, the image's tree at
  // /opt/userns-builds, a service account (here the demo backend's kubeconfig), a pod IP.
  const kubeconfig = cluster.writeKubeconfig('backend');
  const args = (container.args as string[]).map((a) =>
    a
      .replace('/var/serving-cert', tls.dir)
      .replace('/opt/userns-builds', tree)
      .replace(/^--in-cluster$/, `--kubeconfig=${kubeconfig}`)
      .replace(/^--port=\d+$/, '--port=0'),
  );
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const e of container.env as Any[]) {
    env[e.name] =
      e.value ??
      (e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace'
        ? SERVICE.namespace
        : `${SERVICE.name}-0`);
  }
  backend = spawn(process.execPath, ['backend.mjs', ...args, '--host=127.0.0.1'], {
    cwd: tree,
    env,
    stdio: 'pipe',
  });
  backendPort = await listeningPort(backend);
  cluster.services.register(SERVICE, { port: backendPort });
  await until(
    async () => (await httpsSend({ port: backendPort, agent }, 'GET', '/readyz')).status === 200,
    'the backend is ready',
  );
  const manifest = await httpsSend(
    { port: backendPort, agent },
    'GET',
    '/plugin/plugin-manifest.json',
  );
  expect(manifest.json().name).toBe('userns-builds');
}, 60_000);

test('a developer’s build pod is admitted user-namespaced through the Service-referenced webhook', async () => {
  await kubectl(
    'admin',
    'patch',
    'buildpolicy',
    'cluster',
    '--type=merge',
    '-p',
    '{"spec":{"userNamespaces":{"default":"Enabled"}}}',
  );
  const metrics = async () =>
    (await httpsSend({ port: backendPort, agent }, 'GET', '/metrics')).text;
  await until(
    async () => /userns_webhook_policy_generation 2\b/.test(await metrics()),
    'the backend sees the edited policy',
  );
  // kubectl's `create namespace` sends protobuf, which the emulator does not speak: a manifest.
  await kubectl(
    'admin',
    'apply',
    '-f',
    join(ROOT, 'dev', 'cluster', 'fixtures', 'namespace-team-a.yaml'),
  );
  await kubectl(
    'developer',
    'create',
    '-n',
    'team-a',
    '-f',
    join(ROOT, 'dev', 'cluster', 'fixtures', 'bc-docker.yaml'),
  );
  await kubectl(
    'developer',
    'create',
    '--raw',
    '/apis/build.openshift.io/v1/namespaces/team-a/buildconfigs/web/instantiate',
    '-f',
    join(ROOT, 'dev', 'cluster', 'fixtures', 'buildrequest-web.json'),
  );
  const pod: Any = await until(
    () =>
      kubectl('developer', 'get', 'pod', 'web-1-build', '-n', 'team-a', '-o', 'json')
        .then((out) => JSON.parse(out))
        .catch(() => undefined),
    'the build pod exists',
  );
  expect(pod.metadata.annotations).toMatchObject({
    'io.openshift.builder': '',
    'io.kubernetes.cri-o.userns-mode': 'auto:size=65536',
  });
  const build = pod.spec.containers.find((c: Any) => c.name === 'docker-build');
  expect(build.securityContext.privileged).toBe(false);
  expect(await metrics()).toMatch(
    /userns_webhook_reviews_total\{outcome="patched",source="Default"\} 1\b/,
  );
}, 60_000);

test('the recorder’s verdict passes the installed integrity policy; a developer can neither change it nor make a builder pod', async () => {
  const verdictOf = async (): Promise<string | undefined> =>
    JSON.parse(await kubectl('developer', 'get', 'build', 'web-1', '-n', 'team-a', '-o', 'json'))
      .metadata.annotations?.['userns.builds.dev/verdict'];
  // The recorder writes as the Deployment's service account, which is all the policy lets through.
  const recorded = await until(verdictOf, 'the recorder writes the verdict of web-1', 1500);
  expect(recorded).toMatch(/^(UserNamespaced|Requested)$/);
  const refusal = (args: string[]) =>
    kubectl('developer', ...args).then(
      () => 'admitted',
      (e: { stderr?: string }) => e.stderr ?? String(e),
    );
  expect(
    await refusal([
      'annotate',
      'build',
      'web-1',
      '-n',
      'team-a',
      '--overwrite',
      'userns.builds.dev/verdict=Privileged',
    ]),
  ).toMatch(
    /ValidatingAdmissionPolicy 'userns-builds-verdicts' with binding 'userns-builds-verdicts' denied request: the annotations userns\.builds\.dev\/verdict record what the userns-builds backend observed/,
  );
  expect(await verdictOf()).toBe(recorded);
  expect(
    await refusal([
      'annotate',
      'pod',
      'web-1-build',
      '-n',
      'team-a',
      '--overwrite',
      'io.kubernetes.cri-o.userns-mode=auto:uidmapping=0:0:65536',
    ]),
  ).toMatch(/ValidatingAdmissionPolicy 'userns-builds-builder-annotation' .* denied request/);
}, 60_000);
