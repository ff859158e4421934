import type { FC } from 'react';
import {
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
} from '@patternfly/react-core';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import { buildPolicyCreatePath } from '../models';
import { LinkButton } from './LinkButton';

interface NoPolicyProps {
  /** NotFound: the CRD exists but no `cluster` policy. NotInstalled: no CRD, nothing to create. */
  why: 'NotFound' | 'NotInstalled';
  canCreate: boolean;
}

export const NoPolicy: FC<NoPolicyProps> = ({ why, canCreate }) => {
  const { t } = usePluginTranslation();
  const installed = why === 'NotFound';
  return (
    <EmptyState
      headingLevel="h2"
      titleText={installed ? t('No build policy yet') : t('The BuildPolicy API is not installed')}
    >
      <EmptyStateBody>
        {installed
          ? t('There is no BuildPolicy named "cluster".')
          : t('This cluster has no BuildPolicy resource type (userns.builds.dev/v1alpha1).')}{' '}
        {t(
          "Builds follow OpenShift's default: they run privileged, as root on the node, unless a build sets BUILD_PRIVILEGED=false in its strategy environment.",
        )}
      </EmptyStateBody>
      {installed && canCreate && (
        <EmptyStateFooter>
          <EmptyStateActions>
            <LinkButton to={buildPolicyCreatePath} variant="primary">
              {t('Create build policy')}
            </LinkButton>
          </EmptyStateActions>
        </EmptyStateFooter>
      )}
    </EmptyState>
  );
};
