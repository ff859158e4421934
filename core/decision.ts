import type { Build, EffectivePolicy, EnvVar, Pod } from './types';

/** Which rule decided. Precedence (DESIGN §4): Exempt/NotBuildPod > Override > Build > Default. */
export type DecisionSource =
  'NotBuildPod' | 'Exempt' | 'Override' | 'Build' | 'Default' | 'NoPolicy';

export interface Decision {
  /** Whether the build pod runs in a user namespace. */
  userNamespaces: boolean;
  source: DecisionSource;
  /** Human-readable, one sentence each, most important first. */
  reasons: string[];
}

export interface DecisionInput {
  /** undefined: no BuildPolicy exists; the decision is then what OpenShift alone would do. */
  policy: EffectivePolicy | undefined;
  namespace: string;
  /** The build's strategy env, from the Build or from the pod's BUILD env var. */
  build?: Pick<Build, 'spec'> | undefined;
  pod?: Pod | undefined;
}

/**
 * Parses BUILD_PRIVILEGED the way openshift-controller-manager does: strconv.ParseBool, else an
 * integer where non-zero means true. Returns undefined when absent or unparseable.
 */
export declare function parseBuildPrivileged(env: EnvVar[] | undefined): boolean | undefined;

export declare function decide(input: DecisionInput): Decision;
