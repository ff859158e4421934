// The "what happens to a build" preview: the three ways a build can speak about privilege, each run
// through core's decide(), the same function the admission webhook uses.
import { BUILD_PRIVILEGED_ENV, decide } from '@userns-builds/core';
import type { Build, Decision, EffectivePolicy, EnvVar } from '@userns-builds/core';

/** What the build's strategy env says about BUILD_PRIVILEGED. */
export type BuildChoice = 'Unset' | 'PrivilegedFalse' | 'PrivilegedTrue';

export interface PreviewRow {
  choice: BuildChoice;
  /** The strategy env the previewed build carries. */
  env: EnvVar[];
  decision: Decision;
}

export const BUILD_CHOICES: readonly BuildChoice[] = ['Unset', 'PrivilegedFalse', 'PrivilegedTrue'];

const ENV_FOR_CHOICE: Record<BuildChoice, EnvVar[]> = {
  Unset: [],
  PrivilegedFalse: [{ name: BUILD_PRIVILEGED_ENV, value: 'false' }],
  PrivilegedTrue: [{ name: BUILD_PRIVILEGED_ENV, value: 'true' }],
};

const PREVIEW_NAMESPACE = 'example-project';

/**
 * The preview describes an ordinary project, so its namespace must not be one the policy exempts
 * (exempt namespaces are listed separately on the page).
 */
export function previewNamespace(policy: EffectivePolicy | undefined): string {
  const exempt = new Set(policy?.userNamespaces.exemptNamespaces ?? []);
  let candidate = PREVIEW_NAMESPACE;
  for (let i = 2; exempt.has(candidate); i++) candidate = `${PREVIEW_NAMESPACE}-${i}`;
  return candidate;
}

/** A minimal docker-strategy Build: decide() reads only the strategy env. */
export function previewBuild(env: EnvVar[]): Pick<Build, 'spec'> {
  return { spec: { strategy: { type: 'Docker', dockerStrategy: { env } } } };
}

/** `policy` undefined means no BuildPolicy exists: the rows then show OpenShift's own behaviour. */
export function buildPreview(policy: EffectivePolicy | undefined): PreviewRow[] {
  const namespace = previewNamespace(policy);
  return BUILD_CHOICES.map((choice) => {
    const env = ENV_FOR_CHOICE[choice];
    return { choice, env, decision: decide({ policy, namespace, build: previewBuild(env) }) };
  });
}
