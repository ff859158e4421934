// HorizontalNav, actions and tables: the SDK pieces that lay out resource pages.
import { useEffect, useMemo, useState, type ComponentType, type FC, type ReactNode } from 'react';
import { Route, Routes, useLocation, useNavigate, useResolvedPath } from 'react-router';
import {
  Button,
  Content,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  PageSection,
  Tab,
  Tabs,
  TabTitleText,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import type { Extension } from '@openshift/dynamic-plugin-sdk';
import type { Action, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { useResolvedExtensions } from './hooks';
import { k8sKill } from './k8s';
import { modelRegistry, referenceFor } from './models';

export type NavPage = {
  href: string;
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's NavPage.component is ComponentType<any>
  component: ComponentType<any>;
};

/**
 * Tabs whose routes live under the page's own URL: '' is the first tab, 'x' is <base>/x. The
 * shell mounts resource pages at <resource URL>/*, so relative routes work as in the console.
 */
export const HorizontalNav: FC<{
  pages: NavPage[];
  resource?: K8sResourceCommon;
  customData?: unknown;
}> = ({ pages, resource, customData }) => {
  const base = useResolvedPath('.').pathname.replace(/\/$/, '');
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const rest = pathname.startsWith(base) ? pathname.slice(base.length).replace(/^\//, '') : '';
  const active = pages.find((p) => p.href && rest.split('/')[0] === p.href)?.href ?? '';
  return (
    <>
      <Tabs
        activeKey={active}
        component="nav"
        aria-label="Resource tabs"
        className="co-horizontal-nav"
        usePageInsets
        onSelect={(e, key) => {
          // Tabs render real links; route them client-side like the console does.
          e.preventDefault();
          navigate(`${base}${key ? `/${String(key)}` : ''}`);
        }}
      >
        {pages.map((p) => (
          <Tab
            key={p.href || 'details'}
            eventKey={p.href}
            title={<TabTitleText>{p.name}</TabTitleText>}
            href={`${base}${p.href ? `/${p.href}` : ''}`}
            data-test-id={`horizontal-link-${p.name}`}
            // The routed panel below is what every tab controls (aria-controls must resolve).
            tabContentId="horizontal-nav-panel"
          />
        ))}
      </Tabs>
      <div
        id="horizontal-nav-panel"
        role="tabpanel"
        aria-label={pages.find((p) => p.href === active)?.name}
      >
        <Routes>
          {pages.map((p) => (
            <Route
              key={p.href || 'details'}
              path={p.href ? `${p.href}/*` : ''}
              element={<p.component obj={resource} customData={customData} />}
            />
          ))}
        </Routes>
      </div>
    </>
  );
};

type ActionProvider = Extension<
  string,
  {
    contextId?: string;
    model?: { group?: string; version: string; kind: string };
    provider: (scope: unknown) => [Action[], boolean, unknown];
  }
>;

const isActionProvider = (e: Extension): e is ActionProvider =>
  e.type === 'console.action/provider' || e.type === 'console.action/resource-provider';

/** Calls one provider hook; a component per provider keeps the hook order stable. */
const ProviderRunner: FC<{
  id: string;
  useProvider: (scope: unknown) => [Action[], boolean, unknown];
  scope: unknown;
  onResult: (id: string, r: [Action[], boolean, unknown]) => void;
}> = ({ id, useProvider, scope, onResult }) => {
  const [actions, loaded, error] = useProvider(scope);
  useEffect(() => onResult(id, [actions, loaded, error]), [id, actions, loaded, error, onResult]);
  return null;
};

export type ActionServiceResult = {
  actions: Action[];
  options: Action[];
  loaded: boolean;
};

/**
 * Collects actions for a context, as the console's ActionServiceProvider does: providers whose
 * contextId is a key of `context`, plus resource providers whose model matches the resource of a
 * `group~version~kind` context.
 */
export const ActionServiceProvider: FC<{
  context: Record<string, unknown>;
  children: (r: ActionServiceResult) => ReactNode;
}> = ({ context, children }) => {
  const [extensions, resolved] = useResolvedExtensions<ActionProvider>(isActionProvider);
  const applicable = useMemo(
    () =>
      extensions.flatMap((e) => {
        const p = e.properties;
        if (e.type === 'console.action/provider')
          return p.contextId && p.contextId in context ? [{ e, scope: context[p.contextId] }] : [];
        if (!p.model) return [];
        const ref = Object.keys(context).find((k) => {
          const m = modelRegistry.find(k);
          return m && (m.apiGroup || '') === (p.model!.group || '') && m.kind === p.model!.kind;
        });
        return ref ? [{ e, scope: context[ref] }] : [];
      }),
    [extensions, context],
  );
  const [results, setResults] = useState<Record<string, [Action[], boolean, unknown]>>({});
  const onResult = useMemo(
    () => (id: string, r: [Action[], boolean, unknown]) =>
      setResults((prev) => ({ ...prev, [id]: r })),
    [],
  );
  const all = applicable.map(({ e }) => results[e.uid]);
  const actions = all.flatMap((r) => r?.[0] ?? []);
  const loaded = resolved && all.every((r) => r?.[1]);
  return (
    <>
      {applicable.map(({ e, scope }) => (
        <ProviderRunner
          key={e.uid}
          id={e.uid}
          useProvider={
            e.properties.provider as unknown as (scope: unknown) => [Action[], boolean, unknown]
          }
          scope={scope}
          onResult={onResult}
        />
      ))}
      {children({ actions, options: actions, loaded })}
    </>
  );
};

/** The console's delete confirmation, launched from the resource's Actions menu. */
export const DeleteModal: FC<{
  resource: K8sResourceCommon;
  closeModal: () => void;
  onDeleted?: () => void;
}> = ({ resource, closeModal, onDeleted }) => {
  const [error, setError] = useState<string>();
  const gvk = resource.apiVersion?.includes('/')
    ? {
        group: resource.apiVersion.split('/')[0],
        version: resource.apiVersion.split('/')[1]!,
        kind: resource.kind!,
      }
    : { version: resource.apiVersion ?? 'v1', kind: resource.kind! };
  const model = modelRegistry.find(referenceFor(gvk));
  return (
    <Modal isOpen variant="small" onClose={closeModal} aria-labelledby="delete-modal-title">
      <ModalHeader
        title={`Delete ${resource.kind}?`}
        labelId="delete-modal-title"
        titleIconVariant="warning"
      />
      <ModalBody>
        <Content component="p">
          Are you sure you want to delete <strong>{resource.metadata?.name}</strong>?
        </Content>
        {error && <Content component="p">{error}</Content>}
      </ModalBody>
      <ModalFooter>
        <Button
          variant="danger"
          onClick={() =>
            model &&
            k8sKill(model, resource)
              .then(() => {
                closeModal();
                onDeleted?.();
              })
              .catch((e: Error) => setError(e.message))
          }
        >
          Delete
        </Button>
        <Button variant="link" onClick={closeModal}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
};

type TableColumn<D> = {
  title: string;
  id: string;
  sort?: string | ((d: D[], dir: string) => D[]);
  props?: Record<string, unknown>;
};

/** A plain (non-virtualized) table with the VirtualizedTable contract: Row renders <TableData>s. */
export const VirtualizedTable = <D,>({
  data,
  loaded,
  loadError,
  columns,
  Row,
  rowData,
  label,
  'aria-label': ariaLabel,
  NoDataEmptyMsg,
  EmptyMsg,
}: {
  data: D[];
  loaded: boolean;
  loadError: unknown;
  columns: TableColumn<D>[];
  Row: ComponentType<{ obj: D; activeColumnIDs: Set<string>; rowData?: unknown; index: number }>;
  rowData?: unknown;
  label?: string;
  'aria-label'?: string;
  unfilteredData?: D[];
  NoDataEmptyMsg?: ComponentType;
  EmptyMsg?: ComponentType;
}) => {
  const ids = useMemo(() => new Set(columns.map((c) => c.id)), [columns]);
  if (loadError)
    return <Content component="p">{String((loadError as Error).message ?? loadError)}</Content>;
  if (loaded && data.length === 0) {
    const Empty = NoDataEmptyMsg ?? EmptyMsg;
    return Empty ? <Empty /> : <Content component="p">No {label ?? 'items'} found</Content>;
  }
  return (
    <Table aria-label={ariaLabel ?? label} variant="compact">
      <Thead>
        <Tr>
          {columns.map((c) => (
            <Th key={c.id}>{c.title}</Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {data.map((d, i) => (
          <Tr key={(d as K8sResourceCommon).metadata?.uid ?? i}>
            <Row obj={d} activeColumnIDs={ids} rowData={rowData} index={i} />
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};

export const TableData: FC<{
  id: string;
  activeColumnIDs: Set<string>;
  className?: string;
  children?: ReactNode;
}> = ({ id, activeColumnIDs, className, children }) =>
  activeColumnIDs.has(id) ? (
    <Td className={className} dataLabel={id}>
      {children}
    </Td>
  ) : null;

export const useActiveColumns = <D,>({
  columns,
}: {
  columns: TableColumn<D>[];
}): [TableColumn<D>[], boolean] => [columns, true];

/** Read-only YAML/JSON view: the console's Monaco editor is out of scope for the dev shell. */
export const CodeEditor: FC<{ value?: string; language?: string }> = ({ value }) => (
  <PageSection>
    <pre className="dev-console-code">{value}</pre>
  </PageSection>
);
export const YAMLEditor = CodeEditor;
export const ResourceYAMLEditor: FC<{ initialResource: unknown; header?: string }> = ({
  initialResource,
  header,
}) => (
  <PageSection>
    {header && <Content component="h2">{header}</Content>}
    <pre className="dev-console-code">{JSON.stringify(initialResource, null, 2)}</pre>
  </PageSection>
);
