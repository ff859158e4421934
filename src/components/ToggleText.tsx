// Translated words for the BuildConfig toggle. Each value has its own literal t() call so the i18n
// extraction sees every key.
import type { FC } from 'react';
import { Label } from '@patternfly/react-core';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import type { DecisionSource } from '@userns-builds/core';
import type { ToggleChoice } from '../utils/buildconfig-toggle';
import type { BuildChoice } from '../utils/preview';

export const CHOICE_TO_BUILD: Record<ToggleChoice, BuildChoice> = {
  Follow: 'Unset',
  On: 'PrivilegedFalse',
  Off: 'PrivilegedTrue',
};

export const ChoiceText: FC<{ choice: ToggleChoice }> = ({ choice }) => {
  const { t } = usePluginTranslation();
  switch (choice) {
    case 'On':
      return t('User namespace');
    case 'Off':
      return t('Privileged');
    default:
      return t('Follow the cluster policy');
  }
};

export const ChoiceDescription: FC<{ choice: ToggleChoice }> = ({ choice }) => {
  const { t } = usePluginTranslation();
  switch (choice) {
    case 'On':
      return t('BUILD_PRIVILEGED=false: builds run unprivileged, in a user namespace.');
    case 'Off':
      return t('BUILD_PRIVILEGED=true: builds run privileged, as root on the node.');
    default:
      return t('No BUILD_PRIVILEGED: the cluster policy decides.');
  }
};

/** How a build pod runs: the outcome of a decision. */
export const OutcomeLabel: FC<{ userNamespaces: boolean }> = ({ userNamespaces }) => {
  const { t } = usePluginTranslation();
  return userNamespaces ? (
    <Label status="success" data-test="userns-outcome">
      {t('User namespace')}
    </Label>
  ) : (
    <Label status="warning" data-test="userns-outcome">
      {t('Privileged')}
    </Label>
  );
};

/** Which rule the webhook stamped on a build pod (its decision-source annotation). */
export const DecisionSourceName: FC<{ source: DecisionSource | string | undefined }> = ({
  source,
}) => {
  const { t } = usePluginTranslation();
  switch (source) {
    case 'Override':
      return t('The cluster override (override: Required)');
    case 'Build':
      return t("The build's own BUILD_PRIVILEGED");
    case 'Default':
      return t('The cluster default');
    case undefined:
      return t('Not stamped: the admission webhook did not change this pod');
    default:
      return t('Unrecognised stamp: {{source}}', { source });
  }
};
