// What the next build of a BuildConfig will run as: the build pod as OpenShift's build controller
// makes it for the BuildConfig's strategy and BUILD_PRIVILEGED, then core's planPodMutation (the
// admission webhook's own function) over it, shown as a readable line diff. Pure.
import {
  BUILD_NAME_ANNOTATION,
  BUILD_NAME_LABEL,
  EXTRACT_IMAGE_CONTENT_CONTAINER,
  USERNS_POD_ANNOTATIONS,
  parseBuildPrivileged,
  planPodMutation,
  unprivilegedSecurityContext,
} from '@userns-builds/core';
import type {
  BuildConfig,
  Container,
  EffectivePolicy,
  MutationPlan,
  PatchOperation,
  Pod,
  SecurityContext,
  StringMap,
} from '@userns-builds/core';
import { strategyTarget } from './buildconfig-toggle';
import type { BuildConfigLike } from './buildconfig-toggle';

const BUILD_CONTAINER: Readonly<
  Record<'dockerStrategy' | 'sourceStrategy' | 'customStrategy', string>
> = {
  dockerStrategy: 'docker-build',
  sourceStrategy: 'sti-build',
  customStrategy: 'custom-build',
};

/** The build container context OpenShift sets when BUILD_PRIVILEGED is unset or true. */
const privilegedContext = (): SecurityContext => ({
  privileged: true,
  runAsUser: 0,
  runAsGroup: 0,
  seccompProfile: { type: 'Unconfined' },
});

/** Whether OpenShift itself makes this BuildConfig's build pod unprivileged (BUILD_PRIVILEGED=false). */
export function openShiftUnprivileged(bc: BuildConfigLike): boolean {
  const target = strategyTarget(bc);
  return target.ok && parseBuildPrivileged(target.env) === false;
}

/**
 * The security-relevant parts of the next build pod as the build controller makes it: the build
 * container (and image extraction, which gets the same context), the BUILD_PRIVILEGED=false
 * annotations, the build label. Undefined for a strategy without a build container here.
 */
export function nextBuildPod(bc: BuildConfigLike): Pod | undefined {
  const target = strategyTarget(bc);
  if (!target.ok) return undefined;
  const name = bc.metadata?.name ?? 'build';
  const version = (bc as Pick<BuildConfig, 'status'>).status?.lastVersion ?? 0;
  const buildName = `${name}-${version + 1}`;
  const unprivileged = openShiftUnprivileged(bc);
  const context = () => (unprivileged ? unprivilegedSecurityContext() : privilegedContext());
  const annotations: StringMap = { [BUILD_NAME_ANNOTATION]: buildName };
  if (unprivileged) Object.assign(annotations, USERNS_POD_ANNOTATIONS);
  const containers: Container[] = [
    { name: BUILD_CONTAINER[target.key], securityContext: context() },
  ];
  const images = bc.spec?.source?.images;
  const initContainers: Container[] =
    Array.isArray(images) && images.length > 0 && target.key !== 'customStrategy'
      ? [{ name: EXTRACT_IMAGE_CONTENT_CONTAINER, securityContext: context() }]
      : [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${buildName}-build`,
      namespace: bc.metadata?.namespace,
      labels: { [BUILD_NAME_LABEL]: buildName },
      annotations,
    },
    spec: { containers, ...(initContainers.length ? { initContainers } : {}) },
  };
}

export interface DiffLine {
  sign: '+' | '-' | ' ';
  text: string;
}

export interface DiffSection {
  /** e.g. `containers[docker-build].securityContext`, `metadata.annotations`, `spec`. */
  title: string;
  lines: DiffLine[];
}

const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

function pointerGet(root: unknown, path: string): unknown {
  return path
    .split('/')
    .slice(1)
    .map(unescape)
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      root,
    );
}

/** Nested objects as `a.b: <json>` lines; arrays and scalars stay whole. */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) return [[prefix, '{}']];
    return entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return value === undefined ? [] : [[prefix, JSON.stringify(value)]];
}

function lineDiff(before: [string, string][], after: [string, string][]): DiffLine[] {
  const old = new Map(before);
  const next = new Map(after);
  const keys = [...new Set([...old.keys(), ...next.keys()])];
  return keys.flatMap((key): DiffLine[] => {
    const a = old.get(key);
    const b = next.get(key);
    if (a === b) return [{ sign: ' ', text: `${key}: ${a}` }];
    return [
      ...(a === undefined ? [] : [{ sign: '-' as const, text: `${key}: ${a}` }]),
      ...(b === undefined ? [] : [{ sign: '+' as const, text: `${key}: ${b}` }]),
    ];
  });
}

const CONTAINER_PATH = /^\/spec\/(containers|initContainers)\/(\d+)\/securityContext$/;
const ANNOTATION_PATH = /^\/metadata\/annotations\/(.+)$/;

/**
 * The plan's operations as one section per thing they change. Annotations and other scalars show
 * only what changes; a replaced security context shows in full, so the reader sees what stays.
 */
export function podChangeDiff(pod: Pod, operations: readonly PatchOperation[]): DiffSection[] {
  const sections = new Map<string, { before: [string, string][]; after: [string, string][] }>();
  const section = (title: string) => {
    let s = sections.get(title);
    if (!s) sections.set(title, (s = { before: [], after: [] }));
    return s;
  };
  for (const op of operations) {
    const value = op.op === 'remove' ? undefined : op.value;
    const container = CONTAINER_PATH.exec(op.path);
    if (container) {
      const list = container[1] as 'containers' | 'initContainers';
      const name = pod.spec[list]?.[Number(container[2])]?.name ?? container[2];
      const s = section(`${list}[${name}].securityContext`);
      s.before.push(...flatten(pointerGet(pod, op.path)));
      s.after.push(...flatten(value));
      continue;
    }
    const annotation = ANNOTATION_PATH.exec(op.path);
    const whole = op.path === '/metadata/annotations';
    if (annotation || whole) {
      const s = section('metadata.annotations');
      const values: Record<string, unknown> = annotation
        ? { [unescape(annotation[1] ?? '')]: value }
        : ((value as Record<string, unknown> | undefined) ?? {});
      for (const [key, v] of Object.entries(values)) {
        const old = pod.metadata.annotations?.[key];
        if (old !== undefined) s.before.push([key, JSON.stringify(old)]);
        if (v !== undefined) s.after.push([key, JSON.stringify(v)]);
      }
      continue;
    }
    const parent = op.path.slice(0, op.path.lastIndexOf('/'));
    const key = unescape(op.path.slice(op.path.lastIndexOf('/') + 1));
    const s = section(parent.replace(/^\//, '').replace(/\//g, '.') || '(root)');
    const old = pointerGet(pod, op.path);
    if (old !== undefined) s.before.push([key, JSON.stringify(old)]);
    if (value !== undefined) s.after.push([key, JSON.stringify(value)]);
  }
  return [...sections].map(([title, { before, after }]) => ({
    title,
    lines: lineDiff(before, after),
  }));
}

export interface PodPreview {
  /** The pod as OpenShift makes it, before admission. */
  pod: Pod;
  /** Whether that pod is already unprivileged (the BuildConfig sets BUILD_PRIVILEGED=false). */
  openShiftUnprivileged: boolean;
  plan: MutationPlan;
  diff: DiffSection[];
}

/**
 * The next build of `bc` under `policy` (undefined: no BuildPolicy). `bc` is the BuildConfig as it
 * will be saved, with its annotations (passthrough reads them). Undefined when the strategy has
 * no build pod to preview.
 */
export function podPreview(
  policy: EffectivePolicy | undefined,
  bc: BuildConfigLike,
): PodPreview | undefined {
  const pod = nextBuildPod(bc);
  if (!pod) return undefined;
  const plan = planPodMutation({
    policy,
    pod,
    namespace: bc.metadata?.namespace ?? '',
    build: {
      metadata: { name: pod.metadata.labels?.[BUILD_NAME_LABEL], annotations: {} },
      spec: bc.spec as BuildConfig['spec'],
    },
    buildMeta: { annotations: {} },
    buildConfigMeta: { annotations: bc.metadata?.annotations ?? {} },
  });
  return {
    pod,
    openShiftUnprivileged: openShiftUnprivileged(bc),
    plan,
    diff: podChangeDiff(pod, plan.operations),
  };
}
