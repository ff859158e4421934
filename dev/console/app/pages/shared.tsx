// What several built-in pages share: the model a /k8s/... URL names, the 404 body, and the Build
// fields the lists and details pages show.
import type { FC } from 'react';
import { useParams } from 'react-router';
import { PageSection, Title } from '@patternfly/react-core';
import type { K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { modelRegistry } from '../../sdk/models';

/** The model, namespace and name of a /k8s/ns/:ns/:plural/:name route (plural is a URL segment). */
export const useModelFromParams = () => {
  const { plural = '', ns, name } = useParams();
  return { model: modelRegistry.findByUrlSegment(plural), ns, name, plural };
};

export const NotFound: FC<{ what: string }> = ({ what }) => (
  <PageSection>
    <Title headingLevel="h1">404: {what} not found</Title>
  </PageSection>
);

export type BuildLike = K8sResourceCommon & {
  spec?: { strategy?: { type?: string } };
  status?: { phase?: string; config?: { name?: string } };
};

/** A watch's load error as text: an Error's message, anything else as it prints. */
export const loadErrorText = (e: unknown): string => String((e as Error)?.message ?? e);
