// Whether the API server enforces the BuildPolicy (deploy/enforcement/): from what the console's
// watches return for the refusing ValidatingAdmissionPolicy and its binding. Pure, so every branch
// is tested without a DOM or the SDK.
import {
  ENFORCEMENT_POLICY_NAME,
  POLICY_GROUP,
  POLICY_KIND,
  POLICY_NAME,
  POLICY_VERSION,
} from '@userns-builds/core';
import { errorStatus, isNoModelError } from './load-state';

/** One watch's result, as useK8sWatchResource returns it. */
export interface WatchResult {
  data: unknown;
  loaded: boolean;
  error: unknown;
}

/** Why an installed binding does not enforce the BuildPolicy. */
export type InactiveReason =
  'BindingPolicyName' | 'BindingNotDeny' | 'BindingParamRef' | 'PolicyParamKind';

export type EnforcementState =
  | { state: 'loading' }
  | { state: 'active' }
  /** NoAPI: the cluster has no ValidatingAdmissionPolicy v1 (Kubernetes before 1.30). */
  | { state: 'not-installed'; why: 'NoAPI' | 'NoPolicy' | 'NoBinding' }
  | { state: 'inactive'; reasons: InactiveReason[] }
  | { state: 'unknown'; status: number | undefined; message: string };

interface PolicyLike {
  metadata?: { name?: string };
  spec?: { paramKind?: { apiVersion?: string; kind?: string } };
}

interface BindingLike {
  metadata?: { name?: string };
  spec?: {
    policyName?: string;
    validationActions?: string[];
    paramRef?: { name?: string; parameterNotFoundAction?: string };
  };
}

const named = (data: unknown): boolean =>
  typeof (data as { metadata?: { name?: unknown } } | undefined)?.metadata?.name === 'string';

function failed(w: WatchResult, absent: 'NoPolicy' | 'NoBinding'): EnforcementState | undefined {
  if (!w.error) return undefined;
  if (isNoModelError(w.error)) return { state: 'not-installed', why: 'NoAPI' };
  const status = errorStatus(w.error);
  if (status === 404) return { state: 'not-installed', why: absent };
  const message = w.error instanceof Error ? w.error.message : String(w.error);
  return { state: 'unknown', status, message };
}

export function classifyEnforcement(policy: WatchResult, binding: WatchResult): EnforcementState {
  const error = failed(policy, 'NoPolicy') ?? failed(binding, 'NoBinding');
  if (error) return error;
  if (!policy.loaded || !binding.loaded) return { state: 'loading' };
  if (!named(policy.data)) return { state: 'not-installed', why: 'NoPolicy' };
  if (!named(binding.data)) return { state: 'not-installed', why: 'NoBinding' };
  const p = policy.data as PolicyLike;
  const b = binding.data as BindingLike;
  const reasons: InactiveReason[] = [];
  if (b.spec?.policyName !== ENFORCEMENT_POLICY_NAME) reasons.push('BindingPolicyName');
  if (!b.spec?.validationActions?.includes('Deny')) reasons.push('BindingNotDeny');
  if (b.spec?.paramRef?.name !== POLICY_NAME) reasons.push('BindingParamRef');
  const kind = p.spec?.paramKind;
  if (kind?.apiVersion !== `${POLICY_GROUP}/${POLICY_VERSION}` || kind.kind !== POLICY_KIND) {
    reasons.push('PolicyParamKind');
  }
  return reasons.length ? { state: 'inactive', reasons } : { state: 'active' };
}

/** Required promises every build pod a user namespace; only active enforcement keeps that promise. */
export function requiredIsUnguarded(
  override: 'Required' | 'None' | undefined,
  enforcement: EnforcementState,
): boolean {
  return (
    override === 'Required' && enforcement.state !== 'active' && enforcement.state !== 'loading'
  );
}
