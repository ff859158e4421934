import { startCluster, type Cluster } from './index';
import { projectOf } from './projects';
import { call, collectWatch, type Json } from './test-helpers';

let cluster: Cluster;
const projects = '/apis/project.openshift.io/v1/projects';
const names = (list: Json): string[] => list.items.map((p: Json) => p.metadata.name);

beforeAll(async () => {
  cluster = await startCluster({ port: 0, seed: false });
  for (const name of ['team-a', 'team-b', 'other'])
    await call(cluster, '/api/v1/namespaces', { method: 'POST', body: { metadata: { name } } });
});

afterAll(() => cluster.stop());

describe('projectOf', () => {
  it("is the namespace as a Project, with the namespace's finalizers and phase", () => {
    expect(
      projectOf({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'x', labels: { a: 'b' } },
        spec: { finalizers: ['custom'] },
        status: { phase: 'Terminating' },
      }),
    ).toEqual({
      apiVersion: 'project.openshift.io/v1',
      kind: 'Project',
      metadata: { name: 'x', labels: { a: 'b' } },
      spec: { finalizers: ['custom'] },
      status: { phase: 'Terminating' },
    });
    expect(projectOf({ metadata: { name: 'y' } })).toMatchObject({
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });
});

describe('projects', () => {
  it('filters projects to what the user can see', async () => {
    const dev = await call(cluster, projects, { user: 'developer' });
    expect(names(dev.body)).toEqual(['team-a', 'team-b']);
    const admin = await call(cluster, projects);
    expect(names(admin.body)).toEqual(
      expect.arrayContaining(['team-a', 'team-b', 'other', 'kube-system']),
    );
    expect((await call(cluster, `${projects}/other`, { user: 'developer' })).status).toBe(403);
  });

  it('lists every visible project at once, not a page counted over namespaces the user cannot see', async () => {
    const dev = await call(cluster, `${projects}?limit=1`, { user: 'developer' });
    expect(dev.status).toBe(200);
    expect(names(dev.body)).toEqual(['team-a', 'team-b']);
    expect(dev.body.metadata.continue).toBeUndefined();
    expect(dev.body.metadata.remainingItemCount).toBeUndefined();
  });

  it('selects projects by their namespace labels', async () => {
    await call(cluster, '/api/v1/namespaces/team-b', {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { metadata: { labels: { tier: 'gold' } } },
    });
    const gold = await call(cluster, `${projects}?labelSelector=tier%3Dgold`, {
      user: 'developer',
    });
    expect(names(gold.body)).toEqual(['team-b']);
  });

  it('reads one project the user can see', async () => {
    const res = await call(cluster, `${projects}/team-a`, { user: 'developer' });
    expect(res.body).toMatchObject({ kind: 'Project', metadata: { name: 'team-a' } });
  });

  it('deletes nothing under dryRun=All', async () => {
    const dry = await call(cluster, `${projects}/other?dryRun=All`, { method: 'DELETE' });
    expect(dry.status).toBe(200);
    expect((await call(cluster, '/api/v1/namespaces/other')).status).toBe(200);
  });

  it("deletes a project's namespace", async () => {
    await call(cluster, '/api/v1/namespaces', {
      method: 'POST',
      body: { metadata: { name: 'gone' } },
    });
    const res = await call(cluster, `${projects}/gone`, { method: 'DELETE' });
    expect(res.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'gone' },
    });
    expect((await call(cluster, '/api/v1/namespaces/gone')).status).toBe(404);
  });

  it('watches only the projects the user can see', async () => {
    const events = await collectWatch(
      cluster,
      `${projects}?watch=true`,
      (e) => ['team-a', 'team-b'].every((n) => e.some((x) => x.object.metadata.name === n)),
      'developer',
    );
    expect(events.map((e) => e.object.kind)).toEqual(events.map(() => 'Project'));
    expect(events.map((e) => e.object.metadata.name).sort()).toEqual(['team-a', 'team-b']);
  });
});
