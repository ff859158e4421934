// The tabs the console itself puts on every resource's details page (Details, YAML) and on a
// BuildConfig's (Builds); plugins add theirs with console.tab/horizontalNav. The Details tab holds
// the plugin's console.resource/details-item entries, and a project's inventory.
import type { FC } from 'react';
import { useTranslation } from 'react-i18next';
import { stringify as toYAML } from 'yaml';
import {
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Grid,
  GridItem,
  Label,
  LabelGroup,
  PageSection,
  Spinner,
  Title,
} from '@patternfly/react-core';
import { useResolvedExtensions } from '@openshift/dynamic-plugin-sdk';
import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { getGroupVersionKindForModel } from '../../sdk';
import { ResourceLink, StatusComponent, Timestamp } from '../../sdk/components';
import { BuildModel } from '../../sdk/models';
import { useK8sWatchResource } from '../../sdk/watch';
import { isDetailsItem } from '../extension-types';
import { matchesModel } from '../extensions';
import { translateLabel } from '../i18n';
import { ProjectInventory, isProjectKind } from './project-overview';
import type { BuildLike } from './shared';

/** The value at a details item's dotted `path` (e.g. `spec.strategy.type`) in the object. */
const valueAt = (obj: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      obj,
    );

export const DetailsTab: FC<{ obj?: K8sResourceCommon; model: K8sModel }> = ({ obj, model }) => {
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
              {C ? <C obj={obj} model={model} /> : String(valueAt(obj, p.path ?? '') ?? '-')}
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

export const YAMLTab: FC<{ obj?: K8sResourceCommon }> = ({ obj }) => (
  <PageSection>
    <pre className="dev-console-code" aria-label="YAML">
      {obj ? toYAML(obj) : ''}
    </pre>
  </PageSection>
);

/** A BuildConfig's builds: those labelled `buildconfig=<name>`, as OpenShift labels them. */
export const BuildsTab: FC<{ obj?: K8sResourceCommon }> = ({ obj }) => {
  const [builds, loaded] = useK8sWatchResource<BuildLike[]>(
    obj
      ? {
          groupVersionKind: getGroupVersionKindForModel(BuildModel),
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
                groupVersionKind={getGroupVersionKindForModel(BuildModel)}
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
