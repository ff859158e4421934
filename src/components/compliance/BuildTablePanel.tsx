// The build table: one page of the API's builds at a time (the browser never holds the whole
// set), walked with its continue tokens; filters and sort live in the URL, paging does not (a
// continue token is short-lived). Each row links to its Build and expands to its evidence.
import { useEffect, useMemo, useState } from 'react';
import type { FC } from 'react';
import {
  Button,
  Card,
  CardBody,
  CardTitle,
  Content,
  Flex,
  FlexItem,
  FormSelect,
  FormSelectOption,
  Label,
  SearchInput,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core';
import { ExpandableRowContent, Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import type { ThProps } from '@patternfly/react-table';
import { Link } from 'react-router';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import type { Verdict } from '@userns-builds/core';
import { STRATEGIES } from '../../api/compliance';
import type { BuildRow, ComplianceFilter, SortKey, Strategy } from '../../api/compliance';
import { useComplianceBuilds } from '../../hooks/useCompliance';
import { VERDICTS, verdictLabelProps } from '../../utils/build-evidence';
import { buildConfigPath, buildPath } from '../../utils/compliance-links';
import type { DashboardQuery } from '../../utils/dashboard-query';
import { VerdictText } from '../BuildUserNamespaceItem';
import { ExportControls } from './ExportControls';
import { NoBuilds, PanelError, PanelLoading } from './PanelStates';

export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 50;

type SortColumn = 'name' | 'namespace' | 'created';

export interface BuildTablePanelProps {
  query: DashboardQuery;
  filter: ComplianceFilter;
  onQuery: (patch: Partial<DashboardQuery>) => void;
  /** Projects to offer in the namespace filter (the ones the summary shows this user). */
  namespaces: string[];
  fixedNamespace?: string;
}

const BuildRowView: FC<{ row: BuildRow; index: number }> = ({ row, index }) => {
  const { t } = usePluginTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Tbody isExpanded={open}>
      <Tr data-test="compliance-build-row">
        <Td
          expand={{
            rowIndex: index,
            isExpanded: open,
            onToggle: () => setOpen(!open),
            expandId: 'userns-builds-evidence-',
          }}
        />
        {/* PatternFly names the expand button by this id ("<build> Details"). */}
        <Td dataLabel={t('Build')} id={`simple-node${index}`}>
          <Link to={buildPath(row.namespace, row.name)}>{row.name}</Link>
        </Td>
        <Td dataLabel={t('Namespace')}>{row.namespace}</Td>
        <Td dataLabel={t('BuildConfig')}>
          {row.buildConfig ? (
            <Link to={buildConfigPath(row.namespace, row.buildConfig)}>{row.buildConfig}</Link>
          ) : (
            '-'
          )}
        </Td>
        <Td dataLabel={t('Strategy')}>{row.strategy ?? '-'}</Td>
        <Td dataLabel={t('Phase')}>{row.phase ?? '-'}</Td>
        <Td dataLabel={t('Verdict')}>
          <Label {...verdictLabelProps(row.verdict)}>
            <VerdictText verdict={row.verdict} />
          </Label>
        </Td>
        <Td dataLabel={t('Created')}>
          <time dateTime={row.created}>{new Date(row.created).toLocaleString()}</time>
        </Td>
      </Tr>
      <Tr isExpanded={open}>
        <Td colSpan={8}>
          <ExpandableRowContent>
            <Content component="p" className="userns-builds__evidence">
              {row.evidence || t('No evidence recorded.')}
            </Content>
            {row.decisionSource && (
              <Content component="small">
                {t('Decided by: {{source}}', { source: row.decisionSource })}
              </Content>
            )}
          </ExpandableRowContent>
        </Td>
      </Tr>
    </Tbody>
  );
};

export const BuildTablePanel: FC<BuildTablePanelProps> = ({
  query,
  filter,
  onQuery,
  namespaces,
  fixedNamespace,
}) => {
  const { t } = usePluginTranslation();
  const [limit, setLimit] = useState<number>(DEFAULT_PAGE_SIZE);
  // pages[i]: the continue token that reads page i (page 0 needs none) and its first row's offset.
  const [pages, setPages] = useState<{ token?: string; offset: number }[]>([{ offset: 0 }]);
  const pageIndex = pages.length - 1;
  const current = pages[pageIndex] ?? { offset: 0 };
  const filterKey = JSON.stringify([filter, query.sort, limit]);
  // Any change of filter, sort or size starts the walk over.
  useEffect(() => setPages([{ offset: 0 }]), [filterKey]);
  const page = useMemo(
    () => ({
      limit,
      sort: query.sort,
      ...(current.token ? { continue: current.token } : {}),
    }),
    [limit, query.sort, current.token],
  );
  const [state, retry] = useComplianceBuilds(filter, page);
  const [search, setSearch] = useState(query.q ?? '');
  useEffect(() => setSearch(query.q ?? ''), [query.q]);

  const filtered =
    query.namespace.length > 0 ||
    query.verdict.length > 0 ||
    !!query.strategy ||
    !!query.q ||
    !!query.buildConfig;

  const sortFor = (columnIndex: number, key: SortColumn): ThProps['sort'] => {
    const active = query.sort.replace(/^-/, '') === key;
    return {
      columnIndex,
      sortBy: active
        ? { index: columnIndex, direction: query.sort.startsWith('-') ? 'desc' : 'asc' }
        : {},
      onSort: (_e, _i, direction) =>
        onQuery({ sort: (direction === 'desc' ? `-${key}` : key) as SortKey }),
    };
  };

  const nsOptions = [...new Set([...query.namespace, ...namespaces])].sort();
  const total = state.state === 'loaded' ? state.data.total : undefined;
  const first = current.offset + 1;

  return (
    <Card data-test="compliance-builds">
      <CardTitle component="h2">{t('Builds')}</CardTitle>
      <CardBody>
        <Toolbar>
          <ToolbarContent>
            <ToolbarGroup variant="filter-group">
              {!fixedNamespace && (
                <ToolbarItem>
                  <FormSelect
                    id="userns-builds-filter-namespace"
                    aria-label={t('Filter by project')}
                    value={query.namespace[0] ?? ''}
                    onChange={(_e, v) => onQuery({ namespace: v ? [v] : [] })}
                  >
                    <FormSelectOption value="" label={t('All projects')} />
                    {nsOptions.map((n) => (
                      <FormSelectOption key={n} value={n} label={n} />
                    ))}
                  </FormSelect>
                </ToolbarItem>
              )}
              <ToolbarItem>
                <FormSelect
                  id="userns-builds-filter-verdict"
                  aria-label={t('Filter by verdict')}
                  value={query.verdict[0] ?? ''}
                  onChange={(_e, v) => onQuery({ verdict: v ? [v as Verdict] : [] })}
                >
                  <FormSelectOption value="" label={t('All verdicts')} />
                  {VERDICTS.map((v) => (
                    <FormSelectOption key={v} value={v} label={v} />
                  ))}
                </FormSelect>
              </ToolbarItem>
              <ToolbarItem>
                <FormSelect
                  id="userns-builds-filter-strategy"
                  aria-label={t('Filter by strategy')}
                  value={query.strategy ?? ''}
                  onChange={(_e, v) =>
                    onQuery({ strategy: (v || undefined) as Strategy | undefined })
                  }
                >
                  <FormSelectOption value="" label={t('All strategies')} />
                  {STRATEGIES.map((s) => (
                    <FormSelectOption key={s} value={s} label={s} />
                  ))}
                </FormSelect>
              </ToolbarItem>
              <ToolbarItem>
                <SearchInput
                  aria-label={t('Filter by build name')}
                  placeholder={t('Build name contains…')}
                  value={search}
                  onChange={(_e, v) => setSearch(v)}
                  onSearch={(_e, v) => onQuery({ q: v.trim() || undefined })}
                  onClear={() => {
                    setSearch('');
                    onQuery({ q: undefined });
                  }}
                />
              </ToolbarItem>
              {query.buildConfig && (
                <ToolbarItem>
                  <Label
                    onClose={() => onQuery({ buildConfig: undefined })}
                    closeBtnAriaLabel={t('Clear the BuildConfig filter')}
                  >
                    {t('BuildConfig: {{name}}', { name: query.buildConfig })}
                  </Label>
                </ToolbarItem>
              )}
              {filtered && (
                <ToolbarItem>
                  <Button
                    variant="link"
                    onClick={() =>
                      onQuery({
                        namespace: [],
                        verdict: [],
                        strategy: undefined,
                        q: undefined,
                        buildConfig: undefined,
                      })
                    }
                  >
                    {t('Clear filters')}
                  </Button>
                </ToolbarItem>
              )}
            </ToolbarGroup>
            <ToolbarItem align={{ default: 'alignEnd' }}>
              <ExportControls filter={filter} sort={query.sort} total={total} />
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        {state.state === 'loading' && <PanelLoading label={t('Loading builds')} />}
        {state.state === 'error' && (
          <PanelError
            error={state.error}
            onRetry={state.error.kind === 'Expired' ? () => setPages([{ offset: 0 }]) : retry}
          />
        )}
        {state.state === 'loaded' &&
          (state.data.items.length === 0 ? (
            <NoBuilds filtered={filtered} />
          ) : (
            <>
              <Table
                aria-label={t('Builds and their verdicts')}
                variant="compact"
                data-test="compliance-table"
              >
                <Thead>
                  <Tr>
                    <Th screenReaderText={t('Row expansion')} />
                    <Th sort={sortFor(1, 'name')}>{t('Build')}</Th>
                    <Th sort={sortFor(2, 'namespace')} modifier="nowrap">
                      {t('Namespace')}
                    </Th>
                    <Th>{t('BuildConfig')}</Th>
                    <Th>{t('Strategy')}</Th>
                    <Th>{t('Phase')}</Th>
                    <Th>{t('Verdict')}</Th>
                    <Th sort={sortFor(7, 'created')}>{t('Created')}</Th>
                  </Tr>
                </Thead>
                {state.data.items.map((row, i) => (
                  <BuildRowView key={`${row.namespace}/${row.name}`} row={row} index={i} />
                ))}
              </Table>
              <Flex
                justifyContent={{ default: 'justifyContentFlexEnd' }}
                alignItems={{ default: 'alignItemsCenter' }}
                className="userns-builds__pager"
              >
                <FlexItem>
                  <Content component="small" data-test="compliance-range">
                    {t('{{first}}–{{last}} of {{total}}', {
                      first: first.toLocaleString('en-US'),
                      last: (first + state.data.items.length - 1).toLocaleString('en-US'),
                      total: state.data.total.toLocaleString('en-US'),
                    })}
                  </Content>
                </FlexItem>
                <FlexItem>
                  <FormSelect
                    id="userns-builds-page-size"
                    aria-label={t('Builds per page')}
                    value={String(limit)}
                    onChange={(_e, v) => setLimit(Number(v))}
                  >
                    {PAGE_SIZES.map((n) => (
                      <FormSelectOption
                        key={n}
                        value={String(n)}
                        label={t('{{count}} per page', { count: n })}
                      />
                    ))}
                  </FormSelect>
                </FlexItem>
                <FlexItem>
                  <Button
                    variant="secondary"
                    isDisabled={pageIndex === 0}
                    onClick={() => setPages(pages.slice(0, -1))}
                  >
                    {t('Previous')}
                  </Button>
                </FlexItem>
                <FlexItem>
                  <Button
                    variant="secondary"
                    isDisabled={!state.data.continue}
                    onClick={() =>
                      setPages([
                        ...pages,
                        { token: state.data.continue, offset: first - 1 + state.data.items.length },
                      ])
                    }
                  >
                    {t('Next')}
                  </Button>
                </FlexItem>
              </Flex>
            </>
          ))}
      </CardBody>
    </Card>
  );
};
