import type { EffectivePolicy } from '@userns-builds/core';

/** The policy in effect right now, whatever it is read from. */
export interface PolicySnapshot {
  /** undefined: there is no (valid) policy; the webhook then changes nothing. */
  policy: EffectivePolicy | undefined;
  /** metadata.generation of the policy in effect; 0 when none. */
  generation: number;
}

export interface PolicySource {
  /** Cheap, synchronous: called once per review. */
  current(): PolicySnapshot;
  /** True once the first read has completed (readyz). */
  synced(): boolean;
  start(): Promise<void>;
  stop(): void;
}

/** A fixed policy: the file source after loading, and tests. */
export class StaticPolicySource implements PolicySource {
  constructor(private readonly snapshot: PolicySnapshot) {}
  current(): PolicySnapshot {
    return this.snapshot;
  }
  synced(): boolean {
    return true;
  }
  async start(): Promise<void> {}
  stop(): void {}
}
