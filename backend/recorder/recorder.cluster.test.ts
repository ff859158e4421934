// The verdict recorder in the whole backend, against the local cluster: builds started by the
// developer get their verdict on the Build, the verdict outlives the pod, and of two backends
// only the Lease holder writes, handing over when it stops or dies.
import { Agent } from 'node:https';
import {
  BUILD_POD_NAME_ANNOTATION,
  DECISION_SOURCE_ANNOTATION,
  EVIDENCE_ANNOTATION,
  RECORD_ANNOTATIONS,
  RECORDED_FOR_ANNOTATION,
  VERDICT_ANNOTATION,
  type Build,
} from '@userns-builds/core';
import { startCluster, type Cluster } from '../../dev/cluster';
import { call, createPolicies, fixture } from '../../dev/cluster/test-helpers';
import { createLogger } from '../log';
import type { RunningService } from '../service';
import { makeCert } from '../../testing/certs';
import { LogCapture, httpsSend, loadReview, startClusterService } from '../testing/harness';
import { until } from '../../testing/until';

const NS = 'team-a';
const LEASE = '/apis/coordination.k8s.io/v1/namespaces/userns-builds/leases/userns-builds-recorder';
const cert = makeCert();
const agent = new Agent({ keepAlive: false, ca: cert.cert });
let cluster: Cluster;
const services = new Map<string, RunningService>();

async function startBackend(identity: string): Promise<RunningService> {
  const service = await startClusterService(
    cluster.writeKubeconfig('backend'),
    cert,
    createLogger('warn', new LogCapture()),
    ['--lease-identity', identity, '--lease-duration-seconds', '2', '--recorder-rate', '50'],
  );
  services.set(identity, service);
  return service;
}

async function stopBackend(identity: string): Promise<void> {
  await services.get(identity)?.stop(500);
  services.delete(identity);
}

const leaders = () => [...services.entries()].filter(([, s]) => s.recorder?.elector.isLeader());

async function written(service: RunningService): Promise<number> {
  const text = await service.metrics.registry.getSingleMetricAsString(
    'userns_recorder_judgements_total',
  );
  return Number(/result="written"} (\d+)/.exec(text)?.[1] ?? 0);
}

async function startBuild(bc: string): Promise<string> {
  const res = await call(
    cluster,
    `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs/${bc}/instantiate`,
    {
      method: 'POST',
      user: 'developer',
      body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name: bc } },
    },
  );
  expect(res.status).toBe(201);
  return res.body.metadata.name as string;
}

async function build(name: string): Promise<Build> {
  return (await call(cluster, `/apis/build.openshift.io/v1/namespaces/${NS}/builds/${name}`))
    .body as Build;
}

async function verdictOf(name: string): Promise<string | undefined> {
  await until(
    async () => (await build(name)).metadata.annotations?.[VERDICT_ANNOTATION] !== undefined,
    `${name} gets a verdict`,
  );
  return (await build(name)).metadata.annotations?.[VERDICT_ANNOTATION];
}

/** A developer, who may edit Builds, changes annotations on one. */
async function forge(name: string, annotations: Record<string, string>): Promise<void> {
  const res = await call(cluster, `/apis/build.openshift.io/v1/namespaces/${NS}/builds/${name}`, {
    method: 'PATCH',
    user: 'developer',
    headers: { 'content-type': 'application/merge-patch+json' },
    body: { metadata: { annotations } },
  });
  expect(res.status).toBe(200);
}

/** A Deny policy that refuses the build pod of one Build, whoever creates it. */
function noPodFor(buildName: string): object[] {
  const name = `no-pod-for-${buildName}`;
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] },
          ],
        },
        validations: [{ expression: `object.metadata.name != '${buildName}-build'` }],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: { policyName: name, validationActions: ['Deny'] },
    },
  ];
}

beforeAll(async () => {
  cluster = await startCluster({ port: 0, seed: false, buildTimer: { stepMs: 50 } });
  await call(cluster, '/api/v1/namespaces', { method: 'POST', body: { metadata: { name: NS } } });
  for (const f of ['bc-docker.yaml', 'bc-source-unprivileged.yaml']) {
    const res = await call(cluster, `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs`, {
      method: 'POST',
      body: fixture(f),
    });
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  for (const id of [...services.keys()]) await stopBackend(id);
  agent.destroy();
  await cluster?.stop();
});

test('one writer records verdicts that outlive the pod; the Lease passes on at stop and on death', async () => {
  await startBackend('backend-a');
  await startBackend('backend-b');
  await until(() => leaders().length === 1, 'one backend leads');
  const [firstId, first] = leaders()[0]!;
  const otherId = firstId === 'backend-a' ? 'backend-b' : 'backend-a';
  const other = services.get(otherId)!;
  expect((await call(cluster, LEASE)).body.spec.holderIdentity).toBe(firstId);

  // A developer's BUILD_PRIVILEGED=false build: user-namespaced, proven by the builder's line.
  const api1 = await startBuild('api');
  expect(await verdictOf(api1)).toBe('UserNamespaced');
  expect((await build(api1)).metadata.annotations?.[EVIDENCE_ANNOTATION]).toMatch(
    /^Builder log: Started in kernel user namespace with UID map \[\(0:\d+:65536\)\]/,
  );
  // The default docker build is privileged, and says so.
  const web1 = await startBuild('web');
  expect(await verdictOf(web1)).toBe('Privileged');
  // A developer may edit Builds; a verdict forged while the pod exists is judged again.
  await forge(web1, { [VERDICT_ANNOTATION]: 'UserNamespaced' });
  await until(
    async () => (await build(web1)).metadata.annotations?.[VERDICT_ANNOTATION] === 'Privileged',
    'the recorder puts the verdict back',
  );

  // The record outlives the pod.
  await until(async () => (await build(api1)).status?.phase === 'Complete', `${api1} completes`);
  const del = await call(cluster, `/api/v1/namespaces/${NS}/pods/${api1}-build`, {
    method: 'DELETE',
  });
  expect(del.status).toBe(200);
  await first.recorder!.recorder.idle();
  expect((await build(api1)).metadata.annotations?.[VERDICT_ANNOTATION]).toBe('UserNamespaced');

  // Only the holder wrote; the other still answers reviews.
  expect(await written(first)).toBeGreaterThanOrEqual(2);
  expect(await written(other)).toBe(0);
  const review = await httpsSend(
    { port: other.port, agent },
    'POST',
    '/mutate',
    JSON.stringify(loadReview('review-plain-pod')),
  );
  expect(review.status).toBe(200);

  // Hand-over on stop: the holder empties the Lease and the other takes it at its next try.
  await stopBackend(firstId);
  await until(() => other.recorder!.elector.isLeader(), `${otherId} takes over`);
  expect((await call(cluster, LEASE)).body.spec.holderIdentity).toBe(otherId);
  const api2 = await startBuild('api');
  expect(await verdictOf(api2)).toBe('UserNamespaced');
  expect(await written(other)).toBeGreaterThanOrEqual(1);

  // Death: the holder stops renewing without a word; a new replica takes over once the Lease
  // has gone a whole duration (2 s here) unrenewed.
  const c = await startBackend('backend-c');
  await other.recorder!.elector.stop(false);
  other.recorder!.recorder.setLeading(false);
  await until(() => c.recorder!.elector.isLeader(), 'backend-c takes over a dead holder', 1000);
  expect((await call(cluster, LEASE)).body.spec).toMatchObject({
    holderIdentity: 'backend-c',
    leaseTransitions: 2,
  });
  const web2 = await startBuild('web');
  expect(await verdictOf(web2)).toBe('Privileged');
  expect(await written(c)).toBeGreaterThanOrEqual(1);
}, 60_000);

// Runs after the test above: whichever backend leads now admits the build pod and records it.
test("the webhook's decision source reaches the Build with the verdict, and the compliance API", async () => {
  const [, leader] = leaders()[0]!;
  const policy = await call(cluster, '/apis/userns.builds.dev/v1alpha1/buildpolicies', {
    method: 'POST',
    body: fixture('buildpolicy.yaml'),
  });
  expect(policy.status).toBe(201);
  const mwc = fixture<{ metadata: { name: string }; webhooks: object[] }>('mwc-template.yaml');
  mwc.metadata.name = 'userns-builds-recorder-test';
  mwc.webhooks = [
    {
      ...mwc.webhooks[0],
      clientConfig: {
        url: `https://127.0.0.1:${leader.port}/mutate`,
        caBundle: cert.cert.toString('base64'),
      },
      objectSelector: {
        matchExpressions: [{ key: 'openshift.io/build.name', operator: 'Exists' }],
      },
    },
  ];
  const registered = await call(
    cluster,
    '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
    { method: 'POST', body: mwc },
  );
  expect(registered.status).toBe(201);
  // The webhook answers only once the policy has reached its watch.
  await until(
    async () =>
      /userns_webhook_policy_generation [1-9]/.test(
        (await httpsSend({ port: leader.port, agent }, 'GET', '/metrics')).text,
      ),
    'the leader has the BuildPolicy',
  );

  // The docker build does not choose: the policy's default decides.
  const web = await startBuild('web');
  await verdictOf(web);
  await until(
    async () => (await build(web)).metadata.annotations?.[DECISION_SOURCE_ANNOTATION] === 'Default',
    'the decision source is recorded on the Build',
  );
  const row = async () => {
    const res = await httpsSend(
      { port: leader.port, agent },
      'GET',
      `/api/v1/compliance/builds?namespace=${NS}&q=${web}`,
      undefined,
      { authorization: `Bearer ${cluster.tokens.auditor}` },
    );
    expect(res.status).toBe(200);
    return res.json().items.find((r: { name: string }) => r.name === web);
  };
  await until(async () => (await row())?.decisionSource === 'Default', 'the API shows it');
  const csv = await httpsSend(
    { port: leader.port, agent },
    'GET',
    `/api/v1/compliance/export?format=csv&namespace=${NS}&q=${web}`,
    undefined,
    { authorization: `Bearer ${cluster.tokens.auditor}` },
  );
  expect(csv.text.split('\r\n')[1]).toMatch(new RegExp(`^${NS},${web},.*,Default$`));

  // Edited by a developer while the pod exists: put back, like the verdict.
  await forge(web, { [DECISION_SOURCE_ANNOTATION]: 'Override' });
  await until(
    async () => (await build(web)).metadata.annotations?.[DECISION_SOURCE_ANNOTATION] === 'Default',
    'the recorder puts the decision source back',
  );
}, 30_000);

// A Rebuild (builds/clone) makes openshift-apiserver create the new Build with every annotation
// of the old one, our record included (the emulator serves it as openshift-apiserver does). Runs after the tests above, with their leader.
test('a record copied onto a Rebuild is not recorded and the leader removes it; the original keeps its own', async () => {
  const [, leader] = leaders()[0]!;
  const first = await startBuild('web');
  const verdict = await verdictOf(first);
  expect(verdict).toMatch(/^(Privileged|UserNamespaced|Requested)$/);
  const original = await build(first);
  expect(original.metadata.annotations?.[RECORDED_FOR_ANNOTATION]).toBe(original.metadata.uid);

  // A real Rebuild (builds/clone) by the developer: openshift-apiserver's copy, every annotation
  // included. Its pod is refused here, so the copy never runs and nothing records a verdict of its
  // own: what is left to see is the removal of the copied record.
  const bc = await call(cluster, `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs/web`);
  const rebuild = `web-${(bc.body.status.lastVersion as number) + 1}`;
  await createPolicies(cluster, noPodFor(rebuild));
  const created = await call(
    cluster,
    `/apis/build.openshift.io/v1/namespaces/${NS}/builds/${original.metadata.name}/clone`,
    {
      method: 'POST',
      user: 'developer',
      body: {
        kind: 'BuildRequest',
        apiVersion: 'build.openshift.io/v1',
        metadata: { name: original.metadata.name },
      },
    },
  );
  expect(created.status).toBe(201);
  expect(created.body.metadata.name).toBe(rebuild);
  expect(created.body.metadata.annotations[VERDICT_ANNOTATION]).toBe(verdict);
  expect(created.body.metadata.annotations[RECORDED_FOR_ANNOTATION]).toBe(original.metadata.uid);
  expect(created.body.metadata.annotations).not.toHaveProperty([BUILD_POD_NAME_ANNOTATION]);

  await until(async () => {
    const annotations = (await build(rebuild)).metadata.annotations ?? {};
    return RECORD_ANNOTATIONS.every((k) => !(k in annotations));
  }, 'the leader removes the copied record');
  const res = await httpsSend(
    { port: leader.port, agent },
    'GET',
    `/api/v1/compliance/builds?namespace=${NS}&q=${rebuild}`,
    undefined,
    { authorization: `Bearer ${cluster.tokens.auditor}` },
  );
  expect(res.json().items).toEqual([
    expect.objectContaining({ name: rebuild, verdict: 'Unknown', evidence: null }),
  ]);
  // Other annotations stay; the Build the record was made for keeps it.
  expect((await build(rebuild)).metadata.annotations).toMatchObject({
    'openshift.io/build-config.name': 'web',
  });
  expect((await build(first)).metadata.annotations).toMatchObject({
    [VERDICT_ANNOTATION]: verdict,
    [RECORDED_FOR_ANNOTATION]: original.metadata.uid,
  });
}, 30_000);
