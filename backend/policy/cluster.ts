// The cluster BuildPolicy, watched. A new version takes effect only if core validates it; an
// invalid one leaves the last good policy in force and says why in the CR's status (condition
// Valid=False), written through the status subresource. No BuildPolicy: no policy, change nothing.
import {
  POLICY_GROUP,
  POLICY_NAME,
  POLICY_PLURAL,
  POLICY_VERSION,
  effectivePolicy,
  validatePolicySpec,
  type BuildPolicy,
  type Condition,
  type ValidationResult,
} from '@userns-builds/core';
import { ACCEPT_JSON, KubeError, type KubeClient } from '../kube/client';
import { Reflector, keyOf } from '../kube/reflector';
import type { Logger } from '../log';
import type { PolicySnapshot, PolicySource } from './source';

export const VALID_CONDITION = 'Valid';
const MAX_MESSAGE = 1000;
const COLLECTION = `/apis/${POLICY_GROUP}/${POLICY_VERSION}/${POLICY_PLURAL}`;

export interface ClusterPolicyOptions {
  client: KubeClient;
  log: Logger;
  /** Told whether the latest policy seen is valid (metrics). */
  onValidity?: (valid: boolean) => void;
  now?: () => Date;
}

/** The condition this backend wants on the CR for the object as seen. Pure: tested alone. */
export function validCondition(
  policy: BuildPolicy,
  previous: Condition | undefined,
  now: Date,
  result: ValidationResult = validatePolicySpec(policy.spec),
): { condition: Condition; errors: string[]; result: ValidationResult } {
  const errors = result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
  const status = result.ok ? 'True' : 'False';
  let message = result.ok
    ? 'The policy is valid and in effect.'
    : `Not applied; the last valid policy stays in effect. ${errors.join('; ')}`;
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE - 1)}…`;
  return {
    errors,
    result,
    condition: {
      type: VALID_CONDITION,
      status,
      reason: result.ok ? 'Accepted' : 'InvalidSpec',
      message,
      lastTransitionTime:
        previous?.status === status ? previous.lastTransitionTime : now.toISOString(),
      observedGeneration: policy.metadata.generation,
    },
  };
}

function sameCondition(a: Condition | undefined, b: Condition): boolean {
  return (
    a !== undefined &&
    a.status === b.status &&
    a.reason === b.reason &&
    a.message === b.message &&
    a.observedGeneration === b.observedGeneration
  );
}

export class ClusterPolicySource implements PolicySource {
  private snapshot: PolicySnapshot = { policy: undefined, generation: 0 };
  private readonly reflector: Reflector<BuildPolicy>;
  private writing = false;
  private pending = false;
  /** The last object validated and its result: each version is validated once. */
  private judged: { obj: BuildPolicy; result: ValidationResult } | undefined;

  constructor(private readonly o: ClusterPolicyOptions) {
    this.reflector = new Reflector<BuildPolicy>({
      client: o.client,
      path: COLLECTION,
      accept: { list: ACCEPT_JSON, watch: ACCEPT_JSON },
      log: o.log.child({ source: 'BuildPolicy' }),
      missingIsEmpty: true,
      onChange: () => this.update(),
    });
  }

  current(): PolicySnapshot {
    return this.snapshot;
  }

  synced(): boolean {
    return this.reflector.synced();
  }

  async start(): Promise<void> {
    await this.reflector.start();
  }

  stop(): void {
    this.reflector.stop();
  }

  private object(): BuildPolicy | undefined {
    return this.reflector.items.get(keyOf(undefined, POLICY_NAME));
  }

  /** The condition for `obj`, validating it only if this exact version was not validated yet. */
  private judge(obj: BuildPolicy, previous: Condition | undefined) {
    if (this.judged?.obj !== obj) {
      this.judged = { obj, result: validatePolicySpec(obj.spec) };
    }
    return validCondition(obj, previous, (this.o.now ?? (() => new Date()))(), this.judged.result);
  }

  private update(): void {
    const obj = this.object();
    if (!obj) {
      if (this.snapshot.policy)
        this.o.log.info('BuildPolicy removed; the webhook now changes nothing');
      this.snapshot = { policy: undefined, generation: 0 };
      this.o.onValidity?.(true);
      return;
    }
    const previous = obj.status?.conditions?.find((c) => c.type === VALID_CONDITION);
    const { condition, errors, result } = this.judge(obj, previous);
    const generation = obj.metadata.generation ?? 0;
    if (result.ok) {
      if (generation !== this.snapshot.generation) {
        this.o.log.info({ generation }, 'BuildPolicy in effect');
      }
      this.snapshot = { policy: effectivePolicy(result.spec), generation };
      this.o.onValidity?.(true);
    } else {
      this.o.log.warn(
        { generation, inEffect: this.snapshot.generation, errors: errors.slice(0, 10) },
        'BuildPolicy is invalid; keeping the last valid one',
      );
      this.o.onValidity?.(false);
    }
    if (!sameCondition(previous, condition) || obj.status?.observedGeneration !== generation) {
      void this.writeStatus();
    }
  }

  /** One write at a time; a change during a write triggers one more with the newest object. */
  private async writeStatus(): Promise<void> {
    if (this.writing) {
      this.pending = true;
      return;
    }
    this.writing = true;
    try {
      do {
        this.pending = false;
        const obj = this.object();
        if (!obj) return;
        const conditions = obj.status?.conditions ?? [];
        const previous = conditions.find((c) => c.type === VALID_CONDITION);
        const { condition } = this.judge(obj, previous);
        if (
          sameCondition(previous, condition) &&
          obj.status?.observedGeneration === obj.metadata.generation
        )
          return;
        const body = {
          // resourceVersion makes this a compare-and-swap: a 409 means a newer object is on its
          // way through the watch, and that event will decide again.
          metadata: { resourceVersion: obj.metadata.resourceVersion },
          status: {
            observedGeneration: obj.metadata.generation,
            conditions: [...conditions.filter((c) => c.type !== VALID_CONDITION), condition],
          },
        };
        try {
          await this.o.client.request('PATCH', `${COLLECTION}/${POLICY_NAME}/status`, {
            body,
            contentType: 'application/merge-patch+json',
            timeoutMs: 10_000,
          });
        } catch (err) {
          if (err instanceof KubeError && err.status === 409) continue;
          this.o.log.warn(
            { problem: (err as Error).message },
            'could not write BuildPolicy status',
          );
          return;
        }
      } while (this.pending);
    } finally {
      this.writing = false;
    }
  }
}
