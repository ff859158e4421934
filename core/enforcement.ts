// What the ValidatingAdmissionPolicies in deploy/enforcement/ guarantee, said once in TypeScript.
// The webhook converts build pods; these policies refuse (or warn about) a build pod that reaches
// the API server's validation phase still privileged. The CEL there must agree with this file:
// deploy/enforcement/enforcement.test.ts runs both on the same pods and fails on any difference.
import { containersOf, initContainersOf, notABuildPodReason } from './build-pod';
import { CRIO_BUILDER_ANNOTATION, CRIO_USERNS_ANNOTATION } from './constants';
import { isSystemNamespace } from './decision';
import type { EffectivePolicy, Pod } from './types';
import { usernsModeHazard } from './userns-mode';

/** The policy and binding that refuse under `override: Required` (deploy/enforcement/). */
export const ENFORCEMENT_POLICY_NAME = 'userns-builds-required';
/** The policy and binding that warn under `default: Enabled` without Required. */
export const ENFORCEMENT_WARN_POLICY_NAME = 'userns-builds-default';

/**
 * Why a build pod is not in the shape a user-namespace build needs, one per CEL validation and in
 * the same order, so the first one found is the one the API server reports.
 */
export type EnforcementRule =
  'PrivilegedContainer' | 'NoUsernsAnnotation' | 'NoHostUsers' | 'UnsafeUsernsMode';

export const ENFORCEMENT_RULES: readonly EnforcementRule[] = [
  'PrivilegedContainer',
  'NoUsernsAnnotation',
  'NoHostUsers',
  'UnsafeUsernsMode',
];

export interface EnforcementFinding {
  /** Deny under `override: Required`; Warn under `default: Enabled` without it. */
  action: 'Deny' | 'Warn';
  rule: EnforcementRule;
  /** One sentence, naming what is wrong. */
  reason: string;
}

export interface EnforcementInput {
  /** undefined: no BuildPolicy exists, and the policies allow everything (parameterNotFoundAction). */
  policy: EffectivePolicy | undefined;
  /** The request's namespace. */
  namespace: string;
  /** The pod as the API server validates it: after every mutating webhook. */
  pod: Pod;
}

/** What the enforcement policies do with a pod at creation; undefined when they let it pass. */
export function enforcementFinding(input: EnforcementInput): EnforcementFinding | undefined {
  const { policy, namespace, pod } = input;
  if (!policy || notABuildPodReason(pod) !== undefined) return undefined;
  if (isSystemNamespace(namespace)) return undefined;
  const u = policy.userNamespaces;
  if (u.exemptNamespaces.includes(namespace)) return undefined;
  let action: EnforcementFinding['action'];
  if (u.override === 'Required') action = 'Deny';
  else if (u.default === 'Enabled') action = 'Warn';
  else return undefined;
  const problem = shapeProblem(pod, u.mode);
  return problem ? { action, ...problem } : undefined;
}

function shapeProblem(
  pod: Pod,
  mode: EffectivePolicy['userNamespaces']['mode'],
): Omit<EnforcementFinding, 'action'> | undefined {
  const privileged = [...containersOf(pod), ...initContainersOf(pod)]
    .filter((c) => c.securityContext?.privileged === true)
    .map((c) => c.name);
  if (privileged.length > 0) {
    return {
      rule: 'PrivilegedContainer',
      reason: `container ${privileged.join(', ')} is privileged`,
    };
  }
  const annotations = pod.metadata?.annotations ?? {};
  const usernsMode = annotations[CRIO_USERNS_ANNOTATION];
  if (
    mode !== 'HostUsers' &&
    (usernsMode === undefined || !(CRIO_BUILDER_ANNOTATION in annotations))
  ) {
    return {
      rule: 'NoUsernsAnnotation',
      reason: `the pod lacks the ${CRIO_USERNS_ANNOTATION} annotation next to ${CRIO_BUILDER_ANNOTATION} (mode ${mode})`,
    };
  }
  if (mode !== 'CRIOAnnotation' && pod.spec?.hostUsers !== false) {
    return {
      rule: 'NoHostUsers',
      reason: `the pod does not set spec.hostUsers: false (mode ${mode})`,
    };
  }
  if (usernsMode !== undefined && usernsModeHazard(usernsMode) !== undefined) {
    return {
      rule: 'UnsafeUsernsMode',
      reason: `its ${CRIO_USERNS_ANNOTATION} is not valid CRI-O syntax or maps onto host root`,
    };
  }
  return undefined;
}
