// Shapes shared across the emulator. Objects are kept as plain JSON: the emulator serves whatever
// a client stores, like etcd behind a real API server.
import type { ObjectMeta } from '@userns-builds/core';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta & {
    deletionTimestamp?: string;
    finalizers?: string[];
    [extra: string]: unknown;
  };
  [field: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface UserInfo {
  username: string;
  uid: string;
  groups: string[];
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  /** A `.a.b[0].c` path (CRD additionalPrinterColumns) or a function of the object. */
  value: string | ((obj: KubeObject) => unknown);
}

export interface ResourceDef {
  group: string;
  version: string;
  /** Plural, the path segment. */
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** Subresources served besides the main resource, e.g. `status`, `log`, `instantiate`. */
  subresources?: string[];
  /** With a status subresource, the main resource ignores status writes and vice versa. */
  statusSubresource?: boolean;
  /** Served by code, not stored (access reviews, projects). */
  virtual?: boolean;
  /** Defined by a CustomResourceDefinition: strategic merge patch is refused, as a real server does. */
  custom?: boolean;
  /** Field selectors beyond metadata.name/metadata.namespace. */
  fieldSelectors?: Record<string, (obj: KubeObject) => string | undefined>;
  columns?: PrinterColumn[];
}

/** The storage key of a resource, `builds.build.openshift.io`: also how messages name it. */
export function storageKey(def: Pick<ResourceDef, 'resource' | 'group'>): string {
  return def.group ? `${def.resource}.${def.group}` : def.resource;
}

export function apiVersionOf(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}
