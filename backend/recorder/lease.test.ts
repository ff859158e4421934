// The election rules with a scripted Lease API and a hand-driven clock; the hand-over between real
// backends is in recorder.cluster.test.ts.
import { KubeError } from '../kube/client';
import { createLogger } from '../log';
import { LogCapture } from '../testing/harness';
import { LeaderElector, microTime, type LeaseSpec } from './lease';

class FakeLeases {
  lease: { metadata: { resourceVersion: string }; spec: LeaseSpec } | undefined;
  failing = false;
  readonly writes: { method: string; spec: LeaseSpec }[] = [];

  async request<T>(method: string, _path: string, o: { body?: unknown }): Promise<T> {
    if (this.failing) throw new Error('connection refused');
    const body = o.body as { metadata?: { resourceVersion?: string }; spec: LeaseSpec };
    if (method === 'GET') {
      if (!this.lease) throw new KubeError(404, 'NotFound', 'leases "x" not found');
      return structuredClone(this.lease) as T;
    }
    if (method === 'POST' && this.lease) throw new KubeError(409, 'AlreadyExists', 'exists');
    if (
      method === 'PUT' &&
      body.metadata?.resourceVersion !== this.lease?.metadata.resourceVersion
    ) {
      throw new KubeError(409, 'Conflict', 'the object has been modified');
    }
    const rv = String(Number(this.lease?.metadata.resourceVersion ?? 0) + 1);
    this.lease = { metadata: { resourceVersion: rv }, spec: body.spec };
    this.writes.push({ method, spec: body.spec });
    return structuredClone(this.lease) as T;
  }

  /** Another replica renewing. */
  renewBy(holder: string, at: number): void {
    const rv = String(Number(this.lease?.metadata.resourceVersion ?? 0) + 1);
    this.lease = {
      metadata: { resourceVersion: rv },
      spec: { holderIdentity: holder, leaseDurationSeconds: 12, renewTime: microTime(at) },
    };
  }
}

function elector(api: FakeLeases, clock: { t: number }, identity = 'me') {
  const changes: boolean[] = [];
  const e = new LeaderElector({
    client: api,
    log: createLogger('silent', new LogCapture()),
    namespace: 'userns-builds',
    name: 'userns-builds-recorder',
    identity,
    leaseDurationSeconds: 12,
    onChange: (leading) => changes.push(leading),
    now: () => clock.t,
  });
  return { e, changes };
}

describe('LeaderElector', () => {
  it('creates a missing Lease and leads; renewing keeps acquireTime and transitions', async () => {
    const api = new FakeLeases();
    const clock = { t: 1_000_000 };
    const { e, changes } = elector(api, clock);
    expect(e.retryMs).toBe(2000);
    await e.tick();
    expect(e.isLeader()).toBe(true);
    expect(api.writes[0]).toEqual({
      method: 'POST',
      spec: {
        holderIdentity: 'me',
        leaseDurationSeconds: 12,
        acquireTime: microTime(1_000_000),
        renewTime: microTime(1_000_000),
        leaseTransitions: 0,
      },
    });
    clock.t += 2000;
    await e.tick();
    expect(api.lease?.spec).toMatchObject({
      acquireTime: microTime(1_000_000),
      renewTime: microTime(1_002_000),
      leaseTransitions: 0,
    });
    expect(changes).toEqual([true]);
  });

  it('waits while a peer renews, and takes over a whole duration after it went silent', async () => {
    const api = new FakeLeases();
    const clock = { t: 0 };
    api.renewBy('peer', 0);
    api.lease!.spec.leaseTransitions = 3;
    const { e } = elector(api, clock);
    for (let t = 0; t <= 30_000; t += 2000) {
      clock.t = t;
      api.renewBy('peer', t);
      await e.tick();
      expect(e.isLeader()).toBe(false);
    }
    // The peer dies at 30 s: its last record is seen unchanged from then on.
    clock.t = 40_000;
    await e.tick();
    expect(e.isLeader()).toBe(false);
    clock.t = 42_002;
    await e.tick();
    expect(e.isLeader()).toBe(true);
    expect(api.lease?.spec).toMatchObject({ holderIdentity: 'me', leaseTransitions: 1 });
  });

  it('takes a released Lease at once', async () => {
    const api = new FakeLeases();
    const clock = { t: 5000 };
    api.renewBy('peer', 5000);
    delete api.lease!.spec.holderIdentity;
    const { e } = elector(api, clock);
    await e.tick();
    expect(e.isLeader()).toBe(true);
  });

  it('loses a race to a peer without harm (409)', async () => {
    const api = new FakeLeases();
    const clock = { t: 0 };
    const { e } = elector(api, clock);
    const realRequest = api.request.bind(api);
    api.request = async <T>(method: string, path: string, o: { body?: unknown }) => {
      if (method === 'POST') throw new KubeError(409, 'AlreadyExists', 'created by a peer');
      return realRequest<T>(method, path, o);
    };
    await e.tick();
    expect(e.isLeader()).toBe(false);
  });

  it('stops leading when it cannot renew before the deadline, not at the first failure', async () => {
    const api = new FakeLeases();
    const clock = { t: 0 };
    const { e, changes } = elector(api, clock);
    await e.tick();
    api.failing = true;
    clock.t = 4000;
    await e.tick();
    expect(e.isLeader()).toBe(true);
    clock.t = 8000;
    await e.tick();
    expect(e.isLeader()).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('empties the Lease when it stops, so a peer need not wait', async () => {
    const api = new FakeLeases();
    const clock = { t: 0 };
    const { e, changes } = elector(api, clock);
    await e.tick();
    await e.stop();
    expect(api.lease?.spec.holderIdentity).toBeUndefined();
    expect(api.lease?.spec.leaseDurationSeconds).toBe(1);
    expect(changes).toEqual([true, false]);
    const peer = elector(api, clock, 'peer');
    await peer.e.tick();
    expect(peer.e.isLeader()).toBe(true);
  });
});
