import { buildFromPod, getsBuildSecurityContext } from './build-pod';
import { builderLogLevelOperations } from './builder-log-level';
import {
  CRIO_BUILDER_ANNOTATION,
  CRIO_DEVICES_ANNOTATION,
  CRIO_DEVICES_VALUE,
  CRIO_USERNS_ANNOTATION,
  CRIO_USERNS_VALUE,
  DECISION_ANNOTATION,
  DECISION_SOURCE_ANNOTATION,
} from './constants';
import { decide } from './decision';
import type { Decision } from './decision';
import { escapePointer } from './names';
import { ISOLATION, selectPassthrough } from './passthrough';
import type {
  Build,
  DroppedAnnotation,
  EffectivePolicy,
  ObjectMeta,
  PatchOperation,
  Pod,
  SecurityContext,
  StringMap,
} from './types';
import { crioAnnotationHazard, unsafeCrioAnnotations } from './userns-mode';

export { buildFromPod } from './build-pod';

export interface PlanInput {
  policy: EffectivePolicy | undefined;
  pod: Pod;
  /** Namespace of the request (the pod's metadata.namespace may be empty at admission). */
  namespace: string;
  /** The Build as decoded from the pod's BUILD env var, or as read from the cluster. */
  build?: Build | undefined;
  /** Annotations of the Build and BuildConfig, for passthrough (metadata-only caches). */
  buildMeta?: Pick<ObjectMeta, 'annotations'> | undefined;
  buildConfigMeta?: Pick<ObjectMeta, 'annotations'> | undefined;
}

export interface MutationPlan {
  decision: Decision;
  /** Empty when the pod already has the planned shape, or is not a build pod. */
  operations: PatchOperation[];
  /** Set when the decision is user namespaces but the pod cannot take them in this mode. */
  blocked?: { reason: string } | undefined;
  dropped: DroppedAnnotation[];
  /** Short notes for AdmissionReview warnings. */
  warnings: string[];
}

/** The build container security context OpenShift itself sets for BUILD_PRIVILEGED=false. */
export function unprivilegedSecurityContext(): SecurityContext {
  return {
    privileged: false,
    seccompProfile: { type: 'Unconfined' },
    capabilities: { add: ['CAP_SETFCAP'], drop: ['CAP_KILL', 'CAP_MKNOD'] },
  };
}

/** The pod annotations OpenShift itself sets for BUILD_PRIVILEGED=false. */
export const USERNS_POD_ANNOTATIONS: Readonly<StringMap> = {
  [CRIO_BUILDER_ANNOTATION]: '',
  [CRIO_USERNS_ANNOTATION]: CRIO_USERNS_VALUE,
  [CRIO_DEVICES_ANNOTATION]: CRIO_DEVICES_VALUE,
};

const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

export function planPodMutation(input: PlanInput): MutationPlan {
  const { policy, pod } = input;
  const build = input.build ?? buildFromPod(pod);
  const decision = decide({ policy, namespace: input.namespace, build, pod });
  const plan: MutationPlan = { decision, operations: [], dropped: [], warnings: [] };
  // Only a build pod under a policy that applies to it is ours to change.
  if (!policy || !['Override', 'Build', 'Default'].includes(decision.source)) return plan;

  const mode = policy.userNamespaces.mode;
  const blocked = decision.userNamespaces ? hostNamespaceBlock(pod, mode) : undefined;
  if (blocked) plan.blocked = { reason: blocked };
  const userns = decision.userNamespaces && !blocked;

  if (userns) {
    plan.operations.push(...securityContextOperations(pod));
    if (mode !== 'CRIOAnnotation' && pod.spec.hostUsers !== false) {
      const op = 'hostUsers' in pod.spec ? 'replace' : 'add';
      plan.operations.push({ op, path: '/spec/hostUsers', value: false });
    }
  }
  if (policy.runtimeEvidence === 'Enabled') {
    plan.operations.push(...builderLogLevelOperations(pod, build));
  }

  const shape = userns && mode !== 'HostUsers';
  // The policy's maps go through the same safety rules as everything else: validation refuses
  // unsafe values, but a preview of an unsaved draft, or a policy from elsewhere, may still have one.
  const defaults = safeEntries(policy.buildDefaults.annotations, 'buildDefaults', plan.dropped);
  const overrides = safeEntries(policy.buildOverrides.annotations, 'buildOverrides', plan.dropped);
  const layers = new AnnotationLayers(pod.metadata?.annotations);
  // CRI-O honours userns-mode and Devices only next to io.openshift.builder. Wherever the patched
  // pod will carry it, the pod's own values count for no more than a passthrough one: an unsafe
  // value is taken out here and replaced below, so the pod ends with the policy's value.
  const builder =
    layers.final.has(CRIO_BUILDER_ANNOTATION) ||
    shape ||
    defaults.some(([key]) => key === CRIO_BUILDER_ANNOTATION) ||
    overrides.some(([key]) => key === CRIO_BUILDER_ANNOTATION);
  const replaced = builder ? layers.evictUnsafe() : [];
  plan.dropped.push(...replaced);
  if (shape) {
    // The shape OpenShift makes is the base layer: policy defaults then only fill real gaps.
    for (const [key, value] of Object.entries(USERNS_POD_ANNOTATIONS))
      layers.setIfAbsent(key, value, 'shape');
  }
  for (const [key, value] of defaults) layers.setIfAbsent(key, value, 'buildDefaults');
  const passthrough = selectPassthrough(
    policy.passthroughAnnotations,
    input.buildMeta ?? build?.metadata,
    input.buildConfigMeta,
  );
  plan.dropped.push(...passthrough.dropped);
  for (const [key, value] of passthrough.annotations) layers.set(key, value, 'passthrough');
  for (const [key, value] of overrides) layers.set(key, value, 'buildOverrides');
  // A replaced value no layer filled again gets the one OpenShift itself uses.
  for (const { key } of replaced)
    layers.setIfAbsent(key, USERNS_POD_ANNOTATIONS[key] ?? '', 'shape');
  layers.set(DECISION_ANNOTATION, String(userns), 'stamp');
  layers.set(DECISION_SOURCE_ANNOTATION, decision.source, 'stamp');

  plan.operations.push(...layers.operations());
  plan.warnings.push(...plan.dropped.map(droppedWarning), ...usernsModeWarnings(layers));
  return plan;
}

/** A policy annotation map without the entries that would widen what a build pod gets. */
function safeEntries(
  map: StringMap,
  from: 'buildDefaults' | 'buildOverrides',
  dropped: DroppedAnnotation[],
): [string, string][] {
  const entries: [string, string][] = [];
  for (const [key, value] of Object.entries(map)) {
    const hazard = crioAnnotationHazard(key, value);
    if (hazard === undefined) entries.push([key, value]);
    else dropped.push({ key, value: String(value), from, reason: `${hazard}; ${ISOLATION}` });
  }
  return entries;
}

// The API server truncates long warnings, so these lead with where the value came from.
function droppedWarning(d: DroppedAnnotation): string {
  switch (d.from) {
    case 'Pod':
      return `Replaced the pod's own ${d.key}: ${d.reason}.`;
    case 'buildDefaults':
    case 'buildOverrides':
      return `Ignored spec.${d.from} annotation ${d.key}: ${d.reason}.`;
    default:
      return `Dropped ${d.from} annotation ${d.key}: ${d.reason}.`;
  }
}

/** Kubernetes rejects hostUsers: false next to any host namespace, so say so instead. */
function hostNamespaceBlock(
  pod: Pod,
  mode: EffectivePolicy['userNamespaces']['mode'],
): string | undefined {
  if (mode === 'CRIOAnnotation') return undefined;
  const shared = HOST_NAMESPACE_FIELDS.filter((field) => pod.spec[field] === true);
  if (shared.length === 0) return undefined;
  const fields = shared.map((f) => `spec.${f}`).join(', ');
  return `The pod sets ${fields}: true, which Kubernetes does not allow together with spec.hostUsers: false (mode ${mode}); the pod is left privileged rather than broken.`;
}

/**
 * Only a privileged context gets OpenShift's unprivileged one: for a container that already runs
 * unprivileged, that shape (seccomp Unconfined, CAP_SETFCAP) would widen what it has.
 */
function securityContextOperations(pod: Pod): PatchOperation[] {
  const operations: PatchOperation[] = [];
  const lists = [
    ['containers', pod.spec.containers],
    ['initContainers', pod.spec.initContainers],
  ] as const;
  for (const [field, list] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((container, index) => {
      if (typeof container?.name !== 'string' || !getsBuildSecurityContext(container.name)) return;
      if (container.securityContext?.privileged !== true) return;
      const value = unprivilegedSecurityContext();
      operations.push({ op: 'replace', path: `/spec/${field}/${index}/securityContext`, value });
    });
  }
  return operations;
}

type Layer = 'shape' | 'buildDefaults' | 'passthrough' | 'buildOverrides' | 'stamp';

/** The pod's annotations with the policy's layers stacked on top, remembering who set what. */
class AnnotationLayers {
  private readonly current: StringMap | undefined;
  readonly final = new Map<string, { value: string; layer: Layer | 'pod' }>();
  private readonly written = new Set<string>();

  constructor(annotations: unknown) {
    this.current =
      typeof annotations === 'object' && annotations !== null && !Array.isArray(annotations)
        ? (annotations as StringMap)
        : undefined;
    for (const [key, value] of Object.entries(this.current ?? {})) {
      this.final.set(key, { value, layer: 'pod' });
    }
  }

  set(key: string, value: string, layer: Layer): void {
    this.final.set(key, { value, layer });
    this.written.add(key);
  }

  setIfAbsent(key: string, value: string, layer: Layer): void {
    if (!this.final.has(key)) this.set(key, value, layer);
  }

  /** Takes the pod's own unsafe CRI-O values out, so the layers above it decide them. */
  evictUnsafe(): DroppedAnnotation[] {
    return unsafeCrioAnnotations(this.current).map(({ key, value, reason }) => {
      this.final.delete(key);
      return { key, value, from: 'Pod', reason: `${reason}; ${ISOLATION}` };
    });
  }

  operations(): PatchOperation[] {
    const current = this.current;
    const changed = [...this.written].filter(
      (key) => !(current && hasOwn(current, key) && current[key] === this.final.get(key)?.value),
    );
    if (changed.length === 0) return [];
    const values = Object.fromEntries(changed.map((key) => [key, this.final.get(key)?.value]));
    // Without an annotations object a per-key add has no parent, so add the object whole.
    if (!current) return [{ op: 'add', path: '/metadata/annotations', value: values }];
    return changed.map((key) => {
      const path = `/metadata/annotations/${escapePointer(key)}`;
      const value = values[key];
      return hasOwn(current, key) ? { op: 'replace', path, value } : { op: 'add', path, value };
    });
  }
}

// The API server truncates long warnings, so these lead with the field and the key.
function usernsModeWarnings(layers: AnnotationLayers): string[] {
  const entry = layers.final.get(CRIO_USERNS_ANNOTATION);
  if (!entry || (entry.layer !== 'buildDefaults' && entry.layer !== 'buildOverrides')) return [];
  if (layers.final.has(CRIO_BUILDER_ANNOTATION)) return [];
  return [
    `spec.${entry.layer} sets ${CRIO_USERNS_ANNOTATION}, but CRI-O ignores it without ${CRIO_BUILDER_ANNOTATION}.`,
  ];
}

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}
