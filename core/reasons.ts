// Why a build pod was decided the way it was, as message keys with parameters: the plugin shows
// them translated (one t() call per key), the backend and logs read the English text below.

/** Every reason the decision can give. */
export type ReasonKey =
  | 'NoBuildNameLabel'
  | 'NoBuildContainer'
  | 'BuildUnreadableFromPod'
  | 'BuildUnreadable'
  | 'UnparseablePrivileged'
  | 'BuildSetsPrivilegedTrue'
  | 'BuildSetsPrivilegedFalse'
  | 'OpenShiftDefaultPrivileged'
  | 'NoPolicy'
  | 'SystemNamespace'
  | 'ExemptNamespace'
  | 'OverrideRequired'
  | 'BuildChoiceOverridden'
  | 'BuildChoiceWins'
  | 'DefaultEnabled'
  | 'DefaultDisabled';

/** Parameters are strings so every one can be interpolated as it is, in any language. */
export interface ReasonMessage {
  key: ReasonKey;
  params: Record<string, string>;
}

/**
 * The English text of each reason, `{{name}}` marking a parameter (i18next's syntax, so the plugin
 * passes the same parameters to its translations).
 */
export const REASON_TEXT: Readonly<Record<ReasonKey, string>> = {
  NoBuildNameLabel: 'The pod has no {{label}} label, so it is not an OpenShift build pod.',
  NoBuildContainer:
    'The pod has no build container ({{containers}}), so it is not an OpenShift build pod.',
  BuildUnreadableFromPod:
    "The Build could not be read from the pod's BUILD env var, so BUILD_PRIVILEGED counts as unset.",
  BuildUnreadable:
    'The Build could not be read for this request, so BUILD_PRIVILEGED counts as unset.',
  UnparseablePrivileged:
    "The build's BUILD_PRIVILEGED value {{value}} is neither a boolean nor an integer; OpenShift ignores it (its default is privileged), so it counts as unset.",
  BuildSetsPrivilegedTrue:
    'The build sets BUILD_PRIVILEGED=true in its strategy env, which keeps it privileged.',
  BuildSetsPrivilegedFalse:
    'The build sets BUILD_PRIVILEGED=false in its strategy env, which asks for an unprivileged build in a user namespace.',
  OpenShiftDefaultPrivileged:
    'The build does not set BUILD_PRIVILEGED, so OpenShift runs it privileged.',
  NoPolicy: 'No BuildPolicy exists, so OpenShift decides on its own.',
  SystemNamespace:
    'Namespace "{{namespace}}" belongs to the platform ({{prefixes}}), which is never touched.',
  ExemptNamespace:
    'Namespace "{{namespace}}" is exempt (spec.userNamespaces.exemptNamespaces), so its builds are left as OpenShift makes them.',
  OverrideRequired:
    'The BuildPolicy requires user namespaces for every build (spec.userNamespaces.override: Required).',
  BuildChoiceOverridden: "The build's BUILD_PRIVILEGED=true is overridden.",
  BuildChoiceWins:
    "The build's own choice takes precedence over the cluster default ({{default}}).",
  DefaultEnabled:
    'The build does not choose, and the cluster default is user namespaces (spec.userNamespaces.default: Enabled).',
  DefaultDisabled:
    'The build does not choose, and the cluster default is privileged builds (spec.userNamespaces.default: Disabled).',
};

export const REASON_KEYS = Object.keys(REASON_TEXT) as ReasonKey[];

export function reason(key: ReasonKey, params: Record<string, string> = {}): ReasonMessage {
  return { key, params };
}

/** The English sentence for a reason; a parameter the message lacks stays visible as {{name}}. */
export function formatReason(message: ReasonMessage): string {
  return REASON_TEXT[message.key].replace(
    /\{\{(\w+)\}\}/g,
    (whole, name: string) => message.params[name] ?? whole,
  );
}
