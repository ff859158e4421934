// Rebuild (`builds/clone`) and `oc start-build` (`buildconfigs/instantiate`) as openshift-apiserver
// serves them: the requester's BuildRequest is admitted on the subresource, then the Build is
// created by the API server's loopback user through ordinary admission of a builds CREATE.
import {
  BUILD_POD_NAME_ANNOTATION,
  EVIDENCE_ANNOTATION,
  RECORDED_FOR_ANNOTATION,
  VERDICT_ANNOTATION,
  recordedOnBuild,
  type Build,
  type BuildConfig,
} from '@userns-builds/core';
import { startCluster, type Cluster } from './index';
import { call, createPolicies, fixture, type Json } from './test-helpers';
import { until } from '../../testing/until';

let cluster: Cluster;
const NS = 'team-a';
const API = `/apis/build.openshift.io/v1/namespaces/${NS}`;
const BUILDS = `${API}/builds`;

const buildRequest = (name: string, extra: Json = {}) => ({
  kind: 'BuildRequest',
  apiVersion: 'build.openshift.io/v1',
  ...extra,
  metadata: { name, ...extra.metadata },
});

async function ok(res: Promise<{ status: number; body: Json }>): Promise<Json> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

const getBuild = async (name: string): Promise<Build> =>
  (await ok(call(cluster, `${BUILDS}/${name}`))) as Build;

const clone = (
  name: string,
  body: unknown = buildRequest(name),
  user: 'developer' | 'auditor' = 'developer',
) => call(cluster, `${BUILDS}/${name}/clone`, { method: 'POST', user, body });

/** The messages of a response's `Warning` headers. */
const warningsOf = (headers: Headers): string[] =>
  [...(headers.get('warning') ?? '').matchAll(/299 - "((?:[^"\\]|\\.)*)"/g)].map((m) =>
    JSON.parse(`"${m[1]}"`),
  );

async function completed(name: string): Promise<Build> {
  await until(async () => (await getBuild(name)).status?.phase === 'Complete', `${name} completes`);
  return getBuild(name);
}

beforeAll(async () => {
  cluster = await startCluster({ port: 0, seed: false, buildTimer: { stepMs: 5 } });
  await call(cluster, '/api/v1/namespaces', { method: 'POST', body: { metadata: { name: NS } } });
  await ok(
    call(cluster, `${API}/buildconfigs`, {
      method: 'POST',
      user: 'developer',
      body: fixture('bc-docker.yaml'),
    }),
  );
});
afterAll(() => cluster?.stop());

test('a Rebuild copies the Build, every annotation and label included, and the controller runs it', async () => {
  const web1 = (await ok(
    call(cluster, `${API}/buildconfigs/web/instantiate`, {
      method: 'POST',
      user: 'developer',
      body: buildRequest('web'),
    }),
  )) as Build;
  const done = await completed(web1.metadata.name!);
  // What the recorder writes, bound to this Build's uid; and a label of the user's own.
  await ok(
    call(cluster, `${BUILDS}/${done.metadata.name}`, {
      method: 'PATCH',
      user: 'backend',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: {
        metadata: {
          annotations: {
            [VERDICT_ANNOTATION]: 'Privileged',
            [EVIDENCE_ANNOTATION]: 'pod spec',
            [RECORDED_FOR_ANNOTATION]: done.metadata.uid,
          },
        },
      },
    }),
  );
  await ok(
    call(cluster, `${BUILDS}/${done.metadata.name}`, {
      method: 'PATCH',
      user: 'developer',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { metadata: { labels: { team: 'blue' } } },
    }),
  );
  const old = await getBuild(done.metadata.name!);
  expect(recordedOnBuild(old)?.verdict).toBe('Privileged');

  const res = await clone(
    old.metadata.name!,
    buildRequest(old.metadata.name!, { env: [{ name: 'X', value: '1' }] }),
  );
  expect(res.status).toBe(201);
  const copy = res.body as Build;
  const bc = (await ok(call(cluster, `${API}/buildconfigs/web`))) as BuildConfig;
  expect(bc.status?.lastVersion).toBe(2);
  expect(copy.metadata.name).toBe('web-2');
  expect(copy.metadata.uid).not.toBe(old.metadata.uid);
  const { [BUILD_POD_NAME_ANNOTATION]: podName, ...kept } = old.metadata.annotations!;
  expect(podName).toBe(`${old.metadata.name}-build`);
  expect(copy.metadata.annotations).toEqual({
    ...kept,
    'openshift.io/build.clone-of': old.metadata.name,
    'openshift.io/build.number': '2',
  });
  expect(copy.metadata.labels).toEqual(old.metadata.labels);
  expect(copy.metadata.ownerReferences).toEqual(old.metadata.ownerReferences);
  expect(copy.status).toEqual({ phase: 'New', config: old.status?.config });
  expect(copy.spec.strategy.dockerStrategy?.env).toContainEqual({ name: 'X', value: '1' });
  expect(copy.spec.triggeredBy).toBeUndefined();
  // The copied record names the old Build: on the new one it reads as none.
  expect(copy.metadata.annotations?.[VERDICT_ANNOTATION]).toBe('Privileged');
  expect(recordedOnBuild(copy)).toBeUndefined();
  // No pod-name annotation was copied, so the build controller makes the new Build's own pod.
  const ran = await completed('web-2');
  expect(ran.metadata.annotations?.[BUILD_POD_NAME_ANNOTATION]).toBe('web-2-build');
  expect((await call(cluster, `/api/v1/namespaces/${NS}/pods/web-2-build`)).status).toBe(200);
});

test('a Build made by hand is rebuilt under its name and a 10-digit time suffix, without a number', async () => {
  await ok(
    call(cluster, BUILDS, {
      method: 'POST',
      user: 'developer',
      body: {
        apiVersion: 'build.openshift.io/v1',
        kind: 'Build',
        metadata: { name: 'hand', annotations: { 'openshift.io/build.number': '9' } },
        spec: {
          strategy: { type: 'Docker', dockerStrategy: {} },
          source: { type: 'Git', git: { uri: 'https://example.com/x.git' } },
        },
        status: { phase: 'New' },
      },
    }),
  );
  const first = (await ok(clone('hand'))) as Build;
  expect(first.metadata.name).toMatch(/^hand-\d{10}$/);
  expect(first.metadata.annotations).not.toHaveProperty(['openshift.io/build.number']);
  expect(first.status).toEqual({ phase: 'New' });
  // A clone of a clone replaces the suffix rather than adding another.
  const second = (await ok(clone(first.metadata.name!))) as Build;
  expect(second.metadata.name).toMatch(/^hand-\d{10}$/);
  expect(second.metadata.name).not.toBe(first.metadata.name);
  expect(second.metadata.annotations?.['openshift.io/build.clone-of']).toBe(first.metadata.name);
});

test('bad clone requests are refused with the API server’s errors', async () => {
  const missing = await clone('nope');
  expect([missing.status, missing.body.message]).toEqual([
    404,
    'builds.build.openshift.io "nope" not found',
  ]);
  const mismatch = await clone('web-1', buildRequest('web-2'));
  expect(mismatch.status).toBe(400);
  expect(mismatch.body.message).toMatch(
    /name of the BuildRequest \(web-2\) does not match the Build \(web-1\)/,
  );
  const wrongKind = await clone('web-1', { kind: 'Build', metadata: { name: 'web-1' } });
  expect(wrongKind.status).toBe(400);
  expect(wrongKind.body.message).toMatch(/takes a BuildRequest, not Build/);
  const notAnObject = await clone('web-1', '"web-1"');
  expect(notAnObject.status).toBe(400);
  expect((await clone('web-1', buildRequest('web-1'), 'auditor')).status).toBe(403);
  const get = await call(cluster, `${BUILDS}/web-1/clone`, { user: 'developer' });
  expect(get.status).toBe(405);
});

test('policies see the BuildRequest from the requester, then the Build from system:apiserver', async () => {
  // A Warn policy that always fails, saying what it was asked: every admission shows up.
  await createPolicies(cluster, [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'who-asks' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              operations: ['CREATE'],
              apiGroups: ['build.openshift.io'],
              apiVersions: ['*'],
              resources: ['builds', 'builds/clone', 'buildconfigs/instantiate'],
            },
          ],
        },
        validations: [
          {
            expression: 'false',
            messageExpression:
              "request.userInfo.username + ' ' + request.resource.resource + '/' + (has(request.subResource) ? request.subResource : '') + ' ' + request.kind.kind + ' ' + request.name + ' ' + (has(object.metadata.annotations) && 'ticket' in object.metadata.annotations ? object.metadata.annotations['ticket'] : '-')",
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'who-asks' },
      spec: { policyName: 'who-asks', validationActions: ['Warn'] },
    },
  ]);
  try {
    const withTicket = { metadata: { annotations: { ticket: '7' }, labels: { from: 'request' } } };
    const rebuilt = await clone('web-1', buildRequest('web-1', withTicket));
    expect(rebuilt.status).toBe(201);
    expect(warningsOf(rebuilt.headers)).toEqual([
      expect.stringMatching(
        /^Validation failed for ValidatingAdmissionPolicy 'who-asks'.*: developer builds\/clone BuildRequest web-1 7$/,
      ),
      expect.stringMatching(/: system:apiserver builds\/ Build web-3 -$/),
    ]);
    // Rebuild keeps the old Build's annotations and labels only; instantiate merges the request's.
    expect(rebuilt.body.metadata.annotations).not.toHaveProperty('ticket');
    const started = await call(cluster, `${API}/buildconfigs/web/instantiate`, {
      method: 'POST',
      user: 'developer',
      body: buildRequest('web', withTicket),
    });
    expect(started.status).toBe(201);
    expect(warningsOf(started.headers)).toEqual([
      expect.stringMatching(/: developer buildconfigs\/instantiate BuildRequest web 7$/),
      expect.stringMatching(/: system:apiserver builds\/ Build web-4 7$/),
    ]);
    expect(started.body.metadata.annotations).toMatchObject({
      ticket: '7',
      'openshift.io/build.number': '4',
    });
    expect(started.body.metadata.labels).toMatchObject({ from: 'request', buildconfig: 'web' });
  } finally {
    for (const plural of ['validatingadmissionpolicybindings', 'validatingadmissionpolicies'])
      await call(cluster, `/apis/admissionregistration.k8s.io/v1/${plural}/who-asks`, {
        method: 'DELETE',
      });
  }
});
