// The compliance dashboard page (console.page/route /userns-builds/compliance, in the Builds nav
// section): every project the user may list builds in.
import type { FC } from 'react';
import { PageSection } from '@patternfly/react-core';
import { DocumentTitle, ListPageHeader } from '@openshift-console/dynamic-plugin-sdk';
import { preloadCompliance } from '../hooks/useCompliance';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import { parseDashboardQuery, summaryFilter, tableFilter } from '../utils/dashboard-query';
import { DEFAULT_PAGE_SIZE } from './compliance/BuildTablePanel';
import { ComplianceDashboard } from './compliance/ComplianceDashboard';

/** The page's route (console-extensions.json); the console may serve under a base path. */
const ROUTE = '/userns-builds/compliance';

/**
 * The console evaluates this module when it is about to render the page. Asking for the headline's
 * data here overlaps the requests with what still comes before the page's effects run (the
 * translations, unless the console preloaded them, and the whole first render) instead of starting
 * them after it. Only on the page's own address: a console may load the module for other reasons.
 */
export function preloadForLocation(location: Pick<Location, 'pathname' | 'search'>): boolean {
  if (!location.pathname.endsWith(ROUTE)) return false;
  const { query } = parseDashboardQuery(new URLSearchParams(location.search));
  const now = new Date();
  preloadCompliance(summaryFilter(query, now), tableFilter(query, now), {
    limit: DEFAULT_PAGE_SIZE,
    sort: query.sort,
  });
  return true;
}

preloadForLocation(window.location);

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
