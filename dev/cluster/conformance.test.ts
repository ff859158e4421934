// The emulator against an unmodified @kubernetes/client-node: if these pass, code written for a
// real cluster runs against it.
import * as k8s from '@kubernetes/client-node';
import { startCluster, type Cluster } from './index';
import { call, collectWatch, fixture, kubeConfig } from './test-helpers';

let cluster: Cluster;
let core: k8s.CoreV1Api;
let custom: k8s.CustomObjectsApi;

const pod = (name: string, labels: Record<string, string> = {}): k8s.V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'main', image: 'registry.example/app:1' }] },
});

async function codeOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (e) {
    return (e as k8s.ApiException<unknown>).code;
  }
}

beforeAll(async () => {
  cluster = await startCluster({ port: 0, seed: false, watchHistory: 50 });
  const kc = kubeConfig(cluster);
  core = kc.makeApiClient(k8s.CoreV1Api);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  for (const name of ['team-a', 'team-b', 'other'])
    await core.createNamespace({ body: { metadata: { name } } });
});

afterAll(() => cluster.stop());

describe('discovery', () => {
  it('lists the OpenShift groups and their resources', async () => {
    const groups = await call(cluster, '/apis');
    expect(groups.body.groups.map((g: { name: string }) => g.name)).toEqual(
      expect.arrayContaining([
        'build.openshift.io',
        'config.openshift.io',
        'project.openshift.io',
        'apiextensions.k8s.io',
      ]),
    );
    const builds = await call(cluster, '/apis/build.openshift.io/v1');
    const names = builds.body.resources.map((r: { name: string }) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(['builds', 'buildconfigs', 'buildconfigs/instantiate', 'builds/log']),
    );
    const v1 = await call(cluster, '/api/v1');
    expect(v1.body.resources.find((r: { name: string }) => r.name === 'pods').shortNames).toEqual([
      'po',
    ]);
  });
});

describe('CRUD', () => {
  it('creates, reads, replaces and deletes a pod', async () => {
    const created = await core.createNamespacedPod({ namespace: 'team-a', body: pod('crud') });
    expect(created.metadata?.uid).toMatch(/-/);
    expect(created.status?.phase).toBe('Pending');
    const read = await core.readNamespacedPod({ name: 'crud', namespace: 'team-a' });
    read.metadata!.labels = { changed: 'yes' };
    const replaced = await core.replaceNamespacedPod({
      name: 'crud',
      namespace: 'team-a',
      body: read,
    });
    expect(Number(replaced.metadata!.resourceVersion)).toBeGreaterThan(
      Number(read.metadata!.resourceVersion),
    );
    expect(replaced.metadata?.labels).toEqual({ changed: 'yes' });
    await core.deleteNamespacedPod({ name: 'crud', namespace: 'team-a' });
    expect(await codeOf(core.readNamespacedPod({ name: 'crud', namespace: 'team-a' }))).toBe(404);
  });

  it('answers 409 AlreadyExists and 404 NotFound with Status bodies', async () => {
    await core.createNamespacedPod({ namespace: 'team-a', body: pod('dup') });
    const again = await call(cluster, '/api/v1/namespaces/team-a/pods', {
      method: 'POST',
      body: pod('dup'),
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      kind: 'Status',
      reason: 'AlreadyExists',
      message: 'pods "dup" already exists',
    });
    const missing = await call(cluster, '/api/v1/namespaces/nowhere/pods', {
      method: 'POST',
      body: pod('x'),
    });
    expect(missing.body).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "nowhere" not found',
    });
  });

  it('rejects an update with a stale resourceVersion with 409 Conflict', async () => {
    const p = await core.createNamespacedPod({ namespace: 'team-a', body: pod('stale') });
    await core.patchNamespacedPod(
      { name: 'stale', namespace: 'team-a', body: { metadata: { labels: { a: '1' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const res = await call(cluster, '/api/v1/namespaces/team-a/pods/stale', {
      method: 'PUT',
      body: p,
    });
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('Conflict');
    expect(res.body.message).toContain('the object has been modified');
  });

  it('applies JSON patches, merge patches and strategic merge patches', async () => {
    await core.createNamespacedPod({ namespace: 'team-a', body: pod('patchme', { keep: 'x' }) });
    const json = await core.patchNamespacedPod(
      {
        name: 'patchme',
        namespace: 'team-a',
        body: [{ op: 'add', path: '/metadata/annotations', value: { a: 'b' } }],
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    expect(json.metadata?.annotations).toEqual({ a: 'b' });
    const merged = await core.patchNamespacedPod(
      {
        name: 'patchme',
        namespace: 'team-a',
        body: { metadata: { labels: { keep: null, added: 'y' } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ added: 'y' });
    const strategic = await core.patchNamespacedPod(
      {
        name: 'patchme',
        namespace: 'team-a',
        body: { spec: { containers: [{ name: 'main', image: 'new:2' }] } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.spec?.containers).toHaveLength(1);
    expect(strategic.spec?.containers[0]?.image).toBe('new:2');
    const failedTest = await call(cluster, '/api/v1/namespaces/team-a/pods/patchme', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: [{ op: 'test', path: '/metadata/labels/added', value: 'nope' }],
    });
    expect(failedTest.status).toBe(422);
  });
});

describe('selectors and paging', () => {
  beforeAll(async () => {
    for (let i = 0; i < 7; i++) {
      await core.createNamespacedPod({
        namespace: 'team-b',
        body: pod(`page-${i}`, { tier: i % 2 ? 'odd' : 'even', idx: String(i) }),
      });
    }
  });

  it('filters by label selector', async () => {
    const odd = await core.listNamespacedPod({ namespace: 'team-b', labelSelector: 'tier=odd' });
    expect(odd.items.map((p) => p.metadata?.name)).toEqual(['page-1', 'page-3', 'page-5']);
    const set = await core.listNamespacedPod({
      namespace: 'team-b',
      labelSelector: 'idx in (0,6),tier!=odd',
    });
    expect(set.items.map((p) => p.metadata?.name)).toEqual(['page-0', 'page-6']);
    const none = await core.listNamespacedPod({ namespace: 'team-b', labelSelector: '!tier' });
    expect(none.items).toHaveLength(0);
  });

  it('filters by field selector and refuses unknown fields', async () => {
    const one = await core.listPodForAllNamespaces({ fieldSelector: 'metadata.name=page-2' });
    expect(one.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual([
      'team-b/page-2',
    ]);
    expect(await codeOf(core.listPodForAllNamespaces({ fieldSelector: 'spec.bogus=1' }))).toBe(400);
  });

  it('pages with limit and continue', async () => {
    const names: string[] = [];
    let token: string | undefined;
    const remaining: (number | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await core.listNamespacedPod({
        namespace: 'team-b',
        limit: 3,
        ...(token ? { _continue: token } : {}),
      });
      names.push(...page.items.map((p) => p.metadata!.name!));
      remaining.push(page.metadata?.remainingItemCount);
      token = page.metadata?._continue;
      if (!token) break;
    }
    expect(names).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `page-${i}`));
    expect(remaining).toEqual([4, 1, undefined]);
  });

  it('serves metadata-only lists', async () => {
    const res = await call(cluster, '/api/v1/namespaces/team-b/pods?labelSelector=idx%3D1', {
      headers: { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' },
    });
    expect(res.body.kind).toBe('PartialObjectMetadataList');
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: expect.objectContaining({ name: 'page-1' }),
    });
    expect(res.body.items[0].spec).toBeUndefined();
  });

  it('serves tables for kubectl', async () => {
    const res = await call(cluster, '/api/v1/namespaces/team-b/pods?limit=1', {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    expect(res.body.kind).toBe('Table');
    expect(res.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
    ]);
    expect(res.body.rows[0].cells.slice(0, 3)).toEqual(['page-0', '0/1', 'Pending']);
  });
});

describe('watch', () => {
  it('resumes from a resourceVersion with ADDED, MODIFIED and DELETED in order', async () => {
    const list = await core.listNamespacedPod({ namespace: 'other' });
    const from = list.metadata!.resourceVersion!;
    await core.createNamespacedPod({ namespace: 'other', body: pod('w1') });
    await core.patchNamespacedPod(
      { name: 'w1', namespace: 'other', body: { metadata: { labels: { x: 'y' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedPod({ name: 'w1', namespace: 'other' });
    const events: string[] = [];
    const watch = new k8s.Watch(kubeConfig(cluster));
    await new Promise<void>((resolve, reject) => {
      let req: AbortController | undefined;
      void watch
        .watch(
          '/api/v1/namespaces/other/pods',
          { resourceVersion: from },
          (type, obj: k8s.V1Pod) => {
            events.push(`${type} ${obj.metadata?.name}`);
            if (type === 'DELETED') {
              req?.abort();
              resolve();
            }
          },
          (err) => (err && (err as Error).name !== 'AbortError' ? reject(err) : resolve()),
        )
        .then((r) => (req = r));
    });
    expect(events).toEqual(['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
  });

  it('turns label changes into ADDED and DELETED for selector watches', async () => {
    const from = (await core.listNamespacedPod({ namespace: 'other' })).metadata!.resourceVersion!;
    await core.createNamespacedPod({ namespace: 'other', body: pod('sel', { phase: 'a' }) });
    for (const phase of ['b', 'a']) {
      await core.patchNamespacedPod(
        { name: 'sel', namespace: 'other', body: { metadata: { labels: { phase } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
    }
    const events = await collectWatch(
      cluster,
      `/api/v1/namespaces/other/pods?watch=true&labelSelector=phase%3Da&resourceVersion=${from}`,
      (ev) => ev.length >= 3,
    );
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED', 'ADDED']);
  });

  it('sends synthetic ADDED events for a watch without a resourceVersion', async () => {
    const events = await collectWatch(
      cluster,
      '/api/v1/namespaces/team-b/pods?watch=1&labelSelector=tier%3Dodd',
      (ev) => ev.length >= 3,
    );
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED page-1',
      'ADDED page-3',
      'ADDED page-5',
    ]);
  });

  it('reports 410 Expired for a compacted resourceVersion, on watches and on continue tokens', async () => {
    const page = await core.listNamespacedPod({ namespace: 'team-b', limit: 2 });
    // More changes than the watch history keeps (50 in this cluster).
    for (let i = 0; i < 30; i++) {
      await core.createNamespacedPod({ namespace: 'other', body: pod(`churn-${i}`) });
      await core.deleteNamespacedPod({ name: `churn-${i}`, namespace: 'other' });
    }
    const events = await collectWatch(
      cluster,
      '/api/v1/namespaces/other/pods?watch=true&resourceVersion=1',
      (ev) => ev.length >= 1,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    const next = await call(
      cluster,
      `/api/v1/namespaces/team-b/pods?limit=2&continue=${page.metadata!._continue}`,
    );
    expect(next.status).toBe(410);
    expect(next.body.reason).toBe('Expired');
  });
});

describe('custom resources', () => {
  it('serves a CRD created at run time, with a status subresource', async () => {
    const ext = kubeConfig(cluster).makeApiClient(k8s.ApiextensionsV1Api);
    await ext.createCustomResourceDefinition({ body: fixture('widget-crd.yaml') });
    const disco = await call(cluster, '/apis/example.dev/v1');
    expect(disco.body.resources.map((r: { name: string }) => r.name)).toEqual([
      'widgets',
      'widgets/status',
    ]);
    const gvr = { group: 'example.dev', version: 'v1', namespace: 'team-a', plural: 'widgets' };
    await custom.createNamespacedCustomObject({
      ...gvr,
      body: {
        apiVersion: 'example.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { size: 3 },
        status: { ignored: true },
      },
    });
    const w = await custom.getNamespacedCustomObject({ ...gvr, name: 'w' });
    expect(w.status).toBeUndefined();
    expect(w.metadata.generation).toBe(1);
    await custom.patchNamespacedCustomObjectStatus(
      { ...gvr, name: 'w', body: { status: { ready: true } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const spec = await custom.patchNamespacedCustomObject(
      { ...gvr, name: 'w', body: { spec: { size: 4 }, status: { ready: false } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(spec).toMatchObject({
      spec: { size: 4 },
      status: { ready: true },
      metadata: { generation: 2 },
    });
    const smp = await call(cluster, '/apis/example.dev/v1/namespaces/team-a/widgets/w', {
      method: 'PATCH',
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: {},
    });
    expect(smp.status).toBe(415);
    await ext.deleteCustomResourceDefinition({ name: 'widgets.example.dev' });
    expect((await call(cluster, '/apis/example.dev/v1/namespaces/team-a/widgets')).status).toBe(
      404,
    );
  });
});

describe('authentication and authorization', () => {
  it('answers 401 without a token or with an unknown one', async () => {
    expect((await call(cluster, '/api/v1/namespaces', { user: null })).status).toBe(401);
    const bad = await call(cluster, '/api/v1/namespaces', {
      user: null,
      headers: { authorization: 'Bearer nope' },
    });
    expect(bad.body).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
  });

  it('answers 403 Forbidden with the API server message', async () => {
    const patch = await call(cluster, '/apis/build.openshift.io/v1/namespaces/other/builds/x', {
      method: 'PATCH',
      user: 'developer',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: {},
    });
    expect(patch.status).toBe(403);
    expect(patch.body).toMatchObject({
      reason: 'Forbidden',
      message:
        'builds.build.openshift.io "x" is forbidden: User "developer" cannot patch resource "builds" in API group "build.openshift.io" in the namespace "other"',
    });
    const list = await call(cluster, '/api/v1/pods', { user: 'developer' });
    expect(list.body.message).toBe(
      'pods is forbidden: User "developer" cannot list resource "pods" in API group "" at the cluster scope',
    );
    expect(
      (await call(cluster, '/api/v1/namespaces/team-a/pods', { user: 'developer' })).status,
    ).toBe(200);
    expect((await call(cluster, '/api/v1/pods', { user: 'auditor' })).status).toBe(200);
    const write = await call(cluster, '/api/v1/namespaces/team-a/pods', {
      method: 'POST',
      user: 'auditor',
      body: pod('no'),
    });
    expect(write.status).toBe(403);
  });

  it('answers access reviews and token reviews', async () => {
    const review = (user: 'developer' | 'auditor', verb: string, namespace: string) =>
      call(cluster, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        method: 'POST',
        user,
        body: {
          spec: {
            resourceAttributes: {
              verb,
              group: 'build.openshift.io',
              resource: 'buildconfigs',
              subresource: 'instantiate',
              namespace,
            },
          },
        },
      });
    expect((await review('developer', 'create', 'team-a')).body.status.allowed).toBe(true);
    expect((await review('developer', 'create', 'other')).body.status.allowed).toBe(false);
    expect((await review('auditor', 'create', 'team-a')).body.status.allowed).toBe(false);
    const sar = await call(cluster, '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      method: 'POST',
      body: {
        spec: {
          user: 'auditor',
          resourceAttributes: { verb: 'list', group: 'build.openshift.io', resource: 'builds' },
        },
      },
    });
    expect(sar.body.status.allowed).toBe(true);
    const tr = await call(cluster, '/apis/authentication.k8s.io/v1/tokenreviews', {
      method: 'POST',
      body: { spec: { token: cluster.tokens.developer } },
    });
    expect(tr.body.status).toMatchObject({ authenticated: true, user: { username: 'developer' } });
    const rules = await call(cluster, '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      method: 'POST',
      user: 'developer',
      body: { spec: { namespace: 'other' } },
    });
    expect(
      rules.body.status.resourceRules.some((r: { resources: string[] }) =>
        r.resources.includes('pods'),
      ),
    ).toBe(false);
  });
});
