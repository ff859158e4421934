// The trend card. The chart itself is a separate chunk loaded after the first paint.
import { Component, lazy, Suspense } from 'react';
import type { FC, ReactNode } from 'react';
import { Alert, Card, CardBody, CardTitle } from '@patternfly/react-core';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import type { ComplianceSummary } from '../../api/compliance';
import type { RequestState } from '../../hooks/useCompliance';
import { NoBuilds, PanelError, PanelLoading } from './PanelStates';

const TrendChart = lazy(() => import(/* webpackChunkName: "trend-chart" */ './TrendChart'));

/** A chunk that fails to load (network, a redeploy mid-session) must not take the page down. */
class ChartBoundary extends Component<
  { fallback: ReactNode; children: ReactNode },
  { failed: boolean }
> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

export const TrendPanel: FC<{ state: RequestState<ComplianceSummary>; onRetry: () => void }> = ({
  state,
  onRetry,
}) => {
  const { t } = usePluginTranslation();
  return (
    <Card data-test="compliance-trend">
      <CardTitle component="h2">{t('Daily trend')}</CardTitle>
      <CardBody>
        {state.state === 'loading' && <PanelLoading label={t('Loading the trend')} />}
        {state.state === 'error' && <PanelError error={state.error} onRetry={onRetry} />}
        {state.state === 'loaded' &&
          (state.data.byDay.length === 0 ? (
            <NoBuilds />
          ) : (
            <ChartBoundary
              fallback={
                <Alert
                  variant="warning"
                  isInline
                  isPlain
                  title={t('The chart could not be loaded')}
                />
              }
            >
              <Suspense fallback={<PanelLoading label={t('Loading the chart')} />}>
                <TrendChart days={state.data.byDay} />
              </Suspense>
            </ChartBoundary>
          ))}
      </CardBody>
    </Card>
  );
};
