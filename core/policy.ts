import type { BuildPolicySpec, EffectivePolicy } from './types';

/** Fills every default of a (validated) BuildPolicy spec. */
export function effectivePolicy(spec: BuildPolicySpec | undefined): EffectivePolicy {
  const u = spec?.userNamespaces;
  return {
    userNamespaces: {
      default: u?.default ?? 'Disabled',
      override: u?.override ?? 'None',
      mode: u?.mode ?? 'CRIOAnnotation',
      exemptNamespaces: u?.exemptNamespaces ?? [],
    },
    buildDefaults: { annotations: spec?.buildDefaults?.annotations ?? {} },
    buildOverrides: { annotations: spec?.buildOverrides?.annotations ?? {} },
    passthroughAnnotations: spec?.passthroughAnnotations ?? [],
    runtimeEvidence: spec?.runtimeEvidence ?? 'Disabled',
  };
}
