// Translated words for policy values. Each value has its own literal t() call so the i18n
// extraction sees every key.
import type { FC } from 'react';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import type {
  DecisionSource,
  UserNamespaceDefault,
  UserNamespaceMode,
  UserNamespaceOverride,
} from '@userns-builds/core';
import type { BuildChoice } from '../utils/preview';

export const DefaultText: FC<{ value: UserNamespaceDefault }> = ({ value }) => {
  const { t } = usePluginTranslation();
  return value === 'Enabled'
    ? t('Enabled: builds run in a user namespace')
    : t('Disabled: builds run privileged');
};

export const OverrideText: FC<{ value: UserNamespaceOverride }> = ({ value }) => {
  const { t } = usePluginTranslation();
  return value === 'Required'
    ? t('Required: every build runs in a user namespace, whatever it asks for')
    : t('None: a build may choose with BUILD_PRIVILEGED');
};

export const ModeText: FC<{ value: UserNamespaceMode }> = ({ value }) => {
  const { t } = usePluginTranslation();
  switch (value) {
    case 'HostUsers':
      return t('Pod spec hostUsers: false');
    case 'Both':
      return t('CRI-O annotation and pod spec hostUsers: false');
    default:
      return t('CRI-O annotation (io.kubernetes.cri-o.userns-mode)');
  }
};

export const BuildChoiceText: FC<{ choice: BuildChoice }> = ({ choice }) => {
  const { t } = usePluginTranslation();
  switch (choice) {
    case 'PrivilegedFalse':
      return t('BUILD_PRIVILEGED=false');
    case 'PrivilegedTrue':
      return t('BUILD_PRIVILEGED=true');
    default:
      return t('Nothing (no BUILD_PRIVILEGED)');
  }
};

/** Why a build got its outcome, by decision source (ReasonText shows core's full reasons). */
export const DecisionSourceText: FC<{ source: DecisionSource; choice: BuildChoice }> = ({
  source,
  choice,
}) => {
  const { t } = usePluginTranslation();
  switch (source) {
    case 'Override':
      return t('The policy requires user namespaces for every build.');
    case 'Build':
      return t("The build's own BUILD_PRIVILEGED takes precedence over the cluster default.");
    case 'Default':
      return t('The build does not choose, so the cluster default applies.');
    case 'Exempt':
      return t('The namespace is exempt, so the build is left as OpenShift makes it.');
    case 'NotBuildPod':
      return t('Not a build pod, so it is never changed.');
    case 'NoPolicy':
      return choice === 'Unset'
        ? t('No policy: OpenShift runs builds privileged by default.')
        : t("No policy: OpenShift follows the build's own BUILD_PRIVILEGED.");
  }
};
