// Built-in pages: resource lists and details (so the plugin's tabs, details items and actions
// have a place), Overview (dashboard cards), Cluster Settings (global config) and Create from YAML.
import { useMemo, useState, type FC, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { parse as parseYAML, stringify as toYAML } from 'yaml';
import {
  Alert,
  Breadcrumb,
  BreadcrumbItem,
  Button,
  Card,
  CardBody,
  CardTitle,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Dropdown,
  DropdownItem,
  DropdownList,
  FormSelect,
  FormSelectOption,
  Gallery,
  Grid,
  GridItem,
  Label,
  LabelGroup,
  MenuToggle,
  PageSection,
  Spinner,
  TextArea,
  Title,
  Tooltip,
} from '@patternfly/react-core';
import {
  useExtensions,
  useResolvedExtensions,
  type CodeRef,
  type Extension,
} from '@openshift/dynamic-plugin-sdk';
import type { Action, K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { matchesModel } from './extensions';
import { ProjectInventory, isProjectKind } from './project-overview';
import { translateLabel } from './i18n';
import {
  ResourceIcon,
  ResourceLink,
  StatusComponent,
  Timestamp,
  resourcePath,
} from '../sdk/components';
import { ALL_NAMESPACES_KEY, useAccessReview, useActiveNamespace, useModal } from '../sdk/hooks';
import { consoleFetchJSON, k8sCreate, resourceURL } from '../sdk/k8s';
import { ActionServiceProvider, DeleteModal, HorizontalNav, type NavPage } from '../sdk/nav';
import {
  BuildConfigModel,
  BuildModel,
  NamespaceModel,
  modelRegistry,
  referenceForModel,
} from '../sdk/models';
import { useK8sWatchResource } from '../sdk/watch';

type ModelRef = { group?: string; version?: string; kind: string };
type TabExt = Extension<
  'console.tab/horizontalNav',
  {
    model: ModelRef;
    page: { name: string; href: string };
    component: CodeRef<FC<{ obj?: K8sResourceCommon }>>;
  }
>;
type DetailsItemExt = Extension<
  'console.resource/details-item',
  {
    model: ModelRef;
    id: string;
    column: 'left' | 'right';
    title: string;
    path?: string;
    component?: CodeRef<FC<{ obj: K8sResourceCommon; model: K8sModel }>>;
    sortWeight?: number;
  }
>;
type GlobalConfigExt = Extension<
  'console.global-config',
  { id: string; name: string; model: ModelRef; namespace?: string }
>;
type CardExt = Extension<
  'console.dashboards/card',
  { tab: string; position: 'LEFT' | 'RIGHT' | 'MAIN'; component: CodeRef<FC>; span?: number }
>;
type DashTabExt = Extension<
  'console.dashboards/tab',
  { id: string; title: string; navSection: string }
>;
type YamlTemplateExt = Extension<
  'console.yaml-template',
  { model: ModelRef; name: string; template: CodeRef<string> }
>;

const isTab = (e: Extension): e is TabExt => e.type === 'console.tab/horizontalNav';
const isDetailsItem = (e: Extension): e is DetailsItemExt =>
  e.type === 'console.resource/details-item';
const isGlobalConfig = (e: Extension): e is GlobalConfigExt => e.type === 'console.global-config';
const isCard = (e: Extension): e is CardExt => e.type === 'console.dashboards/card';
const isDashTab = (e: Extension): e is DashTabExt => e.type === 'console.dashboards/tab';
const isYamlTemplate = (e: Extension): e is YamlTemplateExt => e.type === 'console.yaml-template';

const useModelFromParams = () => {
  const { plural = '', ns, name } = useParams();
  return { model: modelRegistry.findByUrlSegment(plural), ns, name, plural };
};

const Unknown: FC<{ what: string }> = ({ what }) => (
  <PageSection>
    <Title headingLevel="h1">404: {what} not found</Title>
  </PageSection>
);

const NamespaceSelect: FC = () => {
  const [ns, setNs] = useActiveNamespace();
  // Only users who may list namespaces get the list (the console lists projects instead); the
  // others keep the namespace they navigated to.
  const [canList, checking] = useAccessReview({ resource: 'namespaces', verb: 'list' });
  const [namespaces] = useK8sWatchResource<K8sResourceCommon[]>(
    canList && !checking
      ? { groupVersionKind: { version: 'v1', kind: 'Namespace' }, isList: true }
      : null,
  );
  const navigate = useNavigate();
  const { plural } = useModelFromParams();
  return (
    <FormSelect
      id="dev-console-namespace"
      aria-label="Project"
      value={ns}
      onChange={(_e, v) => {
        setNs(v);
        navigate(
          v === ALL_NAMESPACES_KEY ? `/k8s/all-namespaces/${plural}` : `/k8s/ns/${v}/${plural}`,
        );
      }}
      className="dev-console-namespace-select"
    >
      <FormSelectOption value={ALL_NAMESPACES_KEY} label="Project: All Projects" />
      {ns !== ALL_NAMESPACES_KEY && !(namespaces ?? []).some((n) => n.metadata?.name === ns) && (
        <FormSelectOption value={ns} label={`Project: ${ns}`} />
      )}
      {(namespaces ?? []).map((n) => (
        <FormSelectOption
          key={n.metadata?.name}
          value={n.metadata?.name}
          label={`Project: ${n.metadata?.name}`}
        />
      ))}
    </FormSelect>
  );
};

type BuildLike = K8sResourceCommon & {
  spec?: { strategy?: { type?: string } };
  status?: { phase?: string; config?: { name?: string } };
};

const extraColumns = (
  model: K8sModel,
): { title: string; render: (o: BuildLike) => ReactNode }[] => {
  if (model === BuildModel || referenceForModel(model) === referenceForModel(BuildModel))
    return [
      { title: 'Status', render: (o) => <StatusComponent status={o.status?.phase ?? 'New'} /> },
      {
        title: 'BuildConfig',
        render: (o) =>
          o.status?.config?.name ? (
            <ResourceLink
              groupVersionKind={{ group: 'build.openshift.io', version: 'v1', kind: 'BuildConfig' }}
              name={o.status.config.name}
              namespace={o.metadata?.namespace}
            />
          ) : (
            '-'
          ),
      },
    ];
  if (referenceForModel(model) === referenceForModel(BuildConfigModel))
    return [{ title: 'Type', render: (o) => o.spec?.strategy?.type ?? '-' }];
  return [];
};

export const ResourceListPage: FC = () => {
  const { model, ns } = useModelFromParams();
  const [data, loaded, loadError] = useK8sWatchResource<K8sResourceCommon[]>(
    model
      ? {
          groupVersionKind: { group: model.apiGroup, version: model.apiVersion, kind: model.kind },
          isList: true,
          namespace: ns,
        }
      : null,
  );
  const [canCreate] = useAccessReview({
    group: model?.apiGroup,
    resource: model?.plural,
    verb: 'create',
    namespace: ns,
  });
  if (!model) return <Unknown what="Resource type" />;
  const columns = extraColumns(model);
  return (
    <>
      {model.namespaced && (
        <PageSection className="dev-console-namespace-bar">
          <NamespaceSelect />
        </PageSection>
      )}
      <PageSection>
        <div className="dev-console-list-header">
          <Title headingLevel="h1">{model.labelPlural}</Title>
          {canCreate && (!model.namespaced || ns) && (
            <Link
              className="pf-v6-c-button pf-m-primary"
              to={`${resourcePath(model, undefined, ns)}/~new`}
            >
              Create {model.label}
            </Link>
          )}
        </div>
      </PageSection>
      <PageSection>
        {loadError ? (
          <Alert variant="danger" isInline title={`Could not list ${model.labelPlural}`}>
            {String((loadError as Error).message ?? loadError)}
          </Alert>
        ) : !loaded ? (
          <Spinner aria-label="Loading" />
        ) : data.length === 0 ? (
          <Content component="p">No {model.labelPlural} found</Content>
        ) : (
          <table className="pf-v6-c-table pf-m-compact" aria-label={model.labelPlural}>
            <thead className="pf-v6-c-table__thead">
              <tr className="pf-v6-c-table__tr">
                <th className="pf-v6-c-table__th">Name</th>
                {model.namespaced && <th className="pf-v6-c-table__th">Namespace</th>}
                {columns.map((c) => (
                  <th key={c.title} className="pf-v6-c-table__th">
                    {c.title}
                  </th>
                ))}
                <th className="pf-v6-c-table__th">Created</th>
              </tr>
            </thead>
            <tbody className="pf-v6-c-table__tbody">
              {data.map((o) => (
                <tr key={o.metadata?.uid ?? o.metadata?.name} className="pf-v6-c-table__tr">
                  <td className="pf-v6-c-table__td">
                    <ResourceLink
                      groupVersionKind={{
                        group: model.apiGroup,
                        version: model.apiVersion,
                        kind: model.kind,
                      }}
                      name={o.metadata?.name}
                      namespace={o.metadata?.namespace}
                    />
                  </td>
                  {model.namespaced && (
                    <td className="pf-v6-c-table__td">
                      <ResourceLink kind="Namespace" name={o.metadata?.namespace} />
                    </td>
                  )}
                  {columns.map((c) => (
                    <td key={c.title} className="pf-v6-c-table__td">
                      {c.render(o)}
                    </td>
                  ))}
                  <td className="pf-v6-c-table__td">
                    <Timestamp timestamp={o.metadata?.creationTimestamp} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PageSection>
    </>
  );
};

const get = (obj: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      obj,
    );

const DetailsTab: FC<{ obj?: K8sResourceCommon; model: K8sModel }> = ({ obj, model }) => {
  const { t } = useTranslation();
  const [items] = useResolvedExtensions(isDetailsItem);
  if (!obj) return null;
  const mine = items
    .filter((i) => matchesModel(i.properties.model, model))
    .sort((a, b) => (a.properties.sortWeight ?? 0) - (b.properties.sortWeight ?? 0));
  const column = (side: 'left' | 'right') =>
    mine
      .filter((i) => i.properties.column === side)
      .map(({ uid, properties: p }) => {
        const C = p.component;
        return (
          <DescriptionListGroup key={uid} data-test-id={`details-item-${p.id}`}>
            <DescriptionListTerm>{translateLabel(p.title, t)}</DescriptionListTerm>
            <DescriptionListDescription>
              {C ? <C obj={obj} model={model} /> : String(get(obj, p.path ?? '') ?? '-')}
            </DescriptionListDescription>
          </DescriptionListGroup>
        );
      });
  const labels = obj.metadata?.labels ?? {};
  return (
    <PageSection>
      <Title headingLevel="h2">{model.label} details</Title>
      <Grid hasGutter>
        <GridItem md={6}>
          <DescriptionList>
            <DescriptionListGroup>
              <DescriptionListTerm>Name</DescriptionListTerm>
              <DescriptionListDescription>{obj.metadata?.name}</DescriptionListDescription>
            </DescriptionListGroup>
            {obj.metadata?.namespace && (
              <DescriptionListGroup>
                <DescriptionListTerm>Namespace</DescriptionListTerm>
                <DescriptionListDescription>
                  <ResourceLink kind="Namespace" name={obj.metadata.namespace} />
                </DescriptionListDescription>
              </DescriptionListGroup>
            )}
            {(obj as BuildLike).status?.phase && (
              <DescriptionListGroup>
                <DescriptionListTerm>Status</DescriptionListTerm>
                <DescriptionListDescription>
                  <StatusComponent status={(obj as BuildLike).status!.phase!} />
                </DescriptionListDescription>
              </DescriptionListGroup>
            )}
            <DescriptionListGroup>
              <DescriptionListTerm>Labels</DescriptionListTerm>
              <DescriptionListDescription>
                {Object.keys(labels).length ? (
                  <LabelGroup>
                    {Object.entries(labels).map(([k, v]) => (
                      <Label key={k}>{`${k}=${v}`}</Label>
                    ))}
                  </LabelGroup>
                ) : (
                  'No labels'
                )}
              </DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Created at</DescriptionListTerm>
              <DescriptionListDescription>
                <Timestamp timestamp={obj.metadata?.creationTimestamp} />
              </DescriptionListDescription>
            </DescriptionListGroup>
            {column('left')}
          </DescriptionList>
        </GridItem>
        <GridItem md={6}>
          <DescriptionList>{column('right')}</DescriptionList>
          {isProjectKind(model.kind) && obj.metadata?.name && (
            <ProjectInventory projectName={obj.metadata.name} />
          )}
        </GridItem>
      </Grid>
    </PageSection>
  );
};

const YAMLTab: FC<{ obj?: K8sResourceCommon }> = ({ obj }) => (
  <PageSection>
    <pre className="dev-console-code" aria-label="YAML">
      {obj ? toYAML(obj) : ''}
    </pre>
  </PageSection>
);

const BuildsTab: FC<{ obj?: K8sResourceCommon }> = ({ obj }) => {
  const [builds, loaded] = useK8sWatchResource<
    (K8sResourceCommon & { status?: { phase?: string } })[]
  >(
    obj
      ? {
          groupVersionKind: { group: 'build.openshift.io', version: 'v1', kind: 'Build' },
          isList: true,
          namespace: obj.metadata?.namespace,
          selector: { matchLabels: { buildconfig: obj.metadata?.name ?? '' } },
        }
      : null,
  );
  if (!loaded) return <Spinner aria-label="Loading" />;
  return (
    <PageSection>
      {builds.length === 0 ? (
        <Content component="p">No Builds found</Content>
      ) : (
        <ul className="dev-console-plain-list">
          {builds.map((b) => (
            <li key={b.metadata?.uid}>
              <ResourceLink
                groupVersionKind={{ group: 'build.openshift.io', version: 'v1', kind: 'Build' }}
                name={b.metadata?.name}
                namespace={b.metadata?.namespace}
              />{' '}
              <StatusComponent status={b.status?.phase ?? 'New'} />
            </li>
          ))}
        </ul>
      )}
    </PageSection>
  );
};

const ActionItem: FC<{ action: Action }> = ({ action }) => {
  const navigate = useNavigate();
  const [allowed, loading] = useAccessReview(action.accessReview ?? {}, undefined, true);
  const permitted = !action.accessReview || allowed;
  const disabled = !!action.disabled || loading || !permitted;
  const item = (
    <DropdownItem
      key={action.id}
      isAriaDisabled={disabled}
      data-test-action={action.id}
      onClick={() => {
        if (disabled) return;
        if (typeof action.cta === 'function') action.cta();
        else if (action.cta.external) window.open(action.cta.href, '_blank', 'noopener');
        else navigate(action.cta.href);
      }}
    >
      {action.label}
    </DropdownItem>
  );
  return disabled && action.disabledTooltip ? (
    <Tooltip content={action.disabledTooltip}>{item}</Tooltip>
  ) : (
    item
  );
};

const ActionsMenu: FC<{ actions: Action[] }> = ({ actions }) => {
  const [open, setOpen] = useState(false);
  return (
    <Dropdown
      isOpen={open}
      onSelect={() => setOpen(false)}
      onOpenChange={setOpen}
      popperProps={{ position: 'right' }}
      toggle={(ref) => (
        <MenuToggle
          ref={ref}
          onClick={() => setOpen(!open)}
          isExpanded={open}
          data-test-id="actions-menu-button"
        >
          Actions
        </MenuToggle>
      )}
    >
      <DropdownList>
        {actions.map((a) => (
          <ActionItem key={a.id} action={a} />
        ))}
      </DropdownList>
    </Dropdown>
  );
};

/** Actions the console itself offers on these kinds, next to the plugin's. */
const useBuiltInActions = (model: K8sModel, obj: K8sResourceCommon | undefined): Action[] => {
  const launch = useModal();
  const navigate = useNavigate();
  return useMemo(() => {
    if (!obj?.metadata?.name) return [];
    const ns = obj.metadata.namespace;
    const name = obj.metadata.name;
    const out: Action[] = [];
    if (referenceForModel(model) === referenceForModel(BuildConfigModel))
      out.push({
        id: 'start-build',
        label: 'Start build',
        cta: () => {
          void consoleFetchJSON
            .post(resourceURL(model, { ns, name, path: 'instantiate' }), {
              kind: 'BuildRequest',
              apiVersion: 'build.openshift.io/v1',
              metadata: { name },
            })
            .then((b: K8sResourceCommon) =>
              navigate(resourcePath(BuildModel, b.metadata?.name, ns)),
            )
            .catch((e: Error) => window.alert(`Could not start the build: ${e.message}`));
        },
        accessReview: {
          group: model.apiGroup,
          resource: model.plural,
          subresource: 'instantiate',
          verb: 'create',
          name,
          namespace: ns,
        },
      });
    out.push({
      id: 'delete',
      label: `Delete ${model.label}`,
      cta: () =>
        launch(DeleteModal, {
          resource: {
            ...obj,
            kind: model.kind,
            apiVersion: model.apiGroup ? `${model.apiGroup}/${model.apiVersion}` : model.apiVersion,
          },
          onDeleted: () => navigate(resourcePath(model, undefined, ns)),
        }),
      accessReview: {
        group: model.apiGroup,
        resource: model.plural,
        verb: 'delete',
        name,
        namespace: ns,
      },
    });
    return out;
  }, [model, obj, launch, navigate]);
};

export const ResourceDetailsPage: FC = () => {
  const { model, ns, name } = useModelFromParams();
  const [obj, loaded, loadError] = useK8sWatchResource<K8sResourceCommon>(
    model && name
      ? {
          groupVersionKind: { group: model.apiGroup, version: model.apiVersion, kind: model.kind },
          name,
          namespace: ns,
        }
      : null,
  );
  const { t: translate } = useTranslation();
  const [tabs] = useResolvedExtensions(isTab);
  const builtIn = useBuiltInActions(model ?? NamespaceModel, loaded ? obj : undefined);
  const pages: NavPage[] = useMemo(() => {
    if (!model) return [];
    const base: NavPage[] = [
      {
        href: '',
        name: 'Details',
        component: (p: { obj?: K8sResourceCommon }) => <DetailsTab obj={p.obj} model={model} />,
      },
      { href: 'yaml', name: 'YAML', component: YAMLTab },
    ];
    if (referenceForModel(model) === referenceForModel(BuildConfigModel))
      base.push({ href: 'builds', name: 'Builds', component: BuildsTab });
    tabs
      .filter((t) => matchesModel(t.properties.model, model))
      .forEach((t) =>
        base.push({
          href: t.properties.page.href,
          // `%plugin__x~Tab%` names are translation keys, as everywhere in extensions.
          name: translateLabel(t.properties.page.name, translate),
          component: t.properties.component,
        }),
      );
    return base;
  }, [model, tabs, translate]);
  const context = useMemo(() => (model ? { [referenceForModel(model)]: obj } : {}), [model, obj]);
  if (!model) return <Unknown what="Resource type" />;
  return (
    <>
      <PageSection>
        <Breadcrumb>
          <BreadcrumbItem>
            <Link to={resourcePath(model, undefined, ns)}>{model.labelPlural}</Link>
          </BreadcrumbItem>
          <BreadcrumbItem isActive>{model.label} details</BreadcrumbItem>
        </Breadcrumb>
        <div className="dev-console-list-header">
          <Title headingLevel="h1" data-test="page-heading">
            <ResourceIcon
              groupVersionKind={{
                group: model.apiGroup,
                version: model.apiVersion,
                kind: model.kind,
              }}
            />{' '}
            {name}
          </Title>
          {loaded && (
            <ActionServiceProvider context={context}>
              {({ actions }) => <ActionsMenu actions={[...actions, ...builtIn]} />}
            </ActionServiceProvider>
          )}
        </div>
      </PageSection>
      {loadError ? (
        <PageSection>
          <Alert variant="danger" isInline title={`Could not load ${model.label} ${name}`}>
            {String((loadError as Error).message ?? loadError)}
          </Alert>
        </PageSection>
      ) : !loaded ? (
        <Spinner aria-label="Loading" />
      ) : (
        <HorizontalNav pages={pages} resource={obj} />
      )}
    </>
  );
};

export const DashboardPage: FC = () => {
  const { t: translate } = useTranslation();
  const [cards] = useResolvedExtensions(isCard);
  const tabs = useExtensions(isDashTab);
  const [active, setActive] = useState('home');
  const shown = cards.filter((c) => c.properties.tab === active);
  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Overview</Title>
        {tabs.length > 0 && (
          <div className="dev-console-dashboard-tabs">
            {[{ id: 'home', title: 'Cluster' }, ...tabs.map((t) => t.properties)].map((t) => (
              <Button
                key={t.id}
                variant={t.id === active ? 'primary' : 'secondary'}
                onClick={() => setActive(t.id)}
              >
                {translateLabel(t.title, translate)}
              </Button>
            ))}
          </div>
        )}
      </PageSection>
      <PageSection>
        {shown.length === 0 ? (
          <Content component="p">No dashboard cards on this tab.</Content>
        ) : (
          <Gallery hasGutter minWidths={{ default: '320px' }}>
            {shown.map(({ uid, properties: { component: C } }) => (
              <C key={uid} />
            ))}
          </Gallery>
        )}
      </PageSection>
    </>
  );
};

export const ClusterSettingsPage: FC = () => {
  const configs = useExtensions(isGlobalConfig);
  const builtIn = [
    {
      id: 'build',
      name: 'Build',
      model: { group: 'config.openshift.io', version: 'v1', kind: 'Build' },
      namespace: undefined as string | undefined,
    },
  ];
  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Cluster Settings</Title>
      </PageSection>
      <PageSection>
        <Card>
          <CardTitle component="h2">Configuration</CardTitle>
          <CardBody>
            <Content component="p">
              <Link to="/cluster-configuration" data-test-id="cluster-configuration-link">
                Cluster configuration
              </Link>{' '}
              — settings plugins add to the console
            </Content>
            <ul className="dev-console-plain-list">
              {[...builtIn, ...configs.map((c) => c.properties)].map((c) => {
                const m = modelRegistry.find(c.model as never);
                return (
                  <li key={c.id} data-test-id={`global-config-${c.id}`}>
                    {m ? (
                      <Link
                        to={resourcePath(
                          m,
                          m.kind === 'Build' && m.apiGroup === 'config.openshift.io'
                            ? 'cluster'
                            : c.name,
                          c.namespace,
                        )}
                      >
                        {c.name}
                      </Link>
                    ) : (
                      c.name
                    )}
                  </li>
                );
              })}
            </ul>
          </CardBody>
        </Card>
      </PageSection>
    </>
  );
};

export const CreateFromYAMLPage: FC = () => {
  const { model, ns } = useModelFromParams();
  const [templates] = useResolvedExtensions(isYamlTemplate);
  const navigate = useNavigate();
  const template = model
    ? templates.find((t) => matchesModel(t.properties.model, model))?.properties.template
    : undefined;
  const initial = useMemo(() => {
    if (template) return template;
    if (!model) return '';
    return toYAML({
      apiVersion: model.apiGroup ? `${model.apiGroup}/${model.apiVersion}` : model.apiVersion,
      kind: model.kind,
      metadata: { name: 'example', ...(ns && { namespace: ns }) },
    });
  }, [template, model, ns]);
  const [text, setText] = useState<string>();
  const [error, setError] = useState<string>();
  if (!model) return <Unknown what="Resource type" />;
  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Create {model.label}</Title>
      </PageSection>
      <PageSection>
        <TextArea
          aria-label="YAML"
          value={text ?? initial}
          onChange={(_e, v) => setText(v)}
          rows={24}
          className="dev-console-code"
        />
        {error && <Alert variant="danger" isInline title={error} />}
        <Button
          className="dev-console-create"
          onClick={() => {
            try {
              const data = parseYAML(text ?? initial) as K8sResourceCommon;
              if (ns && model.namespaced) data.metadata = { ...data.metadata, namespace: ns };
              k8sCreate<K8sResourceCommon>(model, data)
                .then((o: K8sResourceCommon) =>
                  navigate(resourcePath(model, o.metadata?.name, o.metadata?.namespace)),
                )
                .catch((e: Error) => setError(e.message));
            } catch (e) {
              setError((e as Error).message);
            }
          }}
        >
          Create
        </Button>
      </PageSection>
    </>
  );
};
