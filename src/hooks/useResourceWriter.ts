// The editor's only writes (and the read after a conflict): a full update (PUT, carrying the resourceVersion that was read, so a
// concurrent change is a 409 rather than a silent overwrite) and a create.
import { useMemo } from 'react';
import { k8sCreate, k8sGet, k8sUpdate } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';

export interface ResourceWriter {
  /** The server's current version, read after a conflict. */
  get(model: K8sModel, name: string): Promise<K8sResourceCommon>;
  update(model: K8sModel, data: K8sResourceCommon): Promise<K8sResourceCommon>;
  create(model: K8sModel, data: K8sResourceCommon): Promise<K8sResourceCommon>;
}

export function useResourceWriter(): ResourceWriter {
  return useMemo(
    () => ({
      get: (model, name) => k8sGet({ model, name }) as Promise<K8sResourceCommon>,
      update: (model, data) => k8sUpdate({ model, data }),
      create: (model, data) => k8sCreate({ model, data }) as Promise<K8sResourceCommon>,
    }),
    [],
  );
}
