// The BuildConfig details item (console.resource/details-item): how its next build will run, by
// whose choice, with a link to the User namespace tab where it can be changed.
import type { FC } from 'react';
import { Spinner, Stack, StackItem } from '@patternfly/react-core';
import type { DetailsItemComponentProps } from '@openshift-console/dynamic-plugin-sdk';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import { Link } from 'react-router';
import { useBuildPolicy } from '../hooks/useBuildPolicy';
import { buildConfigTabPath } from '../models';
import { currentSetting, previewPolicy, toggleEffect } from '../utils/buildconfig-toggle';
import type { BuildConfigLike } from '../utils/buildconfig-toggle';
import { DecisionSourceText } from './PolicyText';
import { CHOICE_TO_BUILD, ChoiceText, OutcomeLabel } from './ToggleText';

const BuildConfigUserNamespaceItem: FC<DetailsItemComponentProps> = ({ obj }) => {
  const { t } = usePluginTranslation();
  const policy = previewPolicy(useBuildPolicy());
  const bc = obj as BuildConfigLike;
  const { choice } = currentSetting(bc);
  const name = bc.metadata?.name ?? '';
  const namespace = bc.metadata?.namespace ?? '';
  const decision =
    policy.state === 'ready' ? toggleEffect(policy.policy, bc).decisions[choice] : undefined;
  return (
    <Stack data-test="userns-buildconfig-item">
      <StackItem>
        {decision ? (
          <>
            <OutcomeLabel userNamespaces={decision.userNamespaces} />{' '}
            <DecisionSourceText source={decision.source} choice={CHOICE_TO_BUILD[choice]} />
          </>
        ) : policy.state === 'loading' ? (
          <Spinner size="sm" aria-label={t('Loading the build policy')} />
        ) : (
          t('The build policy could not be read.')
        )}
      </StackItem>
      <StackItem>
        {t('Setting:')} <ChoiceText choice={choice} />{' '}
        <Link to={buildConfigTabPath(namespace, name)}>{t('Change')}</Link>
      </StackItem>
    </Stack>
  );
};

export default BuildConfigUserNamespaceItem;
