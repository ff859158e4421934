// A project's overview, as far as plugins take part in it: the console's project details page
// lists `console.project-overview/inventory-item` components, each given the project's name.
import type { FC } from 'react';
import { Card, CardBody, CardTitle, Stack, StackItem } from '@patternfly/react-core';
import { useResolvedExtensions } from '@openshift/dynamic-plugin-sdk';
import { isInventoryItem } from '../extension-types';

/** Whether a details page is a project's (or its namespace's): the overview shows there. */
export const isProjectKind = (kind: string): boolean => kind === 'Project' || kind === 'Namespace';

export const ProjectInventory: FC<{ projectName: string }> = ({ projectName }) => {
  const [items] = useResolvedExtensions(isInventoryItem);
  if (items.length === 0) return null;
  return (
    <Card isPlain data-test-id="project-inventory">
      <CardTitle component="h2">Inventory</CardTitle>
      <CardBody>
        <Stack hasGutter>
          {items.map(({ uid, properties: { component: C } }) => (
            <StackItem key={uid}>
              <C projectName={projectName} />
            </StackItem>
          ))}
        </Stack>
      </CardBody>
    </Card>
  );
};
