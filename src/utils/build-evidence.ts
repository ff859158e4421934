// Whether a Build ran in a user namespace, as the Build details item shows it: the verdict the
// backend recorded on the Build if there is one (it outlives the pod), else core's classifyBuild
// over the build pod and the start of its log. Pure, so every branch is tested without a DOM.
import {
  BUILD_POD_NAME_ANNOTATION,
  DECISION_ANNOTATION,
  DECISION_SOURCE_ANNOTATION,
  builderStartLine,
  classifyBuild,
  isVerdict,
  recordedOnBuild,
} from '@userns-builds/core';
import type { IdMapEntry, Pod, Verdict, VerdictResult } from '@userns-builds/core';
import { errorStatus } from './load-state';
import { errorMessage } from './errors';

/** What the item needs of a Build (the SDK hands it a K8sResourceCommon). */
export interface BuildMeta {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    annotations?: Record<string, string>;
  };
}

export { VERDICTS } from '@userns-builds/core';

/** The builder prints its namespace line among its first lines; this is plenty for it. */
export const LOG_LIMIT_BYTES = 4096;

/** The build pod's name: the Build's own annotation, else OpenShift's `<build>-build`. */
export function buildPodName(build: BuildMeta): string | undefined {
  const annotated = build.metadata?.annotations?.[BUILD_POD_NAME_ANNOTATION];
  if (annotated) return annotated;
  const name = build.metadata?.name;
  return name ? `${name}-build` : undefined;
}

/**
 * The verdict the backend recorded for this Build, if it recorded a valid one. A record a Rebuild
 * copied from the Build it repeats is not this Build's: it is judged live, like an unrecorded one.
 */
export function recordedVerdict(build: BuildMeta): VerdictResult | undefined {
  const recorded = recordedOnBuild(build);
  const verdict = recorded?.verdict;
  if (!isVerdict(verdict)) return undefined;
  return { verdict, evidence: recorded?.evidence ?? '' };
}

/** The first LOG_LIMIT_BYTES of the pod's (default container's) log, through the console. */
export function podLogPath(namespace: string, pod: string): string {
  const ns = encodeURIComponent(namespace);
  return `/api/kubernetes/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod)}/log?limitBytes=${LOG_LIMIT_BYTES}`;
}

/** A Pending pod's containers have not started: the API answers 400 for its log. */
export function podHasLog(phase: string | undefined): boolean {
  return phase === 'Running' || phase === 'Succeeded' || phase === 'Failed';
}

export type LogState =
  /** Not asked for: no pod, or a pod with no log yet. */
  | { state: 'none' }
  | { state: 'loading' }
  | { state: 'loaded'; text: string }
  | { state: 'error'; message: string };

export interface PodWatch {
  data: unknown;
  loaded: boolean;
  error: unknown;
}

export type EvidenceState =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | {
      state: 'verdict';
      verdict: Verdict;
      evidence: string;
      /** recorded: the backend's annotation on the Build; live: judged here from pod and log. */
      source: 'recorded' | 'live';
    };

const isPod = (data: unknown): data is Pod =>
  typeof data === 'object' &&
  data !== null &&
  typeof (data as { metadata?: { name?: unknown } }).metadata?.name === 'string' &&
  typeof (data as { spec?: unknown }).spec === 'object';

const live = (result: VerdictResult): EvidenceState => ({
  state: 'verdict',
  ...result,
  source: 'live',
});

export function classifyBuildEvidence(input: {
  recorded: VerdictResult | undefined;
  pod: PodWatch;
  log: LogState;
}): EvidenceState {
  const { recorded, pod, log } = input;
  if (recorded) return { state: 'verdict', ...recorded, source: 'recorded' };
  if (pod.error) {
    // A pruned pod (404) leaves nothing to judge; anything else is a real failure to show.
    if (errorStatus(pod.error) === 404) return live(classifyBuild({}));
    return { state: 'error', message: errorMessage(pod.error) };
  }
  if (!pod.loaded) return { state: 'loading' };
  if (!isPod(pod.data)) return live(classifyBuild({}));
  switch (log.state) {
    case 'loading':
      return { state: 'loading' };
    case 'loaded':
      return live(classifyBuild({ pod: pod.data, log: log.text }));
    default:
      // No log (yet), or one this user may not read: the pod spec says what was asked for.
      return live(classifyBuild({ pod: pod.data }));
  }
}

export interface VerdictLabelProps {
  status?: 'success' | 'info' | 'warning';
  color?: 'grey';
}

/** The PatternFly Label for a verdict; its text comes from VerdictText (literal t() calls). */
export function verdictLabelProps(verdict: Verdict): VerdictLabelProps {
  switch (verdict) {
    case 'UserNamespaced':
      return { status: 'success' };
    case 'Requested':
      return { status: 'info' };
    case 'Privileged':
      return { status: 'warning' };
    default:
      return { color: 'grey' };
  }
}

/** Everything the Build's User namespace tab shows beside the verdict. */
export interface EvidenceDetails {
  /** Which rule decided, as the webhook stamped it on the pod (absent: not admitted by it). */
  decisionSource: string | undefined;
  /** The webhook's stamp: "true" or "false". */
  decided: string | undefined;
  /** The builder's own start-up line, if the log has one. */
  namespaceLine: string | undefined;
  /** The UID map from that line; empty when it ran in the node's namespace. */
  uidMap: IdMapEntry[];
  node: string | undefined;
  /** The pod while it exists; undefined once it is pruned (or not yet created). */
  podName: string | undefined;
}

/**
 * Pod and log facts behind a verdict, for people to check it themselves. The namespace line and
 * UID map come from core's builderStartLine: only the builder's own start-up line counts, never a
 * look-alike a build step printed.
 */
export function evidenceDetails(pod: unknown, log: LogState): EvidenceDetails {
  const livePod = isPod(pod) ? pod : undefined;
  const annotations = livePod?.metadata.annotations ?? {};
  const start = log.state === 'loaded' ? builderStartLine(log.text) : undefined;
  const node = livePod?.spec.nodeName;
  return {
    decisionSource: annotations[DECISION_SOURCE_ANNOTATION],
    decided: annotations[DECISION_ANNOTATION],
    namespaceLine: start?.line,
    uidMap: start?.kind === 'userns' ? start.uidMap : [],
    node: typeof node === 'string' && node ? node : undefined,
    podName: livePod?.metadata.name,
  };
}
