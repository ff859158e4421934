// A decision reason from core, translated. One literal t() per key, so the i18n extraction sees
// every sentence; the English keys are core's REASON_TEXT (a test keeps the two identical).
import type { FC } from 'react';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import type { ReasonMessage } from '@userns-builds/core';

export const ReasonText: FC<{ message: ReasonMessage }> = ({ message }) => {
  const { t } = usePluginTranslation();
  const { params } = message;
  switch (message.key) {
    case 'NoBuildNameLabel':
      return t('The pod has no {{label}} label, so it is not an OpenShift build pod.', params);
    case 'NoBuildContainer':
      return t(
        'The pod has no build container ({{containers}}), so it is not an OpenShift build pod.',
        params,
      );
    case 'BuildUnreadableFromPod':
      return t(
        "The Build could not be read from the pod's BUILD env var, so BUILD_PRIVILEGED counts as unset.",
      );
    case 'BuildUnreadable':
      return t(
        'The Build could not be read for this request, so BUILD_PRIVILEGED counts as unset.',
      );
    case 'UnparseablePrivileged':
      return t(
        "The build's BUILD_PRIVILEGED value {{value}} is neither a boolean nor an integer; OpenShift ignores it (its default is privileged), so it counts as unset.",
        params,
      );
    case 'BuildSetsPrivilegedTrue':
      return t(
        'The build sets BUILD_PRIVILEGED=true in its strategy env, which keeps it privileged.',
      );
    case 'BuildSetsPrivilegedFalse':
      return t(
        'The build sets BUILD_PRIVILEGED=false in its strategy env, which asks for an unprivileged build in a user namespace.',
      );
    case 'OpenShiftDefaultPrivileged':
      return t('The build does not set BUILD_PRIVILEGED, so OpenShift runs it privileged.');
    case 'NoPolicy':
      return t('No BuildPolicy exists, so OpenShift decides on its own.');
    case 'SystemNamespace':
      return t(
        'Namespace "{{namespace}}" belongs to the platform ({{prefixes}}), which is never touched.',
        params,
      );
    case 'ExemptNamespace':
      return t(
        'Namespace "{{namespace}}" is exempt (spec.userNamespaces.exemptNamespaces), so its builds are left as OpenShift makes them.',
        params,
      );
    case 'OverrideRequired':
      return t(
        'The BuildPolicy requires user namespaces for every build (spec.userNamespaces.override: Required).',
      );
    case 'BuildChoiceOverridden':
      return t("The build's BUILD_PRIVILEGED=true is overridden.");
    case 'BuildChoiceWins':
      return t(
        "The build's own choice takes precedence over the cluster default ({{default}}).",
        params,
      );
    case 'DefaultEnabled':
      return t(
        'The build does not choose, and the cluster default is user namespaces (spec.userNamespaces.default: Enabled).',
      );
    case 'DefaultDisabled':
      return t(
        'The build does not choose, and the cluster default is privileged builds (spec.userNamespaces.default: Disabled).',
      );
  }
};
