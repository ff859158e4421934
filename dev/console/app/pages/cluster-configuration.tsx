// Administration → Cluster Settings → Cluster configuration, as the console builds it from
// console.cluster-configuration/group and /item: one tab per group that has items, ordered by
// insertBefore/insertAfter; an item shows only when every readAccessReview allows, and is
// read-only unless every writeAccessReview allows.
import { useEffect, useMemo, useState, type FC } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import {
  Content,
  EmptyState,
  EmptyStateBody,
  Form,
  FormGroup,
  PageSection,
  Spinner,
  Tab,
  Tabs,
  TabTitleText,
  Title,
} from '@patternfly/react-core';
import { useResolvedExtensions } from '@openshift/dynamic-plugin-sdk';
import type { AccessReviewResourceAttributes } from '@openshift-console/dynamic-plugin-sdk';
import { isConfigGroup, isConfigItem, type ConfigItemExt } from '../extension-types';
import { orderNavItems } from '../extensions';
import { translateLabel } from '../i18n';
import { checkAccess } from '../../sdk/hooks';

/** An item with its field's component resolved and lifted to the top. */
type ResolvedItem = Omit<ConfigItemExt['properties'], 'field'> & {
  component?: FC<{ readonly: boolean }>;
};

/** Every review allowed; an empty list allows. A failed review denies, as the console does. */
const allAllowed = async (reviews: AccessReviewResourceAttributes[] | undefined) => {
  if (!reviews?.length) return true;
  try {
    const results = await Promise.all(reviews.map((r) => checkAccess(r)));
    return results.every((r) => !!r.status?.allowed);
  } catch {
    return false;
  }
};

export const ClusterConfigurationPage: FC = () => {
  const { t } = useTranslation();
  const { group } = useParams();
  const navigate = useNavigate();
  const [groups, groupsResolved] = useResolvedExtensions(isConfigGroup);
  const [items, itemsResolved] = useResolvedExtensions(isConfigItem);
  const resolvedItems = useMemo(
    () =>
      items.map(({ properties: p }) => ({
        ...p,
        component: (p.field as { component?: FC<{ readonly: boolean }> }).component,
      })) as unknown as ResolvedItem[],
    [items],
  );
  const [access, setAccess] = useState<Record<string, { read: boolean; write: boolean }>>({});
  useEffect(() => {
    let live = true;
    void Promise.all(
      resolvedItems.map(async (i) => {
        const [read, write] = await Promise.all([
          allAllowed(i.readAccessReview),
          allAllowed(i.writeAccessReview),
        ]);
        return [i.id, { read, write }] as const;
      }),
    ).then((entries) => live && setAccess(Object.fromEntries(entries)));
    return () => {
      live = false;
    };
  }, [resolvedItems]);

  const tabs = useMemo(() => {
    const ordered = orderNavItems(groups.map((g) => ({ ...g.properties })));
    return ordered
      .map((g) => ({
        ...g,
        items: orderNavItems(resolvedItems.filter((i) => i.groupId === g.id && access[i.id]?.read)),
      }))
      .filter((g) => g.items.length > 0);
  }, [groups, resolvedItems, access]);
  const loaded =
    groupsResolved && itemsResolved && resolvedItems.every((i) => access[i.id] !== undefined);
  const active = tabs.some((g) => g.id === group) ? group : tabs[0]?.id;

  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Cluster configuration</Title>
        <Content component="p">
          Set cluster-wide configuration for the console experience. Changes are saved as you make
          them.
        </Content>
      </PageSection>
      <PageSection>
        {!loaded ? (
          <Spinner aria-label="Loading" />
        ) : tabs.length === 0 ? (
          <EmptyState headingLevel="h2" titleText="Insufficient permissions">
            <EmptyStateBody>
              You do not have sufficient permissions to read any cluster configuration.
            </EmptyStateBody>
          </EmptyState>
        ) : (
          <Tabs
            activeKey={active}
            isVertical
            aria-label="Cluster configuration groups"
            onSelect={(_e, key) =>
              navigate(`/cluster-configuration/${String(key)}`, { replace: true })
            }
          >
            {tabs.map((g) => (
              <Tab
                key={g.id}
                eventKey={g.id}
                title={<TabTitleText>{translateLabel(g.label, t)}</TabTitleText>}
                data-test={`tab ${g.id}`}
              >
                <Form className="dev-console-cluster-configuration">
                  {g.items.map((i) => {
                    const C = i.component;
                    const fieldId = `cluster-configuration-${i.id}`;
                    return (
                      <FormGroup key={i.id} fieldId={fieldId} label={translateLabel(i.label, t)}>
                        <Content component="small">{translateLabel(i.description, t)}</Content>
                        <div id={fieldId} data-test={`cluster-configuration-item ${i.id}`}>
                          {C ? <C readonly={!access[i.id]?.write} /> : null}
                        </div>
                      </FormGroup>
                    );
                  })}
                </Form>
              </Tab>
            ))}
          </Tabs>
        )}
      </PageSection>
    </>
  );
};
