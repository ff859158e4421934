// The card on the cluster Overview dashboard (console.dashboards/card) and the line on a project's
// overview (console.project-overview/inventory-item): the last 7 days' share, and a way in.
import { useMemo, useState } from 'react';
import type { FC } from 'react';
import { Card, CardBody, CardFooter, CardTitle, Content } from '@patternfly/react-core';
import { Link } from 'react-router';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import type { ComplianceFilter } from '../api/compliance';
import { useComplianceSummary } from '../hooks/useCompliance';
import type { RequestState } from '../hooks/useCompliance';
import type { ComplianceSummary } from '../api/compliance';
import { COMPLIANCE_PATH, projectCompliancePath } from '../utils/compliance-links';
import { share, windowRange } from '../utils/dashboard-query';
import { PanelError, PanelLoading } from './compliance/PanelStates';

const useWeek = (namespace?: string): [RequestState<ComplianceSummary>, () => void] => {
  const [now] = useState(() => new Date());
  const filter = useMemo<ComplianceFilter>(
    () => ({
      ...windowRange({ window: '7d' }, now),
      ...(namespace ? { namespace: [namespace] } : {}),
    }),
    [now, namespace],
  );
  return useComplianceSummary(filter);
};

const ShareLine: FC<{ summary: ComplianceSummary }> = ({ summary }) => {
  const { t } = usePluginTranslation();
  const pct = share(summary.byVerdict.UserNamespaced, summary.total);
  if (pct === undefined) return <>{t('No builds in the last 7 days')}</>;
  return (
    <>
      {t('{{share}}% of {{total}} builds ran user-namespaced; {{privileged}} privileged', {
        share: pct,
        total: summary.total.toLocaleString('en-US'),
        privileged: summary.byVerdict.Privileged.toLocaleString('en-US'),
      })}
    </>
  );
};

const ComplianceCard: FC = () => {
  const { t } = usePluginTranslation();
  const [state, retry] = useWeek();
  return (
    <Card data-test="userns-compliance-card">
      <CardTitle component="h2">{t('User namespace builds')}</CardTitle>
      <CardBody>
        {state.state === 'loading' && <PanelLoading label={t('Loading the summary')} />}
        {state.state === 'error' && <PanelError error={state.error} onRetry={retry} />}
        {state.state === 'loaded' && (
          <Content component="p" data-test="userns-compliance-card-share">
            <ShareLine summary={state.data} />
          </Content>
        )}
      </CardBody>
      <CardFooter>
        <Link to={COMPLIANCE_PATH}>{t('View compliance')}</Link>
      </CardFooter>
    </Card>
  );
};

export const ProjectComplianceItem: FC<{ projectName: string }> = ({ projectName }) => {
  const { t } = usePluginTranslation();
  const [state] = useWeek(projectName);
  return (
    <div data-test="userns-compliance-project-item">
      <Link to={projectCompliancePath(projectName)}>{t('User namespace builds')}</Link>{' '}
      {state.state === 'loading' && t('Loading…')}
      {state.state === 'error' && t('unavailable ({{reason}})', { reason: state.error.message })}
      {state.state === 'loaded' && <ShareLine summary={state.data} />}
    </div>
  );
};

export default ComplianceCard;
