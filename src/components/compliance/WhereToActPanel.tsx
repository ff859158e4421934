// "Where to act": the projects and BuildConfigs with the most privileged builds in the window,
// each a link to the BuildConfig (where its user-namespace switch is) and a shortcut that filters
// the table to those builds.
import type { FC, ReactNode } from 'react';
import {
  Button,
  Card,
  CardBody,
  CardTitle,
  Content,
  DataList,
  DataListCell,
  DataListItem,
  DataListItemCells,
  DataListItemRow,
  Grid,
  GridItem,
  Title,
} from '@patternfly/react-core';
import { Link } from 'react-router';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import type { ComplianceSummary, NamespaceCount } from '../../api/compliance';
import type { RequestState } from '../../hooks/useCompliance';
import { buildConfigPath } from '../../utils/compliance-links';
import { PanelError, PanelLoading } from './PanelStates';

const TOP_NAMESPACES = 5;
const TOP_BUILDCONFIGS = 10;

export interface WhereToActProps {
  state: RequestState<ComplianceSummary>;
  onRetry: () => void;
  /** Filters the table to one project's (and optionally one BuildConfig's) privileged builds. */
  onShow: (namespace: string, buildConfig?: string) => void;
  /** On a project's own tab there is one project: no per-project list. */
  showNamespaces: boolean;
}

/** One line: what it is, and its privileged count as a shortcut to those builds in the table. */
const PrivilegedRow: FC<{
  row: NamespaceCount;
  name: ReactNode;
  onShow: () => void;
  testId?: string;
}> = ({ row, name, onShow, testId }) => {
  const { t } = usePluginTranslation();
  return (
    <DataListItem>
      <DataListItemRow>
        <DataListItemCells
          dataListCells={[
            <DataListCell key="name">{name}</DataListCell>,
            <DataListCell key="count" alignRight isFilled={false}>
              <Button variant="link" isInline onClick={onShow} data-test={testId}>
                {t('{{count}} privileged of {{total}}', {
                  count: row.byVerdict.Privileged,
                  total: row.total,
                })}
              </Button>
            </DataListCell>,
          ]}
        />
      </DataListItemRow>
    </DataListItem>
  );
};

const WhereToActBody: FC<
  Omit<WhereToActProps, 'state' | 'onRetry'> & { summary: ComplianceSummary }
> = ({ summary, onShow, showNamespaces }) => {
  const { t } = usePluginTranslation();
  const namespaces = summary.byNamespace
    .filter((n) => n.byVerdict.Privileged > 0)
    .slice(0, TOP_NAMESPACES);
  const configs = summary.byBuildConfig
    .filter((b) => b.byVerdict.Privileged > 0)
    .slice(0, TOP_BUILDCONFIGS);
  if (namespaces.length === 0 && configs.length === 0)
    return (
      <Content component="p" data-test="where-to-act-none">
        {t('No privileged builds in this window. Nothing to act on.')}
      </Content>
    );
  return (
    <Grid hasGutter>
      {showNamespaces && namespaces.length > 0 && (
        <GridItem span={12}>
          <Title headingLevel="h3" size="md">
            {t('Projects')}
          </Title>
          <DataList aria-label={t('Projects with the most privileged builds')} isCompact>
            {namespaces.map((n) => (
              <PrivilegedRow
                key={n.namespace}
                row={n}
                name={n.namespace}
                onShow={() => onShow(n.namespace)}
                testId={`where-ns-${n.namespace}`}
              />
            ))}
          </DataList>
        </GridItem>
      )}
      {configs.length > 0 && (
        <GridItem span={12}>
          <Title headingLevel="h3" size="md">
            {t('BuildConfigs')}
          </Title>
          <DataList aria-label={t('BuildConfigs with the most privileged builds')} isCompact>
            {configs.map((b) => (
              <PrivilegedRow
                key={`${b.namespace}/${b.buildConfig}`}
                row={b}
                name={
                  <>
                    <Link to={buildConfigPath(b.namespace, b.buildConfig)}>{b.buildConfig}</Link>{' '}
                    <Content component="small">{b.namespace}</Content>
                  </>
                }
                onShow={() => onShow(b.namespace, b.buildConfig)}
              />
            ))}
          </DataList>
        </GridItem>
      )}
    </Grid>
  );
};

export const WhereToActPanel: FC<WhereToActProps> = ({ state, onRetry, ...rest }) => {
  const { t } = usePluginTranslation();
  return (
    <Card data-test="compliance-where-to-act">
      <CardTitle component="h2">{t('Where to act')}</CardTitle>
      <CardBody>
        {state.state === 'loading' && <PanelLoading label={t('Loading where to act')} />}
        {state.state === 'error' && <PanelError error={state.error} onRetry={onRetry} />}
        {state.state === 'loaded' && <WhereToActBody summary={state.data} {...rest} />}
      </CardBody>
    </Card>
  );
};
