// CustomResourceDefinitions: creating one makes its resources appear in discovery and be served,
// deleting one removes them and their objects, as on a real cluster.
import type { Api } from './api';
import { invalid } from './errors';
import type { KubeObject, ResourceDef } from './types';

export const CRD_KEY = 'customresourcedefinitions.apiextensions.k8s.io';

interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: {
    plural: string;
    singular?: string;
    kind: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions: {
    name: string;
    served: boolean;
    storage: boolean;
    subresources?: { status?: object };
    additionalPrinterColumns?: {
      name: string;
      type: string;
      jsonPath: string;
      description?: string;
      priority?: number;
      format?: string;
    }[];
  }[];
}

export function crdToDefs(crd: KubeObject): ResourceDef[] {
  const spec = crd.spec as CrdSpec;
  // The storage version first: the registry treats the first def of a key as the stored one.
  const versions = [...spec.versions].sort((a, b) => Number(b.storage) - Number(a.storage));
  return versions
    .filter((v) => v.served)
    .map((v) => ({
      group: spec.group,
      version: v.name,
      resource: spec.names.plural,
      kind: spec.names.kind,
      singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
      namespaced: spec.scope === 'Namespaced',
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      ...(spec.names.shortNames ? { shortNames: spec.names.shortNames } : {}),
      ...(spec.names.categories ? { categories: spec.names.categories } : {}),
      ...(v.subresources?.status ? { subresources: ['status'], statusSubresource: true } : {}),
      custom: true,
      ...(v.additionalPrinterColumns
        ? {
            columns: [
              {
                name: 'Name',
                type: 'string',
                format: 'name',
                value: (o: KubeObject) => o.metadata.name,
              },
              ...v.additionalPrinterColumns
                .filter((c) => c.jsonPath !== '.metadata.creationTimestamp')
                .map((c) => ({
                  name: c.name,
                  type: c.type,
                  ...(c.format ? { format: c.format } : {}),
                  ...(c.description ? { description: c.description } : {}),
                  ...(c.priority ? { priority: c.priority } : {}),
                  value: c.jsonPath,
                })),
            ],
          }
        : {}),
    }));
}

function validate(crd: KubeObject): void {
  const spec = crd.spec as Partial<CrdSpec> | undefined;
  const name = crd.metadata.name ?? '';
  const causes: { field: string; message: string }[] = [];
  if (!spec?.group) causes.push({ field: 'spec.group', message: 'Required value' });
  if (!spec?.names?.plural || !spec.names.kind)
    causes.push({ field: 'spec.names', message: 'Required value: plural and kind' });
  if (!spec?.versions?.length) causes.push({ field: 'spec.versions', message: 'Required value' });
  else if (spec.versions.filter((v) => v.storage).length !== 1) {
    causes.push({
      field: 'spec.versions',
      message: 'Invalid value: must have exactly one version marked as storage version',
    });
  }
  if (spec?.group && spec.names?.plural && name !== `${spec.names.plural}.${spec.group}`) {
    causes.push({
      field: 'metadata.name',
      message: `Invalid value: "${name}": must be spec.names.plural+"."+spec.group`,
    });
  }
  if (spec?.scope !== 'Namespaced' && spec?.scope !== 'Cluster') {
    causes.push({
      field: 'spec.scope',
      message: 'Unsupported value: supported values: "Cluster", "Namespaced"',
    });
  }
  if (causes.length)
    throw invalid('CustomResourceDefinition', name, causes, 'apiextensions.k8s.io');
}

function established(crd: KubeObject): void {
  const spec = crd.spec as CrdSpec;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const cond = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  crd.status = {
    acceptedNames: spec.names,
    storedVersions: spec.versions.filter((v) => v.storage).map((v) => v.name),
    conditions: [
      cond('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      cond('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
  };
}

export function installCrdHooks(api: Api): void {
  const register = (crd: KubeObject) => {
    const spec = crd.spec as CrdSpec;
    api.registry.remove(spec.group, spec.names.plural);
    api.registry.add(crdToDefs(crd));
  };
  api.hooks.set(CRD_KEY, {
    prepareCreate: (crd) => {
      validate(crd);
      established(crd);
    },
    prepareUpdate: (crd, old) => {
      validate(crd);
      crd.status = old.status;
    },
    afterCreate: register,
    afterUpdate: register,
    afterDelete: (crd) => {
      const spec = crd.spec as CrdSpec;
      const def = api.registry
        .all()
        .find((d) => d.group === spec.group && d.resource === spec.names.plural);
      if (def)
        for (const o of [...api.store.list(`${spec.names.plural}.${spec.group}`)])
          api.removeNow(def, o, false);
      api.registry.remove(spec.group, spec.names.plural);
    },
  });
}

/** Re-registers every stored CRD, after loading state from disk. */
export function registerStoredCrds(api: Api): void {
  for (const crd of api.store.list(CRD_KEY)) api.registry.add(crdToDefs(crd));
}
