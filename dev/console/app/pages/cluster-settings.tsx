// /settings/cluster: Administration → Cluster Settings, with the link to Cluster configuration
// and one entry per global configuration resource (the built-in Build one, then the plugin's
// console.global-config entries).
import type { FC } from 'react';
import { Link } from 'react-router';
import { Card, CardBody, CardTitle, Content, PageSection, Title } from '@patternfly/react-core';
import { useExtensions } from '@openshift/dynamic-plugin-sdk';
import { resourcePath } from '../../sdk/components';
import { modelRegistry } from '../../sdk/models';
import { isGlobalConfig } from '../extension-types';

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
