// deploy/enforcement/ on the local cluster, with deploy/'s own webhook configuration and the real
// backend — started, and stopped the way an outage stops it. The emulator's build controller makes
// the build pods, so a refused pod ends the way openshift-controller-manager leaves the Build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { createLogger } from '../../backend/log';
import type { RunningService } from '../../backend/service';
import { makeCert } from '../../testing/certs';
import { LogCapture, startClusterService } from '../../backend/testing/harness';
import type { Build, BuildPolicySpec, Pod } from '@userns-builds/core';
import { startCluster, type Cluster } from './index';
import { call, createPolicies, fixture, type Json } from './test-helpers';
import { until } from '../../testing/until';

const DEPLOY = join(__dirname, '..', '..', 'deploy');
const NS = 'team-c';
const EXEMPT = 'team-b';
const POLICY_PATH = '/apis/userns.builds.dev/v1alpha1/buildpolicies';
const MWC_PATH = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';
const cert = makeCert();
let cluster: Cluster;
let service: RunningService | undefined;

async function ok(res: Promise<{ status: number; body: Json }>): Promise<Json> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function setPolicy(spec: BuildPolicySpec | null): Promise<void> {
  const current = await call(cluster, `${POLICY_PATH}/cluster`);
  if (spec === null) {
    if (current.status === 200)
      await ok(call(cluster, `${POLICY_PATH}/cluster`, { method: 'DELETE' }));
    return;
  }
  const body = {
    apiVersion: 'userns.builds.dev/v1alpha1',
    kind: 'BuildPolicy',
    metadata:
      current.status === 200
        ? { name: 'cluster', resourceVersion: current.body.metadata.resourceVersion }
        : { name: 'cluster' },
    spec,
  };
  if (current.status === 200)
    await ok(call(cluster, `${POLICY_PATH}/cluster`, { method: 'PUT', body }));
  else await ok(call(cluster, POLICY_PATH, { method: 'POST', body }));
  // The backend reads the policy from a watch: wait until its webhook answers with it.
  if (service) await new Promise((r) => setTimeout(r, 200));
}

/** Starts the backend and points deploy/'s webhook configuration at it. */
async function startBackend(): Promise<void> {
  service = await startClusterService(
    cluster.writeKubeconfig('backend'),
    cert,
    createLogger('warn', new LogCapture()),
  );
  const mwc = parse(
    readFileSync(join(DEPLOY, 'webhook', 'mutatingwebhookconfiguration.yaml'), 'utf8'),
  ) as Json;
  mwc.webhooks[0].clientConfig = {
    url: `https://127.0.0.1:${service.port}/mutate`,
    caBundle: cert.cert.toString('base64'),
  };
  const current = await call(cluster, `${MWC_PATH}/${mwc.metadata.name}`);
  if (current.status === 200) {
    mwc.metadata.resourceVersion = current.body.metadata.resourceVersion;
    await ok(call(cluster, `${MWC_PATH}/${mwc.metadata.name}`, { method: 'PUT', body: mwc }));
  } else await ok(call(cluster, MWC_PATH, { method: 'POST', body: mwc }));
}

/** An outage: the process goes away, its webhook registration stays (failurePolicy: Ignore). */
async function stopBackend(): Promise<void> {
  await service?.stop(500);
  service = undefined;
}

async function startBuild(ns: string): Promise<string> {
  const started = await ok(
    call(cluster, `/apis/build.openshift.io/v1/namespaces/${ns}/buildconfigs/web/instantiate`, {
      method: 'POST',
      user: 'developer',
      body: {
        kind: 'BuildRequest',
        apiVersion: 'build.openshift.io/v1',
        metadata: { name: 'web' },
      },
    }),
  );
  return started.metadata.name as string;
}

async function getBuild(ns: string, name: string): Promise<Build> {
  return (await call(cluster, `/apis/build.openshift.io/v1/namespaces/${ns}/builds/${name}`))
    .body as Build;
}

async function finished(ns: string, name: string): Promise<{ build: Build; pod: Pod }> {
  const build = await until(async () => {
    const b = await getBuild(ns, name);
    return ['Complete', 'Failed', 'Error'].includes(b.status?.phase ?? '') ? b : undefined;
  }, `${name} finishes`);
  const pod = (await call(cluster, `/api/v1/namespaces/${ns}/pods/${name}-build`)).body as Pod;
  return { build, pod };
}

beforeAll(async () => {
  cluster = await startCluster({ port: 0, seed: false, buildTimer: { stepMs: 1 } });
  for (const name of [NS, EXEMPT]) {
    await ok(call(cluster, '/api/v1/namespaces', { method: 'POST', body: { metadata: { name } } }));
    await ok(
      call(cluster, `/apis/build.openshift.io/v1/namespaces/${name}/buildconfigs`, {
        method: 'POST',
        body: fixture('bc-docker.yaml'),
      }),
    );
  }
  const docs = parseAllDocuments(
    readFileSync(join(DEPLOY, 'enforcement', 'enforcement.yaml'), 'utf8'),
  )
    .map((d) => d.toJS() as Json)
    .filter(Boolean);
  await createPolicies(cluster, docs);
  await startBackend();
});

afterAll(async () => {
  await stopBackend();
  await cluster?.stop();
});

describe('override: Required', () => {
  it('with the backend stopped, refuses the build pod and the Build says why', async () => {
    await setPolicy({ userNamespaces: { override: 'Required', exemptNamespaces: [EXEMPT] } });
    await stopBackend();
    const name = await startBuild(NS);
    const build = await until(async () => {
      const b = await getBuild(NS, name);
      return b.status?.reason ? b : undefined;
    }, `${name} gets a reason`);
    // openshift-controller-manager leaves the Build New, to try again, with this reason.
    expect(build.status).toMatchObject({
      phase: 'New',
      reason: 'CannotCreateBuildPod',
      message: 'Failed creating build pod.',
    });
    expect((await call(cluster, `/api/v1/namespaces/${NS}/pods/${name}-build`)).status).toBe(404);
    const events = await ok(
      call(
        cluster,
        `/api/v1/namespaces/${NS}/events?fieldSelector=involvedObject.kind=Build,involvedObject.name=${name}`,
        { user: 'developer' },
      ),
    );
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({ type: 'Warning', reason: 'FailedCreate' });
    expect(events.items[0].message).toMatch(
      new RegExp(
        `^Error creating build pod: pods "${name}-build" is forbidden: ValidatingAdmissionPolicy 'userns-builds-required' with binding 'userns-builds-required' denied request: Build pod refused in namespace ${NS}: container docker-build is privileged\\. .*Start the userns-builds backend .* or exempt the namespace`,
      ),
    );
  });

  it('the same pod created by hand is a 403 Status carrying the message', async () => {
    const name = await startBuild(NS);
    await until(async () => !!(await getBuild(NS, name)).status?.reason, 'refused');
    // The build controller's own pod for that build, as it would send it again.
    const pod = fixture<Json>('pod.yaml');
    pod.metadata = { name: `${name}-manual`, labels: { 'openshift.io/build.name': name } };
    pod.spec.containers = [
      { name: 'docker-build', image: 'builder', securityContext: { privileged: true } },
    ];
    const res = await call(cluster, `/api/v1/namespaces/${NS}/pods`, { method: 'POST', body: pod });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect(res.body.message).toContain(`Build pod refused in namespace ${NS}`);
  });

  it('with the backend running, the same build is admitted user-namespaced', async () => {
    await startBackend();
    await new Promise((r) => setTimeout(r, 200));
    const name = await startBuild(NS);
    const { build, pod } = await finished(NS, name);
    expect(build.status?.phase).toBe('Complete');
    expect(pod.spec.containers[0]!.securityContext?.privileged).toBe(false);
    expect(pod.metadata.annotations).toMatchObject({
      'io.openshift.builder': '',
      'io.kubernetes.cri-o.userns-mode': 'auto:size=65536',
      'userns.builds.dev/decision-source': 'Override',
    });
  });

  it('an exempt namespace builds privileged, backend or not', async () => {
    await stopBackend();
    const name = await startBuild(EXEMPT);
    const { build, pod } = await finished(EXEMPT, name);
    expect(build.status?.phase).toBe('Complete');
    expect(pod.spec.containers[0]!.securityContext?.privileged).toBe(true);
  });
});

describe('default: Enabled without Required', () => {
  it('with the backend stopped, the build runs privileged and its creator is warned', async () => {
    await setPolicy({ userNamespaces: { default: 'Enabled' } });
    const name = await startBuild(NS);
    const { build, pod } = await finished(NS, name);
    expect(build.status?.phase).toBe('Complete');
    expect(pod.spec.containers[0]!.securityContext?.privileged).toBe(true);
    // Whoever creates such a pod gets the warning (oc prints it): here, an admin by hand.
    const copy = fixture<Json>('pod.yaml');
    copy.metadata = { name: `${name}-copy`, labels: { 'openshift.io/build.name': name } };
    copy.spec.containers = [
      { name: 'docker-build', image: 'builder', securityContext: { privileged: true } },
    ];
    const res = await call(cluster, `/api/v1/namespaces/${NS}/pods`, {
      method: 'POST',
      body: copy,
    });
    expect(res.status).toBe(201);
    const warning = res.headers.get('warning') ?? '';
    // After the webhook's own (it is down): one warning per failed check.
    expect(warning).toContain('failed calling webhook');
    expect(warning).toMatch(
      /299 - "Validation failed for ValidatingAdmissionPolicy 'userns-builds-default' with binding 'userns-builds-default': Build pod in namespace team-c runs without a user namespace: container docker-build is privileged/,
    );
    // Audit records each failed check too: privileged, and no userns-mode annotation.
    expect(cluster.api.admission.auditLog.slice(-2)).toMatchObject([
      { policy: 'userns-builds-default', validation: 0 },
      { policy: 'userns-builds-default', validation: 1 },
    ]);
  });
});

describe('no BuildPolicy', () => {
  it('deleting the BuildPolicy turns enforcement off (parameterNotFoundAction: Allow)', async () => {
    await setPolicy({ userNamespaces: { override: 'Required' } });
    const refused = await startBuild(NS);
    await until(
      async () => !!(await getBuild(NS, refused)).status?.reason,
      'refused while the policy exists',
    );
    await setPolicy(null);
    const name = await startBuild(NS);
    const { build, pod } = await finished(NS, name);
    expect(build.status?.phase).toBe('Complete');
    expect(pod.spec.containers[0]!.securityContext?.privileged).toBe(true);
  });
});
