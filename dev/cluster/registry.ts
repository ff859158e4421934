// Which resources the emulator serves. Built-ins are fixed; CRDs add and remove entries at run
// time, which is what makes discovery change under kubectl's feet just like on a real cluster.
import type { KubeObject, PrinterColumn, ResourceDef } from './types';
import { storageKey } from './types';
import { STORED_KINDS } from './stored-kinds';

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const at = (obj: KubeObject, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
    obj,
  );
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function buildFrom(obj: KubeObject): string {
  const src = at(obj, 'spec', 'source') as
    { type?: string; git?: { uri?: string; ref?: string } } | undefined;
  if (src?.git?.uri) return `Git${src.git.ref ? `@${src.git.ref}` : ''}`;
  return src?.type ?? '';
}

const buildColumns: PrinterColumn[] = [
  { name: 'Name', type: 'string', format: 'name', value: (o) => o.metadata.name },
  { name: 'Type', type: 'string', value: (o) => at(o, 'spec', 'strategy', 'type') },
  { name: 'From', type: 'string', value: buildFrom },
  { name: 'Status', type: 'string', value: (o) => at(o, 'status', 'phase') },
  { name: 'Started', type: 'date', value: (o) => at(o, 'status', 'startTimestamp') },
  {
    name: 'Duration',
    type: 'string',
    value: (o) => {
      const ns = at(o, 'status', 'duration');
      return typeof ns === 'number' ? `${Math.round(ns / 1e9)}s` : '';
    },
  },
];

export const BUILTINS: ResourceDef[] = [
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    singular: 'namespace',
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
    subresources: ['status'],
    statusSubresource: true,
    fieldSelectors: { 'status.phase': (o) => str(at(o, 'status', 'phase')) },
    columns: [
      { name: 'Name', type: 'string', format: 'name', value: (o) => o.metadata.name },
      { name: 'Status', type: 'string', value: (o) => at(o, 'status', 'phase') },
    ],
  },
  {
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    singular: 'pod',
    namespaced: true,
    verbs: ALL,
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'log'],
    statusSubresource: true,
    fieldSelectors: {
      'status.phase': (o) => str(at(o, 'status', 'phase')),
      'spec.nodeName': (o) => str(at(o, 'spec', 'nodeName')) ?? '',
      'spec.serviceAccountName': (o) => str(at(o, 'spec', 'serviceAccountName')),
    },
    columns: [
      { name: 'Name', type: 'string', format: 'name', value: (o) => o.metadata.name },
      {
        name: 'Ready',
        type: 'string',
        value: (o) => {
          const total = ((at(o, 'spec', 'containers') as unknown[]) ?? []).length;
          const ready = at(o, 'status', 'phase') === 'Running' ? total : 0;
          return `${ready}/${total}`;
        },
      },
      {
        name: 'Status',
        type: 'string',
        value: (o) =>
          at(o, 'status', 'phase') === 'Succeeded' ? 'Completed' : at(o, 'status', 'phase'),
      },
      { name: 'Restarts', type: 'integer', value: () => 0 },
    ],
  },
  {
    group: '',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    singular: 'event',
    namespaced: true,
    verbs: ALL,
    shortNames: ['ev'],
    fieldSelectors: Object.fromEntries(
      ['kind', 'name', 'namespace', 'uid', 'apiVersion'].map((f) => [
        `involvedObject.${f}`,
        (o: KubeObject) => str(at(o, 'involvedObject', f)) ?? '',
      ]),
    ),
  },
  {
    group: 'build.openshift.io',
    version: 'v1',
    resource: 'builds',
    kind: 'Build',
    singular: 'build',
    namespaced: true,
    verbs: ALL,
    categories: ['all'],
    subresources: ['log', 'details', 'clone'],
    fieldSelectors: {
      status: (o) => str(at(o, 'status', 'phase')),
      podName: (o) => o.metadata.annotations?.['openshift.io/build.pod-name'],
    },
    columns: buildColumns,
  },
  {
    group: 'build.openshift.io',
    version: 'v1',
    resource: 'buildconfigs',
    kind: 'BuildConfig',
    singular: 'buildconfig',
    namespaced: true,
    verbs: ALL,
    shortNames: ['bc'],
    categories: ['all'],
    subresources: ['instantiate'],
    columns: [
      { name: 'Name', type: 'string', format: 'name', value: (o) => o.metadata.name },
      { name: 'Type', type: 'string', value: (o) => at(o, 'spec', 'strategy', 'type') },
      { name: 'From', type: 'string', value: buildFrom },
      { name: 'Latest', type: 'integer', value: (o) => at(o, 'status', 'lastVersion') ?? 0 },
    ],
  },
  {
    group: 'config.openshift.io',
    version: 'v1',
    resource: 'builds',
    kind: 'Build',
    singular: 'build',
    namespaced: false,
    verbs: ALL,
    subresources: ['status'],
    statusSubresource: true,
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    singular: 'customresourcedefinition',
    namespaced: false,
    verbs: ALL,
    shortNames: ['crd', 'crds'],
    subresources: ['status'],
    statusSubresource: true,
  },
  {
    group: 'project.openshift.io',
    version: 'v1',
    resource: 'projects',
    kind: 'Project',
    singular: 'project',
    namespaced: false,
    verbs: ['delete', 'get', 'list', 'watch'],
    virtual: true,
    columns: [
      { name: 'Name', type: 'string', format: 'name', value: (o) => o.metadata.name },
      {
        name: 'Display Name',
        type: 'string',
        value: (o) => o.metadata.annotations?.['openshift.io/display-name'] ?? '',
      },
      { name: 'Status', type: 'string', value: (o) => at(o, 'status', 'phase') },
    ],
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    resource: 'leases',
    kind: 'Lease',
    singular: 'lease',
    namespaced: true,
    verbs: ALL,
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'mutatingwebhookconfigurations',
    kind: 'MutatingWebhookConfiguration',
    singular: 'mutatingwebhookconfiguration',
    namespaced: false,
    verbs: ALL,
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'validatingadmissionpolicies',
    kind: 'ValidatingAdmissionPolicy',
    singular: 'validatingadmissionpolicy',
    namespaced: false,
    verbs: ALL,
    subresources: ['status'],
    statusSubresource: true,
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'validatingadmissionpolicybindings',
    kind: 'ValidatingAdmissionPolicyBinding',
    singular: 'validatingadmissionpolicybinding',
    namespaced: false,
    verbs: ALL,
  },
  ...(
    [
      ['authorization.k8s.io', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview'],
      ['authorization.k8s.io', 'subjectaccessreviews', 'SubjectAccessReview'],
      ['authorization.k8s.io', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview'],
      ['authentication.k8s.io', 'tokenreviews', 'TokenReview'],
      ['authentication.k8s.io', 'selfsubjectreviews', 'SelfSubjectReview'],
    ] as const
  ).map(([group, resource, kind]): ResourceDef => ({
    group,
    version: 'v1',
    resource,
    kind,
    singular: kind.toLowerCase(),
    namespaced: false,
    verbs: ['create'],
    virtual: true,
  })),
  ...STORED_KINDS,
];

export class Registry {
  private readonly defs: ResourceDef[] = [...BUILTINS];

  all(): readonly ResourceDef[] {
    return this.defs;
  }

  find(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.defs.find(
      (d) => d.group === group && d.version === version && d.resource === resource,
    );
  }

  /** By storage key; any served version will do (versions share storage). */
  byKey(key: string): ResourceDef | undefined {
    return this.defs.find((d) => storageKey(d) === key);
  }

  add(defs: ResourceDef[]): void {
    for (const def of defs) {
      this.remove(def.group, def.resource, def.version);
      this.defs.push(def);
    }
  }

  remove(group: string, resource: string, version?: string): void {
    for (let i = this.defs.length - 1; i >= 0; i--) {
      const d = this.defs[i]!;
      if (
        d.group === group &&
        d.resource === resource &&
        (version === undefined || d.version === version)
      ) {
        this.defs.splice(i, 1);
      }
    }
  }
}
