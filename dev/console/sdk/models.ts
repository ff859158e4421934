// The shell's model registry. The console learns models from API discovery; so does the shell
// (see discoverModels), with a static seed so the pages it owns work before discovery finishes.
import type { K8sGroupVersionKind, K8sModel } from '@openshift-console/dynamic-plugin-sdk';

const model = (m: Omit<K8sModel, 'labelPlural' | 'abbr'> & Partial<K8sModel>): K8sModel => ({
  labelPlural: `${m.label}s`,
  abbr: m.kind.replace(/[^A-Z]/g, '') || m.kind.slice(0, 2).toUpperCase(),
  ...m,
});

export const NamespaceModel = model({
  kind: 'Namespace',
  label: 'Namespace',
  apiVersion: 'v1',
  plural: 'namespaces',
  abbr: 'NS',
  namespaced: false,
});
export const ProjectModel = model({
  kind: 'Project',
  label: 'Project',
  apiVersion: 'v1',
  apiGroup: 'project.openshift.io',
  plural: 'projects',
  abbr: 'PR',
  namespaced: false,
});
export const PodModel = model({
  kind: 'Pod',
  label: 'Pod',
  apiVersion: 'v1',
  plural: 'pods',
  abbr: 'P',
  namespaced: true,
});
export const EventModel = model({
  kind: 'Event',
  label: 'Event',
  apiVersion: 'v1',
  plural: 'events',
  abbr: 'E',
  namespaced: true,
});
export const BuildConfigModel = model({
  kind: 'BuildConfig',
  label: 'BuildConfig',
  apiVersion: 'v1',
  apiGroup: 'build.openshift.io',
  plural: 'buildconfigs',
  abbr: 'BC',
  namespaced: true,
});
export const BuildModel = model({
  kind: 'Build',
  label: 'Build',
  apiVersion: 'v1',
  apiGroup: 'build.openshift.io',
  plural: 'builds',
  abbr: 'B',
  namespaced: true,
  propagationPolicy: 'Background',
});
export const ClusterBuildConfigModel = model({
  kind: 'Build',
  label: 'Build',
  labelPlural: 'Builds',
  apiVersion: 'v1',
  apiGroup: 'config.openshift.io',
  plural: 'builds',
  abbr: 'B',
  namespaced: false,
  crd: true,
});
export const SelfSubjectAccessReviewModel = model({
  kind: 'SelfSubjectAccessReview',
  label: 'SelfSubjectAccessReview',
  apiVersion: 'v1',
  apiGroup: 'authorization.k8s.io',
  plural: 'selfsubjectaccessreviews',
  abbr: 'SSAR',
  namespaced: false,
});
export const CustomResourceDefinitionModel = model({
  kind: 'CustomResourceDefinition',
  label: 'CustomResourceDefinition',
  apiVersion: 'v1',
  apiGroup: 'apiextensions.k8s.io',
  plural: 'customresourcedefinitions',
  abbr: 'CRD',
  namespaced: false,
});
export const MutatingWebhookConfigurationModel = model({
  kind: 'MutatingWebhookConfiguration',
  label: 'MutatingWebhookConfiguration',
  apiVersion: 'v1',
  apiGroup: 'admissionregistration.k8s.io',
  plural: 'mutatingwebhookconfigurations',
  abbr: 'MWC',
  namespaced: false,
});

const staticModels: K8sModel[] = [
  NamespaceModel,
  ProjectModel,
  PodModel,
  EventModel,
  BuildConfigModel,
  BuildModel,
  ClusterBuildConfigModel,
  SelfSubjectAccessReviewModel,
  CustomResourceDefinitionModel,
  MutatingWebhookConfigurationModel,
];

/** `group~version~kind`, the console's reference format ("core" for the legacy group). */
export const referenceFor = ({ group, version, kind }: K8sGroupVersionKind): string =>
  [group || 'core', version, kind].join('~');

export const referenceForModel = (m: K8sModel): string =>
  referenceFor({ group: m.apiGroup, version: m.apiVersion, kind: m.kind });

export const gvkFromReference = (ref: string): K8sGroupVersionKind | undefined => {
  const parts = ref.split('~');
  if (parts.length !== 3) return undefined;
  const [group, version, kind] = parts as [string, string, string];
  return { group: group === 'core' ? undefined : group, version, kind };
};

type Listener = () => void;

/** Holds every model known so far; components subscribe so discovery re-renders them. */
class ModelRegistry {
  private models = new Map<string, K8sModel>();
  private listeners = new Set<Listener>();
  loaded = false;
  version = 0;

  constructor(seed: K8sModel[]) {
    seed.forEach((m) => this.models.set(referenceForModel(m), m));
  }

  add(models: K8sModel[]): void {
    models.forEach((m) => {
      const ref = referenceForModel(m);
      // Keep the static model's nicer labels; discovery knows verbs and scope for certain.
      const prev = this.models.get(ref);
      this.models.set(ref, prev ? { ...prev, verbs: m.verbs, namespaced: m.namespaced } : m);
    });
    this.version += 1;
    this.listeners.forEach((l) => l());
  }

  markLoaded(): void {
    this.loaded = true;
    this.version += 1;
    this.listeners.forEach((l) => l());
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  all(): Record<string, K8sModel> {
    return Object.fromEntries(this.models);
  }

  /**
   * Finds a model from a reference (`group~version~kind`), a bare kind (the deprecated form the
   * SDK still accepts), or a group/version/kind object.
   */
  find(ref: string | K8sGroupVersionKind | undefined): K8sModel | undefined {
    if (!ref) return undefined;
    if (typeof ref !== 'string') return this.models.get(referenceFor(ref));
    if (ref.includes('~')) return this.models.get(ref);
    // Plain kinds mean the core group first (as in the console), then any group.
    const all = [...this.models.values()].filter((m) => m.kind === ref);
    return all.find((m) => !m.apiGroup) ?? all[0];
  }

  /** Finds by group + kind ignoring version, as extensions' `model` matchers do. */
  findGroupKind(group: string | undefined, kind: string): K8sModel | undefined {
    return [...this.models.values()].find(
      (m) => (m.apiGroup || '') === (group || '') && m.kind === kind,
    );
  }

  /** URL segment for a model, as the console builds it: plural for built-ins, ref for CRDs. */
  findByUrlSegment(segment: string): K8sModel | undefined {
    if (segment.includes('~')) return this.models.get(segment);
    return [...this.models.values()].find((m) => !m.crd && m.plural === segment);
  }
}

export const modelRegistry = new ModelRegistry(staticModels);

type APIResource = {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
};

export const modelsFromResourceList = (
  group: string | undefined,
  version: string,
  resources: APIResource[],
  crdGroups: boolean,
): K8sModel[] =>
  resources
    .filter((r) => !r.name.includes('/'))
    .map((r) =>
      model({
        kind: r.kind,
        label: r.kind,
        apiVersion: version,
        apiGroup: group,
        plural: r.name,
        namespaced: r.namespaced,
        verbs: r.verbs as K8sModel['verbs'],
        shortNames: r.shortNames,
        crd: crdGroups,
      }),
    );

/**
 * Walks /api and /apis like the console's discovery. Groups outside the Kubernetes and OpenShift
 * built-ins are CRDs (the console then links them by reference rather than plural).
 */
export const discoverModels = async (
  fetchJSON: (url: string) => Promise<unknown>,
): Promise<void> => {
  const builtInGroup = (g: string) =>
    !g.includes('.') || g.endsWith('.k8s.io') || g.endsWith('.openshift.io');
  try {
    const core = (await fetchJSON('/api/kubernetes/api/v1')) as { resources?: APIResource[] };
    modelRegistry.add(modelsFromResourceList(undefined, 'v1', core.resources ?? [], false));
    const groups = (await fetchJSON('/api/kubernetes/apis')) as {
      groups?: { name: string; versions: { version: string }[] }[];
    };
    await Promise.all(
      (groups.groups ?? []).flatMap((g) =>
        g.versions.map(async ({ version }) => {
          const list = (await fetchJSON(`/api/kubernetes/apis/${g.name}/${version}`)) as {
            resources?: APIResource[];
          };
          modelRegistry.add(
            modelsFromResourceList(g.name, version, list.resources ?? [], !builtInGroup(g.name)),
          );
        }),
      ),
    );
  } catch (e) {
    // Discovery is best effort: the static models still cover the pages the shell owns.
    console.warn('userns-builds dev console: API discovery failed', e);
  } finally {
    modelRegistry.markLoaded();
  }
};
