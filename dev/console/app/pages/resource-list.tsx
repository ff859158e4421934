// /k8s/all-namespaces/:plural, /k8s/ns/:ns/:plural and /k8s/cluster/:plural: a resource list with
// the project selector, a Create link for users who may create, and the columns the console
// shows for Builds and BuildConfigs.
import type { FC, ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  Alert,
  Content,
  FormSelect,
  FormSelectOption,
  PageSection,
  Spinner,
  Title,
} from '@patternfly/react-core';
import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { getGroupVersionKindForModel } from '../../sdk';
import { ResourceLink, StatusComponent, Timestamp, resourcePath } from '../../sdk/components';
import { ALL_NAMESPACES_KEY, useAccessReview, useActiveNamespace } from '../../sdk/hooks';
import { BuildConfigModel, BuildModel, referenceForModel } from '../../sdk/models';
import { useK8sWatchResource } from '../../sdk/watch';
import { NotFound, loadErrorText, useModelFromParams, type BuildLike } from './shared';

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
              groupVersionKind={getGroupVersionKindForModel(BuildConfigModel)}
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
      ? { groupVersionKind: getGroupVersionKindForModel(model), isList: true, namespace: ns }
      : null,
  );
  const [canCreate] = useAccessReview({
    group: model?.apiGroup,
    resource: model?.plural,
    verb: 'create',
    namespace: ns,
  });
  if (!model) return <NotFound what="Resource type" />;
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
            {loadErrorText(loadError)}
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
                      groupVersionKind={getGroupVersionKindForModel(model)}
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
