// Mutating admission over HTTPS against a tiny webhook served by the test itself.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeCert } from '../../testing/certs';
import { startCluster, type Cluster } from './index';
import { call, fixture, type Json } from './test-helpers';

type Behaviour = 'patch' | 'hang' | 'deny';

let cluster: Cluster;
let webhook: https.Server;
let webhookUrl: string;
const received: Json[] = [];
const hanging: (() => void)[] = [];

// The test webhook's self-signed certificate doubles as the caBundle that trusts it.
const webhookCert = makeCert();
const caBundle = webhookCert.cert.toString('base64');

function register(
  name: string,
  behaviour: Behaviour,
  extra: Json = {},
): Promise<{ status: number; body: Json }> {
  const mwc = fixture<Json>('mwc-template.yaml');
  mwc.metadata.name = name;
  Object.assign(
    mwc.webhooks[0],
    { clientConfig: { url: `${webhookUrl}/${behaviour}`, caBundle } },
    extra,
  );
  return call(cluster, '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', {
    method: 'POST',
    body: mwc,
  });
}

const createPod = (ns: string, name: string, labels: Record<string, string> = {}, query = '') =>
  call(cluster, `/api/v1/namespaces/${ns}/pods${query}`, {
    method: 'POST',
    user: 'developer',
    body: { metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'x' }] } },
  });

beforeAll(async () => {
  webhook = https.createServer(webhookCert, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      received.push({ path: req.url, review });
      const behaviour = (req.url ?? '').split('?')[0]!.slice(1) as Behaviour;
      if (behaviour === 'hang') {
        hanging.push(() => res.destroy());
        return;
      }
      const response =
        behaviour === 'deny'
          ? {
              uid: review.request.uid,
              allowed: false,
              status: { code: 403, message: 'builds must not be privileged' },
            }
          : {
              uid: review.request.uid,
              allowed: true,
              patchType: 'JSONPatch',
              patch: Buffer.from(
                JSON.stringify([
                  { op: 'add', path: '/metadata/annotations', value: { mutated: 'yes' } },
                ]),
              ).toString('base64'),
              warnings: ['patched by the test webhook'],
            };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }),
      );
    });
  });
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  webhookUrl = `https://127.0.0.1:${(webhook.address() as AddressInfo).port}`;
  cluster = await startCluster({ port: 0, seed: false, buildTimer: { stepMs: 1 } });
  for (const name of ['team-a', 'team-b']) {
    await call(cluster, '/api/v1/namespaces', {
      method: 'POST',
      body: { metadata: { name, labels: name === 'team-a' ? { builds: 'on' } : {} } },
    });
  }
});

afterAll(async () => {
  hanging.forEach((h) => h());
  await cluster.stop();
  webhook.closeAllConnections();
  await new Promise((r) => webhook.close(r));
});

beforeEach(() => {
  received.length = 0;
});

// A failed test must not leave its webhook behind for the next one.
afterEach(() =>
  call(cluster, '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', {
    method: 'DELETE',
  }),
);

describe('mutating webhooks', () => {
  it('sends an AdmissionReview v1 and applies the returned JSONPatch', async () => {
    expect(
      (await register('patcher', 'patch', { namespaceSelector: { matchLabels: { builds: 'on' } } }))
        .status,
    ).toBe(201);
    const res = await createPod('team-a', 'mutated');
    expect(res.status).toBe(201);
    expect(res.body.metadata.annotations).toEqual({ mutated: 'yes' });
    expect(res.headers.get('warning')).toContain('patched by the test webhook');
    expect(received).toHaveLength(1);
    expect(received[0].path).toBe('/patch?timeout=5s');
    const { request } = received[0].review;
    expect(received[0].review).toMatchObject({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
    });
    expect(request).toMatchObject({
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      namespace: 'team-a',
      name: 'mutated',
      operation: 'CREATE',
      userInfo: { username: 'developer' },
      dryRun: false,
      object: { metadata: { name: 'mutated', namespace: 'team-a' } },
    });
    expect(request.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('honours namespaceSelector, objectSelector and dryRun', async () => {
    await register('selective', 'patch', {
      namespaceSelector: { matchLabels: { builds: 'on' } },
      objectSelector: {
        matchExpressions: [{ key: 'openshift.io/build.name', operator: 'Exists' }],
      },
    });
    expect(
      (await createPod('team-b', 'other-ns', { 'openshift.io/build.name': 'x' })).body.metadata
        .annotations,
    ).toBeUndefined();
    expect((await createPod('team-a', 'no-label')).body.metadata.annotations).toBeUndefined();
    expect(received).toHaveLength(0);
    const dry = await createPod('team-a', 'dry', { 'openshift.io/build.name': 'x' }, '?dryRun=All');
    expect(dry.body.metadata.annotations).toEqual({ mutated: 'yes' });
    expect(received[0].review.request.dryRun).toBe(true);
    expect((await call(cluster, '/api/v1/namespaces/team-a/pods/dry')).status).toBe(404);
  });

  it('evaluates simple matchConditions', async () => {
    await register('conditional', 'patch', {
      matchConditions: [
        { name: 'prefixed', expression: 'object.metadata.name.startsWith("match-")' },
      ],
    });
    expect((await createPod('team-b', 'skip-me')).body.metadata.annotations).toBeUndefined();
    expect((await createPod('team-b', 'match-me')).body.metadata.annotations).toEqual({
      mutated: 'yes',
    });
  });

  it('rejects with the webhook status when it denies', async () => {
    await register('denier', 'deny');
    const res = await createPod('team-b', 'denied');
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(
      'admission webhook "pods.test.userns-builds.dev" denied the request: builds must not be privileged',
    );
  });

  it('admits unmodified with a warning when a webhook times out under Ignore', async () => {
    await register('slow-ignore', 'hang', { failurePolicy: 'Ignore', timeoutSeconds: 1 });
    const res = await createPod('team-b', 'ignored');
    expect(res.status).toBe(201);
    expect(res.body.metadata.annotations).toBeUndefined();
    // A quoted-string warn-text, quotes escaped as the API server does.
    expect(res.headers.get('warning')).toMatch(
      /^299 - "failed calling webhook \\"pods\.test\.userns-builds\.dev\\": .*context deadline exceeded"$/,
    );
  });

  it('rejects with an internal error when a webhook times out under Fail', async () => {
    await register('slow-fail', 'hang', { failurePolicy: 'Fail', timeoutSeconds: 1 });
    const res = await createPod('team-b', 'failed');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ reason: 'InternalError' });
    expect(res.body.message).toMatch(
      /^Internal error occurred: failed calling webhook "pods\.test\.userns-builds\.dev": failed to call webhook: Post "https:\/\/127\.0\.0\.1:\d+\/hang\?timeout=1s": context deadline exceeded$/,
    );
    expect((await call(cluster, '/api/v1/namespaces/team-b/pods/failed')).status).toBe(404);
  });

  it('refuses webhooks whose URL is not https', async () => {
    const mwc = fixture<Json>('mwc-template.yaml');
    mwc.metadata.name = 'plain-http';
    mwc.webhooks[0].clientConfig = { url: 'http://127.0.0.1:1/mutate' };
    const res = await call(
      cluster,
      '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
      { method: 'POST', body: mwc },
    );
    expect(res.status).toBe(422);
  });

  it('admits build pods made by the build controller through the webhooks', async () => {
    await register('builds', 'patch', {
      objectSelector: {
        matchExpressions: [{ key: 'openshift.io/build.name', operator: 'Exists' }],
      },
    });
    const bc = fixture<Json>('bc-docker.yaml');
    await call(cluster, '/apis/build.openshift.io/v1/namespaces/team-a/buildconfigs', {
      method: 'POST',
      body: bc,
    });
    await call(
      cluster,
      '/apis/build.openshift.io/v1/namespaces/team-a/buildconfigs/web/instantiate',
      { method: 'POST', body: { kind: 'BuildRequest', metadata: { name: 'web' } } },
    );
    // The controller creates the pod asynchronously: bounded polling, no timing assertion.
    let pod: Json;
    for (let i = 0; i < 200 && !pod; i++) {
      const res = await call(cluster, '/api/v1/namespaces/team-a/pods/web-1-build');
      if (res.status === 200) pod = res.body;
      else await new Promise((r) => setTimeout(r, 10));
    }
    expect(pod.metadata.annotations).toEqual({ mutated: 'yes' });
    const review = received.find((r) => r.review.request.name === 'web-1-build').review.request;
    expect(review.userInfo.username).toBe('system:serviceaccount:openshift-infra:build-controller');
  });
});
