// /k8s/ns/:ns/:plural/:name/* and /k8s/cluster/:plural/:name/*: a resource's details page, with
// its breadcrumb, the Actions menu and the tabs (built-in ones, then the plugin's).
import { useMemo, type FC } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  Alert,
  Breadcrumb,
  BreadcrumbItem,
  PageSection,
  Spinner,
  Title,
} from '@patternfly/react-core';
import { useResolvedExtensions } from '@openshift/dynamic-plugin-sdk';
import type { K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { getGroupVersionKindForModel } from '../../sdk';
import { ResourceIcon, resourcePath } from '../../sdk/components';
import { ActionServiceProvider, HorizontalNav, type NavPage } from '../../sdk/nav';
import { BuildConfigModel, NamespaceModel, referenceForModel } from '../../sdk/models';
import { useK8sWatchResource } from '../../sdk/watch';
import { isTab } from '../extension-types';
import { matchesModel } from '../extensions';
import { translateLabel } from '../i18n';
import { ActionsMenu, useBuiltInActions } from './resource-actions';
import { BuildsTab, DetailsTab, YAMLTab } from './resource-tabs';
import { NotFound, loadErrorText, useModelFromParams } from './shared';

export const ResourceDetailsPage: FC = () => {
  const { model, ns, name } = useModelFromParams();
  const [obj, loaded, loadError] = useK8sWatchResource<K8sResourceCommon>(
    model && name
      ? { groupVersionKind: getGroupVersionKindForModel(model), name, namespace: ns }
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
  if (!model) return <NotFound what="Resource type" />;
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
            <ResourceIcon groupVersionKind={getGroupVersionKindForModel(model)} /> {name}
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
            {loadErrorText(loadError)}
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
