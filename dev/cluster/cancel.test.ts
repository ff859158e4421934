// Build phases driven step by step with a manual scheduler: no timers, no races.
import type { Build } from '@userns-builds/core';
import type { Scheduler } from './builds';
import { startCluster, type Cluster } from './index';
import { call, fixture } from './test-helpers';

const queue: (() => void)[] = [];
const scheduler: Scheduler = {
  after: (_ms, fn) => {
    queue.push(fn);
    return () => {
      const i = queue.indexOf(fn);
      if (i >= 0) queue.splice(i, 1);
    };
  },
};
let cluster: Cluster;
const BUILD = '/apis/build.openshift.io/v1/namespaces/team-a/builds/web-1';

async function phaseBecomes(phase: string): Promise<Build> {
  for (let i = 0; i < 500; i++) {
    const b = (await call(cluster, BUILD)).body as Build;
    if (b.status?.phase === phase) return b;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`web-1 never reached ${phase}`);
}

/** Runs the next scheduled controller step. */
function step(): void {
  const next = queue.shift();
  if (!next) throw new Error('no controller step scheduled');
  next();
}

beforeAll(async () => {
  cluster = await startCluster({ seed: false, buildTimer: { stepMs: 1000, scheduler } });
  await call(cluster, '/api/v1/namespaces', {
    method: 'POST',
    body: { metadata: { name: 'team-a' } },
  });
  await call(cluster, '/apis/build.openshift.io/v1/namespaces/team-a/buildconfigs', {
    method: 'POST',
    body: fixture('bc-docker.yaml'),
  });
});
afterAll(() => cluster.stop());

it('advances one phase per step, and a cancelled build stops at the next one', async () => {
  await call(
    cluster,
    '/apis/build.openshift.io/v1/namespaces/team-a/buildconfigs/web/instantiate',
    { method: 'POST', body: { kind: 'BuildRequest', metadata: { name: 'web' } } },
  );
  expect((await call(cluster, BUILD)).body.status.phase).toBe('New');
  step(); // create the pod
  await phaseBecomes('Pending');
  step(); // start it
  await phaseBecomes('Running');
  const patched = await call(cluster, BUILD, {
    method: 'PATCH',
    user: 'developer',
    headers: { 'content-type': 'application/merge-patch+json' },
    body: { status: { cancelled: true } },
  });
  expect(patched.status).toBe(200);
  step();
  const cancelled = await phaseBecomes('Cancelled');
  expect(cancelled.status).toMatchObject({ reason: 'CancelledBuild' });
  expect(
    (await call(cluster, '/api/v1/namespaces/team-a/pods/web-1-build')).body.status.phase,
  ).toBe('Failed');
  expect(queue).toHaveLength(0);
});
