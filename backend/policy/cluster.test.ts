// The BuildPolicy watch against the local cluster emulator (dev/cluster), which speaks the real
// Kubernetes REST protocol: last good policy kept, status condition written, deletion = no policy.
import { startCluster, type Cluster } from '../../dev/cluster';
import type { BuildPolicy } from '@userns-builds/core';
import { KubeClient, tokenEndpoint } from '../kube/client';
import { createLogger } from '../log';
import { LogCapture } from '../testing/harness';
import { until } from '../../testing/until';
import { ClusterPolicySource, validCondition } from './cluster';

const PATH = '/apis/userns.builds.dev/v1alpha1/buildpolicies';

let cluster: Cluster;
let admin: KubeClient;
beforeAll(async () => {
  cluster = await startCluster({ seed: false });
  admin = new KubeClient(tokenEndpoint(cluster.url, cluster.tokens.admin));
});
afterAll(async () => {
  admin.close();
  await cluster.stop();
});

const get = () => admin.request<BuildPolicy>('GET', `${PATH}/cluster`, { timeoutMs: 5000 });
const validOf = (p: BuildPolicy) => p.status?.conditions?.find((c) => c.type === 'Valid');

test('validCondition keeps lastTransitionTime while the status stays the same', () => {
  const policy = {
    apiVersion: 'userns.builds.dev/v1alpha1',
    kind: 'BuildPolicy',
    metadata: { name: 'cluster', generation: 2 },
    spec: {},
  } as BuildPolicy;
  const first = validCondition(policy, undefined, new Date('2025-01-01T00:00:00Z')).condition;
  expect(first).toMatchObject({
    type: 'Valid',
    status: 'True',
    reason: 'Accepted',
    observedGeneration: 2,
  });
  const again = validCondition(policy, first, new Date('2025-02-01T00:00:00Z')).condition;
  expect(again.lastTransitionTime).toBe('2025-01-01T00:00:00.000Z');
  const bad = validCondition(
    { ...policy, spec: { userNamespaces: { default: 'Sometimes' as 'Enabled' } } },
    first,
    new Date('2025-03-01T00:00:00Z'),
  );
  expect(bad.condition).toMatchObject({
    status: 'False',
    reason: 'InvalidSpec',
    lastTransitionTime: '2025-03-01T00:00:00.000Z',
  });
  expect(bad.condition.message).toMatch(/spec\.userNamespaces\.default|userNamespaces\.default/);
});

test('no policy → last good policy kept over an invalid one, with Valid=False → deletion', async () => {
  const logs = new LogCapture();
  const validity: boolean[] = [];
  const source = new ClusterPolicySource({
    client: new KubeClient(tokenEndpoint(cluster.url, cluster.tokens.backend)),
    log: createLogger('debug', logs),
    onValidity: (v) => validity.push(v),
  });
  try {
    await source.start();
    expect(source.synced()).toBe(true);
    expect(source.current()).toEqual({ policy: undefined, generation: 0 });

    await admin.request('POST', PATH, {
      timeoutMs: 5000,
      body: {
        apiVersion: 'userns.builds.dev/v1alpha1',
        kind: 'BuildPolicy',
        metadata: { name: 'cluster' },
        spec: { userNamespaces: { default: 'Enabled' } },
      },
    });
    await until(
      () => source.current().policy?.userNamespaces.default === 'Enabled',
      'the valid policy takes effect',
    );
    const goodGeneration = source.current().generation;
    expect(goodGeneration).toBeGreaterThan(0);
    await until(async () => validOf(await get())?.status === 'True', 'Valid=True is written');
    const stored = await get();
    expect(validOf(stored)).toMatchObject({
      reason: 'Accepted',
      observedGeneration: stored.metadata.generation,
    });
    expect(stored.status?.observedGeneration).toBe(stored.metadata.generation);

    // an invalid spec: the emulator (like an API server with an older CRD) stores it
    await admin.request('PATCH', `${PATH}/cluster`, {
      timeoutMs: 5000,
      contentType: 'application/merge-patch+json',
      body: {
        spec: {
          userNamespaces: { default: 'Sometimes', override: 'Required' },
          buildOverrides: { annotations: { 'bad key!': 'x' } },
        },
      },
    });
    await until(async () => validOf(await get())?.status === 'False', 'Valid=False is written');
    const invalid = await get();
    expect(validOf(invalid)?.reason).toBe('InvalidSpec');
    expect(validOf(invalid)?.message).toMatch(/default/);
    expect(validOf(invalid)?.message).toMatch(/bad key!/);
    expect(validOf(invalid)?.observedGeneration).toBe(invalid.metadata.generation);
    // the last good policy is still the one in effect
    expect(source.current().generation).toBe(goodGeneration);
    expect(source.current().policy?.userNamespaces).toMatchObject({
      default: 'Enabled',
      override: 'None',
    });
    expect(validity).toContain(false);

    await admin.request('PATCH', `${PATH}/cluster`, {
      timeoutMs: 5000,
      contentType: 'application/merge-patch+json',
      body: {
        spec: {
          userNamespaces: { default: 'Disabled', override: 'Required' },
          buildOverrides: { annotations: null },
        },
      },
    });
    await until(
      () => source.current().policy?.userNamespaces.override === 'Required',
      'the fixed policy takes effect',
    );
    await until(async () => validOf(await get())?.status === 'True', 'Valid=True again');

    await admin.request('DELETE', `${PATH}/cluster`, { timeoutMs: 5000 });
    await until(() => source.current().policy === undefined, 'deletion means no policy');
    expect(source.current().generation).toBe(0);
  } finally {
    source.stop();
  }
});
