// The trend card. The chart itself is a separate chunk loaded after the first paint.
import { Component, lazy, Suspense, useEffect, useState } from 'react';
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

/**
 * False until a frame has been painted since `ready` became true. The chart's chunk is the largest
 * the dashboard loads (the charting library): asked for in the same commit as the headline beside
 * it, its download and evaluation compete with that headline's first paint.
 */
function usePaintedSince(ready: boolean): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (!ready || painted) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The callback runs before the frame is painted; a task queued from it runs after.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setPainted(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [ready, painted]);
  return painted;
}

export const TrendPanel: FC<{ state: RequestState<ComplianceSummary>; onRetry: () => void }> = ({
  state,
  onRetry,
}) => {
  const { t } = usePluginTranslation();
  const painted = usePaintedSince(state.state === 'loaded');
  const loadingChart = <PanelLoading label={t('Loading the chart')} />;
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
              {painted ? (
                <Suspense fallback={loadingChart}>
                  <TrendChart days={state.data.byDay} />
                </Suspense>
              ) : (
                loadingChart
              )}
            </ChartBoundary>
          ))}
      </CardBody>
    </Card>
  );
};
