// The dashboard's body, shared by its own page (every project the user may list) and the tab on
// a Project (that project only). Its state is the URL: the window and the table's filters.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { FC } from 'react';
import {
  Alert,
  Button,
  Flex,
  FlexItem,
  Grid,
  GridItem,
  TextInput,
  ToggleGroup,
  ToggleGroupItem,
} from '@patternfly/react-core';
import { useSearchParams } from 'react-router';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import type { Verdict } from '@userns-builds/core';
import { useComplianceSummary } from '../../hooks/useCompliance';
import {
  parseDashboardQuery,
  summaryFilter,
  tableFilter,
  writeDashboardQuery,
} from '../../utils/dashboard-query';
import type { DashboardQuery, WindowKey } from '../../utils/dashboard-query';
import { BuildTablePanel } from './BuildTablePanel';
import { HeadlinePanel } from './HeadlinePanel';
import { TrendPanel } from './TrendPanel';
import { WhereToActPanel } from './WhereToActPanel';
import './compliance.css';

const WindowPicker: FC<{
  query: DashboardQuery;
  onQuery: (p: Partial<DashboardQuery>) => void;
}> = ({ query, onQuery }) => {
  const { t } = usePluginTranslation();
  const labels: Record<WindowKey, string> = {
    '24h': t('24 hours'),
    '7d': t('7 days'),
    '30d': t('30 days'),
    custom: t('Custom'),
  };
  return (
    <Flex alignItems={{ default: 'alignItemsCenter' }}>
      <FlexItem>
        <ToggleGroup aria-label={t('Time window')}>
          {(Object.keys(labels) as WindowKey[]).map((w) => (
            <ToggleGroupItem
              key={w}
              text={labels[w]}
              buttonId={`userns-builds-window-${w}`}
              isSelected={query.window === w}
              onChange={() => onQuery({ window: w })}
            />
          ))}
        </ToggleGroup>
      </FlexItem>
      {query.window === 'custom' && (
        <>
          <FlexItem>
            <TextInput
              type="date"
              aria-label={t('From (UTC day)')}
              value={query.from ?? ''}
              onChange={(_e, v) => onQuery({ from: v || undefined })}
            />
          </FlexItem>
          <FlexItem>
            <TextInput
              type="date"
              aria-label={t('To (UTC day, inclusive)')}
              value={query.to ?? ''}
              onChange={(_e, v) => onQuery({ to: v || undefined })}
            />
          </FlexItem>
        </>
      )}
    </Flex>
  );
};

export const ComplianceDashboard: FC<{ fixedNamespace?: string }> = ({ fixedNamespace }) => {
  const { t } = usePluginTranslation();
  const [params, setParams] = useSearchParams();
  const { query, dropped } = useMemo(() => parseDashboardQuery(params), [params]);
  // "Now" is fixed until the reader refreshes, so paging walks one consistent window.
  const [now, setNow] = useState(() => new Date());
  // Two changes in one tick (a project, then a verdict) must both land: each builds on the last
  // one written, not on the params of the render it was called from.
  const latest = useRef(params);
  latest.current = params;
  const onQuery = useCallback(
    (patch: Partial<DashboardQuery>) => {
      const current = latest.current;
      const next = writeDashboardQuery(
        { ...parseDashboardQuery(current).query, ...patch },
        current,
      );
      latest.current = next;
      setParams(next);
    },
    [setParams],
  );
  const sFilter = useMemo(
    () => summaryFilter(query, now, fixedNamespace),
    [query, now, fixedNamespace],
  );
  const tFilter = useMemo(
    () => tableFilter(query, now, fixedNamespace),
    [query, now, fixedNamespace],
  );
  const [summary, retrySummary] = useComplianceSummary(sFilter);
  const namespaces = useMemo(
    () => (summary.state === 'loaded' ? summary.data.byNamespace.map((n) => n.namespace) : []),
    [summary],
  );
  const windowTitle: Record<WindowKey, string> = {
    '24h': t('User-namespaced builds, last 24 hours'),
    '7d': t('User-namespaced builds, last 7 days'),
    '30d': t('User-namespaced builds, last 30 days'),
    custom: t('User-namespaced builds, chosen days'),
  };
  const showVerdict = useCallback((v: Verdict) => onQuery({ verdict: [v] }), [onQuery]);
  const showPrivileged = useCallback(
    (namespace: string, buildConfig?: string) =>
      onQuery({
        ...(fixedNamespace ? {} : { namespace: [namespace] }),
        verdict: ['Privileged'],
        buildConfig,
      }),
    [onQuery, fixedNamespace],
  );
  return (
    <Grid hasGutter className="userns-builds__dashboard">
      <GridItem span={12}>
        <Flex justifyContent={{ default: 'justifyContentSpaceBetween' }}>
          <FlexItem>
            <WindowPicker query={query} onQuery={onQuery} />
          </FlexItem>
          <FlexItem>
            <Button variant="secondary" onClick={() => setNow(new Date())}>
              {t('Refresh')}
            </Button>
          </FlexItem>
        </Flex>
        {dropped.length > 0 && (
          <Alert
            variant="warning"
            isInline
            isPlain
            title={t('Ignored invalid values in the address: {{params}}', {
              params: dropped.join(', '),
            })}
          />
        )}
      </GridItem>
      <GridItem lg={7} md={12}>
        <HeadlinePanel
          state={summary}
          title={windowTitle[query.window]}
          onRetry={retrySummary}
          onVerdict={showVerdict}
        />
      </GridItem>
      <GridItem lg={5} md={12}>
        <WhereToActPanel
          state={summary}
          onRetry={retrySummary}
          onShow={showPrivileged}
          showNamespaces={!fixedNamespace}
        />
      </GridItem>
      <GridItem span={12}>
        <TrendPanel state={summary} onRetry={retrySummary} />
      </GridItem>
      <GridItem span={12}>
        <BuildTablePanel
          query={query}
          filter={tFilter}
          onQuery={onQuery}
          namespaces={namespaces}
          fixedNamespace={fixedNamespace}
        />
      </GridItem>
    </Grid>
  );
};
