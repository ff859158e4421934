// Metadata-only caches against the local cluster emulator: served from the cache at steady state,
// one bounded GET on a miss, and a timeout that degrades to "unavailable" instead of stalling.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startCluster, type Cluster } from '../../dev/cluster';
import { KubeClient, tokenEndpoint, type KubeEndpoint } from '../kube/client';
import { createLogger } from '../log';
import { until } from '../../testing/until';
import { BuildCache } from '../builds/cache';
import { ClusterMetadataLookup, type MissOptions } from './cluster';

const log = createLogger('silent');
let cluster: Cluster;
let admin: KubeClient;

const build = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'build.openshift.io/v1',
  kind: 'Build',
  metadata: { name, namespace: 'team-meta', annotations, labels: { buildconfig: 'web' } },
  spec: {
    strategy: { type: 'Docker', dockerStrategy: {} },
    source: { type: 'Git', git: { uri: 'https://example.com/web.git' } },
  },
});

beforeAll(async () => {
  cluster = await startCluster({ seed: false, buildTimer: { stepMs: 60_000 } });
  admin = new KubeClient(tokenEndpoint(cluster.url, cluster.tokens.admin));
  const post = (path: string, body: unknown) =>
    admin.request('POST', path, { body, timeoutMs: 5000 });
  await post('/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team-meta' },
  });
  await post('/apis/build.openshift.io/v1/namespaces/team-meta/buildconfigs', {
    apiVersion: 'build.openshift.io/v1',
    kind: 'BuildConfig',
    metadata: { name: 'web', namespace: 'team-meta', annotations: { 'example.com/team': 'web' } },
    spec: {
      strategy: { type: 'Docker', dockerStrategy: {} },
      source: { type: 'Git', git: { uri: 'https://example.com/web.git' } },
    },
  });
  await post(
    '/apis/build.openshift.io/v1/namespaces/team-meta/builds',
    build('web-1', { 'example.com/tier': 'gold' }),
  );
});
afterAll(async () => {
  admin.close();
  await cluster.stop();
});

/** A lookup over its own shared Build cache, as the service wires them; stop() stops both. */
function lookupOver(client: KubeClient, timeoutMs: number, misses?: MissOptions) {
  const builds = new BuildCache(client, log);
  const lookup = new ClusterMetadataLookup(client, builds, log, timeoutMs, misses);
  const stop = lookup.stop.bind(lookup);
  lookup.stop = () => {
    builds.stop();
    stop();
  };
  return lookup;
}

/** Counts the single-object GETs (cache misses); list and watch requests are not counted. */
function counting(endpoint: KubeEndpoint): { endpoint: KubeEndpoint; gets: string[] } {
  const gets: string[] = [];
  return {
    gets,
    endpoint: {
      server: endpoint.server,
      async prepare(opts) {
        if (
          opts.method === 'GET' &&
          opts.path &&
          /\/namespaces\/[^/]+\/[^/?]+\/[^/?]+$/.test(opts.path)
        )
          gets.push(opts.path);
        await endpoint.prepare(opts);
      },
    },
  };
}

test('served from the metadata-only caches, following the watch, one GET only on a miss', async () => {
  const { endpoint, gets } = counting(tokenEndpoint(cluster.url, cluster.tokens.backend));
  const lookup = lookupOver(new KubeClient(endpoint), 2000);
  try {
    await lookup.start();
    expect(lookup.synced()).toBe(true);
    expect(await lookup.get('Build', 'team-meta', 'web-1')).toEqual({
      kind: 'found',
      meta: expect.objectContaining({
        annotations: expect.objectContaining({ 'example.com/tier': 'gold' }),
        labels: { buildconfig: 'web' },
      }),
    });
    expect(await lookup.get('BuildConfig', 'team-meta', 'web')).toMatchObject({
      kind: 'found',
      meta: { annotations: { 'example.com/team': 'web' } },
    });
    expect(gets).toEqual([]);

    // a Build created now arrives through the watch; an annotation change too
    await admin.request('POST', '/apis/build.openshift.io/v1/namespaces/team-meta/builds', {
      body: build('web-2', { 'example.com/tier': 'silver' }),
      timeoutMs: 5000,
    });
    await admin.request('PATCH', '/apis/build.openshift.io/v1/namespaces/team-meta/builds/web-1', {
      body: { metadata: { annotations: { 'example.com/tier': 'platinum' } } },
      contentType: 'application/merge-patch+json',
      timeoutMs: 5000,
    });
    await until(() => lookup.sizes().Build === 2, 'the new Build reaches the cache');
    await until(async () => {
      const r = await lookup.get('Build', 'team-meta', 'web-1');
      return r.kind === 'found' && r.meta.annotations?.['example.com/tier'] === 'platinum';
    }, 'the annotation change reaches the cache');
    expect(await lookup.get('Build', 'team-meta', 'web-2')).toMatchObject({
      kind: 'found',
      meta: { annotations: { 'example.com/tier': 'silver' } },
    });
    expect(gets).toEqual([]);

    // a miss: one bounded GET, 404 → absent
    expect(await lookup.get('Build', 'team-meta', 'nope-1')).toEqual({ kind: 'absent' });
    expect(gets).toEqual(['/apis/build.openshift.io/v1/namespaces/team-meta/builds/nope-1']);
  } finally {
    lookup.stop();
  }
});

test('a lookup against an API server that never answers times out as unavailable', async () => {
  const sockets: Socket[] = [];
  const blackHole: Server = createServer((s) => sockets.push(s)); // accepts, never answers
  await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
  const port = (blackHole.address() as AddressInfo).port;
  const lookup = lookupOver(new KubeClient(tokenEndpoint(`http://127.0.0.1:${port}`, 'x')), 100);
  try {
    expect(await lookup.get('Build', 'team-meta', 'web-1')).toEqual({
      kind: 'unavailable',
      why: 'timeout',
    });
    expect(lookup.synced()).toBe(false);
  } finally {
    lookup.stop();
    for (const s of sockets) s.destroy();
    await new Promise((r) => blackHole.close(r));
  }
});

// Pod creators choose the Build names the webhook looks up: misses must not become one API call
// per review. The clock is injected, so the rate bound is checked by counting, not by timing.
describe('misses', () => {
  let clock = 1_000_000;
  const now = () => clock;
  const missPath = (name: string) =>
    `/apis/build.openshift.io/v1/namespaces/team-meta/builds/${name}`;

  async function withLookup(
    run: (lookup: ClusterMetadataLookup, gets: string[]) => Promise<void>,
    limits: Omit<MissOptions, 'now'> = {},
  ): Promise<void> {
    const { endpoint, gets } = counting(tokenEndpoint(cluster.url, cluster.tokens.backend));
    const lookup = lookupOver(new KubeClient(endpoint), 2000, { ...limits, now });
    try {
      await lookup.start();
      await run(lookup, gets);
    } finally {
      lookup.stop();
    }
  }

  test('300 reviews with random build names make at most 20 GETs a second; the rest are throttled', async () => {
    await withLookup(async (lookup, gets) => {
      const results = [];
      for (let i = 0; i < 300; i++) {
        results.push(await lookup.get('Build', 'team-meta', `random-${i}-${Math.random()}`));
      }
      expect(gets).toHaveLength(20);
      expect(results.filter((r) => r.kind === 'absent')).toHaveLength(20);
      expect(results.filter((r) => r.kind === 'unavailable' && r.why === 'throttled')).toHaveLength(
        280,
      );
      clock += 500; // half a second refills half the budget
      for (let i = 0; i < 20; i++) await lookup.get('Build', 'team-meta', `later-${i}`);
      expect(gets).toHaveLength(30);
    });
  });

  test('a missing name is remembered briefly: one GET for 300 reviews, another after 5 s', async () => {
    await withLookup(async (lookup, gets) => {
      for (let i = 0; i < 300; i++) {
        expect(await lookup.get('Build', 'team-meta', 'ghost-1')).toEqual({ kind: 'absent' });
      }
      expect(gets).toEqual([missPath('ghost-1')]);
      clock += 5001;
      await lookup.get('Build', 'team-meta', 'ghost-1');
      expect(gets).toEqual([missPath('ghost-1'), missPath('ghost-1')]);
    });
  });

  test('the bounds are settings: 5 GETs a second, a miss remembered for 1 s, 2 names at most', async () => {
    await withLookup(
      async (lookup, gets) => {
        for (let i = 0; i < 50; i++) await lookup.get('Build', 'team-meta', `set-${i}`);
        expect(gets).toHaveLength(5);
        clock += 1000; // the budget refills, and every remembered miss has expired
        await lookup.get('Build', 'team-meta', 'set-0');
        expect(gets).toHaveLength(6);
        // Only the last two names are still remembered: asking for set-0 again is free.
        await lookup.get('Build', 'team-meta', 'set-0');
        await lookup.get('Build', 'team-meta', 'set-1');
        await lookup.get('Build', 'team-meta', 'set-2');
        await lookup.get('Build', 'team-meta', 'set-0');
        expect(gets.slice(6).map((p) => p.split('/').pop())).toEqual(['set-1', 'set-2', 'set-0']);
      },
      { missesPerSecond: 5, negativeTtlMs: 1000, negativeMax: 2 },
    );
  });

  test('concurrent misses for one name share one GET', async () => {
    await withLookup(async (lookup, gets) => {
      const all = await Promise.all(
        Array.from({ length: 50 }, () => lookup.get('Build', 'team-meta', 'ghost-2')),
      );
      expect(all.every((r) => r.kind === 'absent')).toBe(true);
      expect(gets).toEqual([missPath('ghost-2')]);
    });
  });

  test('a name remembered as absent is found as soon as the watch delivers it', async () => {
    await withLookup(async (lookup) => {
      expect(await lookup.get('Build', 'team-meta', 'late-1')).toEqual({ kind: 'absent' });
      await admin.request('POST', '/apis/build.openshift.io/v1/namespaces/team-meta/builds', {
        body: build('late-1', { 'example.com/tier': 'bronze' }),
        timeoutMs: 5000,
      });
      await until(
        async () => (await lookup.get('Build', 'team-meta', 'late-1')).kind === 'found',
        'the new Build wins over the remembered miss',
      );
    });
  });
});

test("a name from a pod's label that is no object name is absent without asking the API", async () => {
  const { endpoint, gets } = counting(tokenEndpoint(cluster.url, cluster.tokens.backend));
  const lookup = lookupOver(new KubeClient(endpoint), 2000);
  try {
    await lookup.start();
    for (const name of ['..', '.', '', 'a/b', '%2e%2e']) {
      expect([name, await lookup.get('Build', 'team-meta', name)]).toEqual([
        name,
        { kind: 'absent' },
      ]);
    }
    expect(await lookup.get('BuildConfig', '..', 'web')).toEqual({ kind: 'absent' });
    // '..' would have asked for .../builds/.., which a path-cleaning server reads as the list.
    expect(gets).toEqual([]);
  } finally {
    lookup.stop();
  }
});
