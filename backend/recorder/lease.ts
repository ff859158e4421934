// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: the
// holder renews every retry period; another replica takes the lease once it has seen the same
// record, unrenewed, for a whole lease duration (by its own clock, so clock skew between replicas
// does not matter); stepping down on SIGTERM empties the holder so a peer takes over at once.
import { KubeError, objectPath, type KubeClient } from '../kube/client';
import type { Logger } from '../log';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

export interface LeaderElectorOptions {
  client: Pick<KubeClient, 'request'>;
  log: Logger;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  /** Told when this replica starts and stops leading. */
  onChange: (leading: boolean) => void;
  now?: () => number;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private leading = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The record as last seen, and when (by our clock) it last changed. */
  private observed: { key: string; at: number } | undefined;
  private lastRenew = 0;
  private running: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  readonly retryMs: number;
  private readonly renewDeadlineMs: number;

  constructor(private readonly o: LeaderElectorOptions) {
    this.now = o.now ?? Date.now;
    // client-go's defaults are 15 s / 10 s / 2 s; the same proportions for any duration.
    this.retryMs = Math.max(200, Math.floor((o.leaseDurationSeconds * 1000) / 6));
    this.renewDeadlineMs = Math.floor((o.leaseDurationSeconds * 1000 * 2) / 3);
  }

  isLeader(): boolean {
    return this.leading;
  }

  private get path(): string {
    return objectPath('/apis/coordination.k8s.io/v1', 'leases', this.o.namespace, this.o.name);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule(this.retryMs));
    }, ms);
    this.timer.unref?.();
  }

  /** Stops electing; a leader empties the Lease so a peer can take it at its next try. */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (this.leading && release) await this.release();
    this.setLeading(false);
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.o.log.info(
      { lease: this.o.name, identity: this.o.identity, leading },
      'leadership changed',
    );
    try {
      this.o.onChange(leading);
    } catch (err) {
      this.o.log.error({ err }, 'leadership change handler failed');
    }
  }

  /** One round of acquire-or-renew; exported through tick for tests. */
  async tick(): Promise<void> {
    try {
      const ok = await this.tryAcquireOrRenew();
      if (ok) {
        this.lastRenew = this.now();
        this.setLeading(true);
      } else if (this.leading) {
        this.setLeading(false);
      }
    } catch (err) {
      this.o.log.warn(
        { lease: this.o.name, problem: (err as Error).message },
        'lease acquire/renew failed',
      );
      // A leader that cannot renew before its deadline must stop, before a peer may take over.
      if (this.leading && this.now() - this.lastRenew >= this.renewDeadlineMs) {
        this.setLeading(false);
      }
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.now();
    let lease: Lease;
    try {
      lease = await this.o.client.request<Lease>('GET', this.path, { timeoutMs: this.retryMs });
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 404)) throw err;
      return this.create(now);
    }
    const spec = lease.spec ?? {};
    const key = `${spec.holderIdentity ?? ''}|${spec.renewTime ?? ''}|${lease.metadata?.resourceVersion ?? ''}`;
    if (this.observed?.key !== key) this.observed = { key, at: now };
    const holder = spec.holderIdentity ?? '';
    const mine = holder === this.o.identity;
    const durationMs = (spec.leaseDurationSeconds ?? this.o.leaseDurationSeconds) * 1000;
    if (holder !== '' && !mine && this.observed.at + durationMs > now) return false;

    const next: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.o.name,
        namespace: this.o.namespace,
        resourceVersion: lease.metadata?.resourceVersion ?? '',
      },
      spec: {
        holderIdentity: this.o.identity,
        leaseDurationSeconds: this.o.leaseDurationSeconds,
        acquireTime: mine && spec.acquireTime ? spec.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: (spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
      },
    };
    try {
      const written = await this.o.client.request<Lease>('PUT', this.path, {
        body: next,
        timeoutMs: this.retryMs,
      });
      this.observe(written, now);
      return true;
    } catch (err) {
      if (err instanceof KubeError && err.status === 409) return false; // a peer was quicker
      throw err;
    }
  }

  private async create(now: number): Promise<boolean> {
    const collection = this.path.slice(0, this.path.lastIndexOf('/'));
    try {
      const written = await this.o.client.request<Lease>('POST', collection, {
        body: {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.o.name, namespace: this.o.namespace },
          spec: {
            holderIdentity: this.o.identity,
            leaseDurationSeconds: this.o.leaseDurationSeconds,
            acquireTime: microTime(now),
            renewTime: microTime(now),
            leaseTransitions: 0,
          },
        },
        timeoutMs: this.retryMs,
      });
      this.observe(written, now);
      return true;
    } catch (err) {
      if (err instanceof KubeError && err.status === 409) return false; // created by a peer
      throw err;
    }
  }

  private observe(lease: Lease, now: number): void {
    const spec = lease.spec ?? {};
    this.observed = {
      key: `${spec.holderIdentity ?? ''}|${spec.renewTime ?? ''}|${lease.metadata?.resourceVersion ?? ''}`,
      at: now,
    };
  }

  private async release(): Promise<void> {
    try {
      const lease = await this.o.client.request<Lease>('GET', this.path, { timeoutMs: 2000 });
      if (lease.spec?.holderIdentity !== this.o.identity) return;
      const now = this.now();
      await this.o.client.request('PUT', this.path, {
        body: {
          ...lease,
          spec: {
            leaseDurationSeconds: 1,
            acquireTime: microTime(now),
            renewTime: microTime(now),
            leaseTransitions: lease.spec.leaseTransitions ?? 0,
          },
        },
        timeoutMs: 2000,
      });
      this.o.log.info({ lease: this.o.name, identity: this.o.identity }, 'lease released');
    } catch (err) {
      this.o.log.warn({ problem: (err as Error).message }, 'could not release the lease');
    }
  }
}
