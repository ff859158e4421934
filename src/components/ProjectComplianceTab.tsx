// The dashboard as a tab on a Project (console.tab/horizontalNav): that project's builds only.
import type { FC } from 'react';
import { PageSection } from '@patternfly/react-core';
import type { K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { ComplianceDashboard } from './compliance/ComplianceDashboard';

const ProjectComplianceTab: FC<{ obj?: K8sResourceCommon }> = ({ obj }) => {
  const name = obj?.metadata?.name;
  if (!name) return null;
  return (
    <PageSection>
      <ComplianceDashboard fixedNamespace={name} />
    </PageSection>
  );
};

export default ProjectComplianceTab;
