// The tabs the console itself puts on every resource's details page (Details, YAML) and on a
// BuildConfig's (Builds); plugins add theirs with console.tab/horizontalNav. The Details tab holds
// the plugin's console.resource/details-item entries, and a project's inventory.
import type { FC, ReactNode } from 'react';
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

/** One term and its description on the Details tab. */
const Item: FC<{ term: string; testId?: string; children?: ReactNode }> = ({
  term,
  testId,
  children,
}) => (
  <DescriptionListGroup data-test-id={testId}>
    <DescriptionListTerm>{term}</DescriptionListTerm>
    <DescriptionListDescription>{children}</DescriptionListDescription>
  </DescriptionListGroup>
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
          <Item key={uid} term={translateLabel(p.title, t)} testId={`details-item-${p.id}`}>
            {C ? <C obj={obj} model={model} /> : String(valueAt(obj, p.path ?? '') ?? '-')}
          </Item>
        );
      });
  const labels = Object.entries(obj.metadata?.labels ?? {});
  const phase = (obj as BuildLike).status?.phase;
  return (
    <PageSection>
      <Title headingLevel="h2">{model.label} details</Title>
      <Grid hasGutter>
        <GridItem md={6}>
          <DescriptionList>
            <Item term="Name">{obj.metadata?.name}</Item>
            {obj.metadata?.namespace && (
              <Item term="Namespace">
                <ResourceLink kind="Namespace" name={obj.metadata.namespace} />
              </Item>
            )}
            {phase && (
              <Item term="Status">
                <StatusComponent status={phase} />
              </Item>
            )}
            <Item term="Labels">
              {labels.length ? (
                <LabelGroup>
                  {labels.map(([k, v]) => (
                    <Label key={k}>{`${k}=${v}`}</Label>
                  ))}
                </LabelGroup>
              ) : (
                'No labels'
              )}
            </Item>
            <Item term="Created at">
              <Timestamp timestamp={obj.metadata?.creationTimestamp} />
            </Item>
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
