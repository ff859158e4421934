// The editor's only writes: a full update (PUT, carrying the resourceVersion that was read, so a
// concurrent change is a 409 rather than a silent overwrite) and a create.
import { useMemo } from 'react';
import { k8sCreate, k8sUpdate } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';

export interface ResourceWriter {
  update(model: K8sModel, data: K8sResourceCommon): Promise<K8sResourceCommon>;
  create(model: K8sModel, data: K8sResourceCommon): Promise<K8sResourceCommon>;
}

export function useResourceWriter(): ResourceWriter {
  return useMemo(
    () => ({
      update: (model, data) => k8sUpdate({ model, data }),
      create: (model, data) => k8sCreate({ model, data }) as Promise<K8sResourceCommon>,
    }),
    [],
  );
}
