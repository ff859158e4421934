// Protocol details found in review: list resourceVersion semantics and how ListOptions errors
// reach the client, consistent paging, bookmark shape, body media types.
import { startCluster, type Cluster } from './index';
import { call, collectWatch } from './test-helpers';

let cluster: Cluster;

const cm = (name: string, data: Record<string, string> = {}) => ({
  metadata: { name, labels: { set: 'p' } },
  spec: { containers: [{ name: 'main', image: `registry.example/${name}:1` }] },
  ...data,
});

beforeAll(async () => {
  cluster = await startCluster({ port: 0, seed: false });
  await call(cluster, '/api/v1/namespaces', {
    method: 'POST',
    body: { metadata: { name: 'proto' } },
  });
});

afterAll(() => cluster.stop());

const pods = '/api/v1/namespaces/proto/pods';

describe('list resourceVersion', () => {
  it('serves the list as it was at an Exact version', async () => {
    const a = await call(cluster, pods, { method: 'POST', body: cm('a') });
    const at = a.body.metadata.resourceVersion as string;
    await call(cluster, pods, { method: 'POST', body: cm('b') });
    await call(cluster, `${pods}/a`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { metadata: { labels: { changed: 'yes' } } },
    });
    const past = await call(cluster, `${pods}?resourceVersion=${at}&resourceVersionMatch=Exact`);
    expect(past.status).toBe(200);
    expect(past.body.metadata.resourceVersion).toBe(at);
    expect(past.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      'a',
    ]);
    expect(past.body.items[0].metadata.labels.changed).toBeUndefined();
    const now = await call(cluster, `${pods}?resourceVersion=${at}`);
    expect(now.body.items).toHaveLength(2);
  });

  it('pages over one snapshot, like etcd', async () => {
    const first = await call(cluster, `${pods}?limit=1&labelSelector=set%3Dp`);
    expect(first.body.metadata.remainingItemCount).toBe(1);
    await call(cluster, `${pods}/b`, { method: 'DELETE' });
    const next = await call(
      cluster,
      `${pods}?limit=1&labelSelector=set%3Dp&continue=${first.body.metadata.continue}`,
    );
    expect(next.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      'b',
    ]);
    expect(next.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
  });

  it('answers a version from the future with 504 ResourceVersionTooLarge', async () => {
    const res = await call(cluster, `${pods}?resourceVersion=999999`);
    expect(res.status).toBe(504);
    expect(res.body.reason).toBe('Timeout');
    expect(res.body.details.causes[0].reason).toBe('ResourceVersionTooLarge');
  });
});

// Each rule is tested in list-options.test.ts; these check that lists and watches are refused
// with the right Status before anything is read or streamed.
describe('list options', () => {
  it.each([
    ['resourceVersionMatch=Exact', 422, 'resourceVersionMatch is forbidden unless'],
    ['watch=true&sendInitialEvents=true', 422, 'sendInitialEvents requires setting'],
    ['limit=ten', 400, 'invalid value for limit: "ten"'],
    ['limit=1&continue=x&resourceVersion=1', 400, 'not allowed when using continue'],
    ['watch=true&timeoutSeconds=soon', 400, 'invalid value for timeoutSeconds: "soon"'],
  ])('refuses %s with %d', async (query, code, message) => {
    const res = await call(cluster, `${pods}?${query}`);
    expect(res.status).toBe(code);
    expect(res.body).toMatchObject({ kind: 'Status', code });
    expect(res.body.message).toContain(message);
  });
});

describe('watch', () => {
  it('ends the initial events with a bookmark of the watched kind', async () => {
    const events = await collectWatch(
      cluster,
      `${pods}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
      (e) => e.some((x) => x.type === 'BOOKMARK'),
    );
    const bookmark = events.find((e) => e.type === 'BOOKMARK')!.object;
    expect(bookmark.kind).toBe('Pod');
    expect(bookmark.apiVersion).toBe('v1');
    expect(bookmark.metadata.annotations['k8s.io/initial-events-end']).toBe('true');
  });
});

describe('request bodies', () => {
  it('refuses a media type it cannot decode with 415, and reads none as JSON', async () => {
    const bad = await call(cluster, pods, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: cm('c'),
    });
    expect(bad.status).toBe(415);
    expect(bad.body.reason).toBe('UnsupportedMediaType');
    const res = await fetch(`${cluster.url}${pods}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.tokens.admin}` },
      body: new Blob([JSON.stringify(cm('d'))]),
    });
    expect(res.status).toBe(201);
  });
});

describe('dryRun', () => {
  it('creates nothing with dryRun=All and refuses values it does not know', async () => {
    const dry = await call(cluster, `${pods}?dryRun=All`, { method: 'POST', body: cm('dry') });
    expect(dry.status).toBe(201);
    expect((await call(cluster, `${pods}/dry`)).status).toBe(404);
    const odd = await call(cluster, `${pods}?dryRun=Some`, { method: 'POST', body: cm('odd') });
    expect(odd.status).toBe(400);
    expect(odd.body.message).toMatch(/dryRun.*"Some"/);
    expect((await call(cluster, `${pods}/odd`)).status).toBe(404);
  });
});
