// The compliance dashboard page (console.page/route /userns-builds/compliance, in the Builds nav
// section): every project the user may list builds in.
import type { FC } from 'react';
import { PageSection } from '@patternfly/react-core';
import { DocumentTitle, ListPageHeader } from '@openshift-console/dynamic-plugin-sdk';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import { ComplianceDashboard } from './compliance/ComplianceDashboard';

const ComplianceDashboardPage: FC = () => {
  const { t } = usePluginTranslation();
  const title = t('User namespace compliance');
  return (
    <>
      <DocumentTitle>{title}</DocumentTitle>
      <ListPageHeader
        title={title}
        helpText={t(
          'Which builds ran in a user namespace, where the privileged ones are, and the record to hand on. You see the projects where you may list builds.',
        )}
      />
      <PageSection>
        <ComplianceDashboard />
      </PageSection>
    </>
  );
};

export default ComplianceDashboardPage;
