// Seed sizes: namespaces and BuildConfigs as asked, spread evenly, with every name unique.
import { startCluster } from './index';
import { recordedOnBuild } from '@userns-builds/core';
import { appNamespaces } from './seed';

test('appNamespaces keeps the named ones first and never drops the developer namespaces', () => {
  expect(appNamespaces(3)).toEqual(['team-a', 'team-b', 'team-c']);
  expect(appNamespaces(1)).toEqual(['team-a', 'team-b', 'team-c']);
  const many = appNamespaces(25);
  expect(many).toHaveLength(25);
  expect(many.slice(20)).toEqual([
    'tenant-0001',
    'tenant-0002',
    'tenant-0003',
    'tenant-0004',
    'tenant-0005',
  ]);
});

test('a cluster seeded with 40 namespaces and 130 BuildConfigs has exactly those', async () => {
  const cluster = await startCluster({
    seed: { builds: 400, namespaces: 40, buildConfigs: 130 },
    buildTimer: { stepMs: 600_000 },
  });
  try {
    const store = cluster.api.store;
    const demo = store
      .list('namespaces')
      .filter((n) => n.metadata.labels?.['userns-builds.dev/demo'] === 'true');
    expect(demo).toHaveLength(40);
    const bcs = store.list('buildconfigs.build.openshift.io');
    expect(bcs).toHaveLength(130);
    const perNs = new Map<string, number>();
    for (const bc of bcs) {
      perNs.set(bc.metadata.namespace!, (perNs.get(bc.metadata.namespace!) ?? 0) + 1);
    }
    expect(perNs.size).toBe(40);
    expect(Math.max(...perNs.values()) - Math.min(...perNs.values())).toBeLessThanOrEqual(1);
    expect(store.list('builds.build.openshift.io')).toHaveLength(400);
  } finally {
    await cluster.stop();
  }
});

test('seeded verdicts follow each BuildConfig: only BUILD_PRIVILEGED=false builds ran user-namespaced', async () => {
  const cluster = await startCluster({ seed: { builds: 2000 }, buildTimer: { stepMs: 600_000 } });
  try {
    const store = cluster.api.store;
    const unprivileged = new Set(
      store
        .list('buildconfigs.build.openshift.io')
        .filter((bc) =>
          JSON.stringify(bc.spec).includes('"name":"BUILD_PRIVILEGED","value":"false"'),
        )
        .map((bc) => `${bc.metadata.namespace}/${bc.metadata.name}`),
    );
    const seen: Record<string, number> = {};
    for (const b of store.list('builds.build.openshift.io')) {
      const verdict = b.metadata.annotations?.['userns.builds.dev/verdict'];
      if (!verdict) continue;
      // Bound to its own Build, as the recorder binds it; a copy would not count as recorded.
      expect(recordedOnBuild(b)?.verdict).toBe(verdict);
      seen[verdict] = (seen[verdict] ?? 0) + 1;
      const bc = `${b.metadata.namespace}/${b.metadata.labels?.buildconfig}`;
      const evidence = b.metadata.annotations?.['userns.builds.dev/evidence'] ?? '';
      if (verdict === 'UserNamespaced' || verdict === 'Requested') {
        expect([bc, unprivileged.has(bc)]).toEqual([bc, true]);
      }
      if (verdict === 'UserNamespaced') {
        expect(evidence).toMatch(/^Builder log: .*Started in kernel user namespace with UID map/);
      }
      if (verdict === 'Privileged') expect([bc, unprivileged.has(bc)]).toEqual([bc, false]);
    }
    // Requested: user-namespaced builds whose BUILD_LOGLEVEL hides the builder's line.
    expect(Object.keys(seen).sort()).toEqual(['Privileged', 'Requested', 'UserNamespaced']);
  } finally {
    await cluster.stop();
  }
});
