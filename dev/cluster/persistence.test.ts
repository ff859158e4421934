// The state file: a restart keeps everything, --reset starts clean, the seed is deterministic.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from './index';
import { call, collectWatch } from './test-helpers';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cluster-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const podBody = { metadata: { name: 'kept' }, spec: { containers: [{ name: 'c', image: 'x' }] } };

describe('persistence', () => {
  it('restores objects, CRDs and resourceVersions from the state file', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startCluster({ stateFile, seed: { builds: 30 } });
    const created = await call(first, '/api/v1/namespaces/team-a/pods', {
      method: 'POST',
      body: podBody,
    });
    expect(created.status).toBe(201);
    await first.stop();
    expect(readdirSync(dir)).toEqual(['state.json']);
    expect(existsSync(first.kubeconfigPath)).toBe(false);

    const second = await startCluster({ stateFile });
    try {
      const pod = await call(second, '/api/v1/namespaces/team-a/pods/kept');
      expect(pod.body.metadata.uid).toBe(created.body.metadata.uid);
      const builds = await call(second, '/apis/build.openshift.io/v1/builds');
      expect(builds.body.items).toHaveLength(30);
      expect(
        (await call(second, '/apis/userns.builds.dev/v1alpha1/buildpolicies/cluster')).status,
      ).toBe(200);
      const next = await call(second, '/api/v1/namespaces/team-a/pods', {
        method: 'POST',
        body: { ...podBody, metadata: { name: 'after' } },
      });
      expect(Number(next.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.body.metadata.resourceVersion),
      );
      // Resuming from the last version before the restart misses nothing; older ones are 410
      // because history does not survive a restart.
      const resumed = await collectWatch(
        second,
        `/api/v1/pods?watch=1&resourceVersion=${created.body.metadata.resourceVersion}`,
        (e) => e.length > 0,
      );
      expect(resumed[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'after' } } });
      const old = await collectWatch(
        second,
        '/api/v1/pods?watch=1&resourceVersion=1',
        (e) => e.length > 0,
      );
      expect(old[0]).toMatchObject({ type: 'ERROR', object: { code: 410 } });
    } finally {
      await second.stop();
    }
  });

  it('keeps an unreadable state file aside instead of overwriting it', async () => {
    const stateFile = join(dir, 'state.json');
    writeFileSync(stateFile, '{"version": 1, "store": {tru');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const cluster = await startCluster({ stateFile, seed: { builds: 5 } });
    try {
      const kept = readdirSync(dir).filter((f) => f.startsWith('state.json.unreadable-'));
      expect(kept).toHaveLength(1);
      expect(readFileSync(join(dir, kept[0]!), 'utf8')).toBe('{"version": 1, "store": {tru');
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(kept[0]!));
      // The cluster still starts, from fresh seed data.
      expect((await call(cluster, '/api/v1/namespaces/team-a')).status).toBe(200);
    } finally {
      warn.mockRestore();
      await cluster.stop();
    }
  });

  it('starts from fresh seed data with reset', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startCluster({ stateFile, seed: { builds: 10 } });
    await call(first, '/api/v1/namespaces/team-a/pods', { method: 'POST', body: podBody });
    await first.stop();
    const second = await startCluster({ stateFile, reset: true, seed: { builds: 10 } });
    try {
      expect((await call(second, '/api/v1/namespaces/team-a/pods/kept')).status).toBe(404);
      expect(existsSync(stateFile)).toBe(true);
    } finally {
      await second.stop();
    }
  });
});

describe('builds interrupted by a restart', () => {
  it('carry on from the state file', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startCluster({ stateFile, seed: false, buildTimer: { stepMs: 60_000 } });
    await call(first, '/api/v1/namespaces', {
      method: 'POST',
      body: { metadata: { name: 'team-a' } },
    });
    const build = {
      apiVersion: 'build.openshift.io/v1',
      kind: 'Build',
      metadata: { name: 'interrupted-1' },
      spec: { strategy: { type: 'Docker', dockerStrategy: {} } },
    };
    expect(
      (
        await call(first, '/apis/build.openshift.io/v1/namespaces/team-a/builds', {
          method: 'POST',
          body: build,
        })
      ).status,
    ).toBe(201);
    // The first controller step (the pod) runs at once; the next would take a minute.
    const path = '/apis/build.openshift.io/v1/namespaces/team-a/builds/interrupted-1';
    for (let i = 0; i < 200 && (await call(first, path)).body.status.phase !== 'Pending'; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await call(first, path)).body.status.phase).toBe('Pending');
    const lastRV = (await call(first, '/api/v1/namespaces')).body.metadata
      .resourceVersion as string;
    await first.stop();

    const second = await startCluster({ stateFile, buildTimer: { stepMs: 1 } });
    try {
      const events = await collectWatch(
        second,
        `${path.replace('/interrupted-1', '')}?watch=1&fieldSelector=metadata.name%3Dinterrupted-1&resourceVersion=${lastRV}`,
        (e) => e.some((x) => x.object.status.phase === 'Complete'),
      );
      expect(events.map((e) => e.object.status.phase)).toEqual(['Running', 'Complete']);
    } finally {
      await second.stop();
    }
  });
});

describe('seed', () => {
  async function summary(): Promise<string[]> {
    const c = await startCluster({ seed: { builds: 200 } });
    try {
      const res = await call(c, '/apis/build.openshift.io/v1/builds');
      return res.body.items.map(
        (b: {
          metadata: {
            namespace: string;
            name: string;
            uid: string;
            annotations: Record<string, string>;
          };
          status: { phase: string };
        }) =>
          `${b.metadata.namespace}/${b.metadata.name} ${b.metadata.uid} ${b.status.phase} ${b.metadata.annotations['userns.builds.dev/verdict'] ?? '-'}`,
      );
    } finally {
      await c.stop();
    }
  }

  it('is deterministic and has a realistic mix', async () => {
    const [a, b] = [await summary(), await summary()];
    expect(a).toEqual(b);
    expect(a).toHaveLength(200);
    const count = (re: RegExp) => a.filter((l) => re.test(l)).length;
    expect(count(/ Complete /)).toBeGreaterThan(120);
    expect(count(/ Failed /)).toBeGreaterThan(5);
    expect(count(/ UserNamespaced$/)).toBeGreaterThan(0);
    expect(count(/ Privileged$/)).toBeGreaterThan(0);
  });

  it('has about 20 namespaces and 100 BuildConfigs of all three strategies', async () => {
    const c = await startCluster({ seed: { builds: 0 } });
    try {
      const projects = await call(
        c,
        '/apis/project.openshift.io/v1/projects?labelSelector=userns-builds.dev%2Fdemo%3Dtrue',
      );
      expect(projects.body.items).toHaveLength(20);
      const bcs = (await call(c, '/apis/build.openshift.io/v1/buildconfigs')).body.items;
      expect(bcs).toHaveLength(100);
      const types = new Set(
        bcs.map((b: { spec: { strategy: { type: string } } }) => b.spec.strategy.type),
      );
      expect([...types].sort()).toEqual(['Custom', 'Docker', 'Source']);
      const unprivileged = bcs.filter(
        (b: { spec: { strategy: Record<string, { env?: { name: string; value: string }[] }> } }) =>
          Object.values(b.spec.strategy).some(
            (s) =>
              typeof s === 'object' &&
              s.env?.some((e) => e.name === 'BUILD_PRIVILEGED' && e.value === 'false'),
          ),
      );
      expect(unprivileged.length).toBeGreaterThan(10);
    } finally {
      await c.stop();
    }
  });
});
