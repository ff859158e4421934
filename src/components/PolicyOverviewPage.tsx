// The plugin's overview page (console.page/route /userns-builds): the cluster's effective
// BuildPolicy and what it does to a build.
import { useMemo } from 'react';
import type { FC } from 'react';
import { Alert, Bullseye, PageSection, Spinner, Stack, StackItem } from '@patternfly/react-core';
import { DocumentTitle, ListPageHeader } from '@openshift-console/dynamic-plugin-sdk';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import { effectivePolicy } from '@userns-builds/core';
import { useBuildPolicy } from '../hooks/useBuildPolicy';
import { useEnforcement } from '../hooks/useEnforcement';
import { usePolicyAccess } from '../hooks/usePolicyAccess';
import type { PolicyLoadState } from '../utils/load-state';
import { BuildPreview } from './BuildPreview';
import { EnforcementStatus } from './EnforcementStatus';
import { NoPolicy } from './NoPolicy';
import { PolicySummary } from './PolicySummary';

const LoadError: FC<{ status: number | undefined; message: string }> = ({ status, message }) => {
  const { t } = usePluginTranslation();
  const title =
    status === 403
      ? t('You do not have permission to read the build policy')
      : t('The build policy could not be loaded');
  return (
    <Alert variant="danger" isInline title={title}>
      {message}
    </Alert>
  );
};

const PolicyOverviewBody: FC<{ load: PolicyLoadState }> = ({ load }) => {
  const { t } = usePluginTranslation();
  const { canCreate, canUpdate } = usePolicyAccess();
  const enforcement = useEnforcement();
  const spec = load.state === 'loaded' ? load.policy.spec : undefined;
  // Memoized on the spec object so the preview recomputes only when the watched policy changes.
  const effective = useMemo(() => (spec ? effectivePolicy(spec) : undefined), [spec]);

  switch (load.state) {
    case 'loading':
      return (
        <Bullseye>
          <Spinner aria-label={t('Loading the build policy')} />
        </Bullseye>
      );
    case 'error':
      return <LoadError status={load.status} message={load.message} />;
    case 'absent':
      return (
        <Stack hasGutter>
          <StackItem>
            <NoPolicy why={load.why} canCreate={canCreate} />
          </StackItem>
          <StackItem>
            <EnforcementStatus state={enforcement} policy={undefined} />
          </StackItem>
          <StackItem>
            <BuildPreview policy={undefined} />
          </StackItem>
        </Stack>
      );
    case 'loaded':
      return (
        <Stack hasGutter>
          <StackItem>
            {effective && <PolicySummary policy={effective} canUpdate={canUpdate} />}
          </StackItem>
          <StackItem>
            <EnforcementStatus state={enforcement} policy={effective} />
          </StackItem>
          <StackItem>
            <BuildPreview policy={effective} />
          </StackItem>
        </Stack>
      );
  }
};

const PolicyOverviewPage: FC = () => {
  const { t } = usePluginTranslation();
  const load = useBuildPolicy();
  return (
    <>
      <DocumentTitle>{t('User namespace builds')}</DocumentTitle>
      <ListPageHeader
        title={t('User namespace builds')}
        helpText={t(
          'Whether builds on this cluster run privileged as root on the node, or inside a Linux user namespace.',
        )}
      />
      <PageSection>
        <PolicyOverviewBody load={load} />
      </PageSection>
    </>
  );
};

export default PolicyOverviewPage;
