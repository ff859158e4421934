import { containersOf, initContainersOf } from './build-pod';
import { CRIO_BUILDER_ANNOTATION, CRIO_USERNS_ANNOTATION } from './constants';
import type { Pod } from './types';
import { FIRST_SUBORDINATE_ID, usernsModeHazard } from './userns-mode';

export type Verdict = 'UserNamespaced' | 'Requested' | 'Privileged' | 'Unknown';

export interface VerdictEvidence {
  /** The pod as admitted (from the cluster while it exists). */
  pod?: Pod | undefined;
  /** The build container's log, or its first lines; the builder prints its namespace at BUILD_LOGLEVEL>=2. */
  log?: string | undefined;
}

export interface VerdictResult {
  verdict: Verdict;
  /** One line naming what decided it, suitable for an annotation value. */
  evidence: string;
}

/** Longest evidence, so the annotation stays one short line however long the log line was. */
export const EVIDENCE_MAX = 200;

/** What the builder said about its user namespace in its own start-up line. */
export type BuilderStart =
  | { kind: 'userns'; line: string; uidMap: IdMapEntry[]; gidMap: IdMapEntry[] }
  | { kind: 'node'; line: string };

export interface IdMapEntry {
  container: number;
  host: number;
  size: number;
}

// klog's header, as the builder binary writes it to stderr: Lmmdd hh:mm:ss.uuuuuu tid file:line]
const KLOG_INFO = /^I\d{4} \d{2}:\d{2}:\d{2}\.\d{6} +\d+ [\w.-]+:\d+\] (.*)$/;
const MAP = String.raw`\[(\(\d+:\d+:\d+\)(?:, \(\d+:\d+:\d+\))*)\]`;
// openshift/builder cmd/userns.go logs this at V(2) before re-executing, and only when the ID map
// is not the node's own.
const USERNS_MESSAGE = new RegExp(
  String.raw`^Started in kernel user namespace with UID map ${MAP} and GID map ${MAP}\.$`,
);
const NODE_MESSAGE = /^Started in node \(default\) kernel user namespace(?: as \d+:\d+)?\.?$/;
const MAP_ENTRY = /\((\d+):(\d+):(\d+)\)/g;

/**
 * The builder's own start-up line: the first user-namespace line among the klog lines the log
 * opens with. The builder prints it before it runs any build step; the first line not in klog's
 * format is output the build itself controls, and nothing from there on is believed, however it
 * is dressed up.
 */
export function builderStartLine(log: string): BuilderStart | undefined {
  for (const raw of log.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') continue;
    const klog = KLOG_INFO.exec(line);
    if (!klog) return undefined;
    const message = klog[1] ?? '';
    const userns = USERNS_MESSAGE.exec(message);
    if (userns) {
      return {
        kind: 'userns',
        line: message,
        uidMap: mapEntries(userns[1] ?? ''),
        gidMap: mapEntries(userns[2] ?? ''),
      };
    }
    if (NODE_MESSAGE.test(message)) return { kind: 'node', line: message };
  }
  return undefined;
}

function mapEntries(text: string): IdMapEntry[] {
  return [...text.matchAll(MAP_ENTRY)].map((m) => ({
    container: Number(m[1]),
    host: Number(m[2]),
    size: Number(m[3]),
  }));
}

interface SpecView {
  /** The first privileged container, init containers first. */
  privileged?: string;
  /** How the pod asked for a user namespace, in words; empty when it did not. */
  asked: string[];
  /** Why the pod's userns-mode would land container IDs on host IDs below the subordinate range. */
  hazard?: string;
  /** The pod carries a userns-mode annotation CRI-O ignores (no io.openshift.builder). */
  ignoredAnnotation: boolean;
}

function viewSpec(pod: Pod): SpecView {
  const privileged = [...initContainersOf(pod), ...containersOf(pod)].find(
    (c) => c.securityContext?.privileged === true,
  );
  const annotations = pod.metadata?.annotations ?? {};
  const annotation = annotations[CRIO_USERNS_ANNOTATION];
  // CRI-O honours the annotation only on pods that also carry io.openshift.builder
  // (docs/architecture.md#cri-o-and-kubernetes-user-namespaces).
  const honoured =
    typeof annotation === 'string' && annotation !== '' && CRIO_BUILDER_ANNOTATION in annotations;
  const asked = [
    honoured ? `${CRIO_USERNS_ANNOTATION}=${JSON.stringify(annotation)}` : undefined,
    pod.spec?.hostUsers === false ? 'hostUsers: false' : undefined,
  ].filter((s): s is string => s !== undefined);
  const hazard = honoured ? usernsModeHazard(annotation) : undefined;
  return {
    ...(privileged ? { privileged: privileged.name } : {}),
    asked,
    ...(hazard ? { hazard } : {}),
    ignoredAnnotation: annotation !== undefined && !honoured,
  };
}

/**
 * The pod spec bounds the verdict and the builder's start-up line can only confirm it: a build
 * step can print anything, so a user-namespace line from a pod that never asked for one, or that
 * kept a privileged container, is a contradiction and the build counts as Privileged.
 */
export function classifyBuild(evidence: VerdictEvidence): VerdictResult {
  const start = evidence.log === undefined ? undefined : builderStartLine(evidence.log);
  if (!evidence.pod) return withoutPod(start, evidence.log !== undefined);
  const spec = viewSpec(evidence.pod);
  const said = start ? `; the builder log says: ${start.line}` : '';

  if (spec.privileged) {
    const outweighs = start?.kind === 'userns' ? ', which no user namespace line can outweigh' : '';
    return privileged(
      `Pod spec: container ${spec.privileged} is privileged${outweighs}${said || '.'}`,
    );
  }
  if (start?.kind === 'userns') {
    const toRoot = hostRootEntry(start);
    if (toRoot) return privileged(`Builder log maps ${toRoot}: ${start.line}`);
    if (spec.asked.length === 0) {
      return privileged(
        `Pod spec asked for no user namespace, so the builder log's user namespace line contradicts it: ${start.line}`,
      );
    }
    if (spec.hazard) return privileged(`Pod spec: ${spec.hazard}${said}`);
    return { verdict: 'UserNamespaced', evidence: quote(`Builder log: ${start.line}`) };
  }
  if (start?.kind === 'node') return privileged(`Builder log: ${start.line}`);
  if (spec.hazard) return privileged(`Pod spec: ${spec.hazard}`);

  const noLine =
    evidence.log !== undefined ? 'no user namespace line from the builder in its log; ' : '';
  if (spec.asked.length > 0) {
    return {
      verdict: 'Requested',
      evidence: quote(
        `Pod spec: ${noLine}asked for a user namespace (${spec.asked.join(', ')}) and no container is privileged.`,
      ),
    };
  }
  const why = spec.ignoredAnnotation
    ? `its userns-mode annotation lacks ${CRIO_BUILDER_ANNOTATION}, so CRI-O ignores it`
    : 'the pod did not ask for a user namespace';
  return {
    verdict: 'Unknown',
    evidence: quote(`Pod spec: ${noLine}no container is privileged, but ${why}.`),
  };
}

/** Without the pod spec a user-namespace line cannot be checked, but a confession still counts. */
function withoutPod(start: BuilderStart | undefined, hadLog: boolean): VerdictResult {
  if (start?.kind === 'node') return privileged(`Builder log: ${start.line}`);
  if (start?.kind === 'userns') {
    const toRoot = hostRootEntry(start);
    if (toRoot) return privileged(`Builder log maps ${toRoot}: ${start.line}`);
    return {
      verdict: 'Unknown',
      evidence: quote(`The pod is gone, so its spec cannot confirm the builder log: ${start.line}`),
    };
  }
  return {
    verdict: 'Unknown',
    evidence: hadLog
      ? 'The build log has no builder start-up line (BUILD_LOGLEVEL below 2?) and the pod is gone.'
      : 'No build pod and no build log to judge from.',
  };
}

/**
 * Any container ID landing on a host ID below the node's subordinate range means a user inside is
 * root or a system user on the node: the same line core/userns-mode.ts draws for annotations.
 */
function hostRootEntry(start: { uidMap: IdMapEntry[]; gidMap: IdMapEntry[] }): string | undefined {
  const uid = start.uidMap.find((e) => e.host < FIRST_SUBORDINATE_ID);
  if (uid) return `container UID ${uid.container} to host UID ${uid.host}`;
  const gid = start.gidMap.find((e) => e.host < FIRST_SUBORDINATE_ID);
  if (gid) return `container GID ${gid.container} to host GID ${gid.host}`;
  return undefined;
}

function privileged(text: string): VerdictResult {
  return { verdict: 'Privileged', evidence: quote(text) };
}

function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > EVIDENCE_MAX ? `${line.slice(0, EVIDENCE_MAX - 1)}…` : line;
}
