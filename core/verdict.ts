import { containersOf, initContainersOf } from './build-pod';
import { CRIO_BUILDER_ANNOTATION, CRIO_USERNS_ANNOTATION } from './constants';
import type { Pod } from './types';

export type Verdict = 'UserNamespaced' | 'Requested' | 'Privileged' | 'Unknown';

export interface VerdictEvidence {
  /** The pod as admitted (from the cluster while it exists). */
  pod?: Pod | undefined;
  /** The build log, or its first lines; the builder prints its namespace at BUILD_LOGLEVEL>=2. */
  log?: string | undefined;
}

export interface VerdictResult {
  verdict: Verdict;
  /** One line naming what decided it, suitable for an annotation value. */
  evidence: string;
}

/** Longest log excerpt quoted in the evidence, so the annotation stays one short line. */
export const EVIDENCE_QUOTE_MAX = 160;

// The builder binary omits "as U:G"; the custom-builder sample script includes it.
const USERNS_LINE =
  /Started in kernel user namespace(?: as \d+:\d+)? with UID map \[([^\]]*)\][^\n]*/;
const NODE_LINE = /Started in node \(default\) kernel user namespace[^\n]*/;
const MAP_ENTRY = /\((\d+):(\d+):(\d+)\)/g;

/**
 * Runtime evidence (the builder's own log line) outranks the pod spec: the spec says what was
 * asked for, the log says what the kernel gave.
 */
export function classifyBuild(evidence: VerdictEvidence): VerdictResult {
  const fromLog = evidence.log ? classifyLog(evidence.log) : undefined;
  if (fromLog) return fromLog;
  if (evidence.pod) return classifyPod(evidence.pod, evidence.log !== undefined);
  return {
    verdict: 'Unknown',
    evidence:
      evidence.log === undefined
        ? 'No build pod and no build log to judge from.'
        : 'The build log has no user namespace line (BUILD_LOGLEVEL below 2?) and the pod is gone.',
  };
}

function classifyLog(log: string): VerdictResult | undefined {
  const userns = USERNS_LINE.exec(log);
  if (userns) {
    const quoted = quote(userns[0]);
    const entries = [...(userns[1] ?? '').matchAll(MAP_ENTRY)].map((m) => ({
      container: Number(m[1]),
      host: Number(m[2]),
      size: Number(m[3]),
    }));
    // Any container ID landing on host UID 0 means root inside is root on the node.
    const toHostRoot = entries.find((e) => e.host === 0);
    if (toHostRoot) {
      return {
        verdict: 'Privileged',
        evidence: `Builder log maps container UID ${toHostRoot.container} to host UID 0: ${quoted}`,
      };
    }
    if (entries.length > 0) {
      return { verdict: 'UserNamespaced', evidence: `Builder log: ${quoted}` };
    }
  }
  const node = NODE_LINE.exec(log);
  if (node) return { verdict: 'Privileged', evidence: `Builder log: ${quote(node[0])}` };
  return undefined;
}

function classifyPod(pod: Pod, hadLog: boolean): VerdictResult {
  const noLine = hadLog ? 'no user namespace line in the build log; ' : '';
  const privileged = [...initContainersOf(pod), ...containersOf(pod)].find(
    (c) => c.securityContext?.privileged === true,
  );
  if (privileged) {
    return {
      verdict: 'Privileged',
      evidence: `Pod spec: ${noLine}container ${privileged.name} is privileged.`,
    };
  }
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
  if (asked.length > 0) {
    return {
      verdict: 'Requested',
      evidence: quote(
        `Pod spec: ${noLine}asked for a user namespace (${asked.join(', ')}) and no container is privileged.`,
      ),
    };
  }
  const why =
    annotation === undefined
      ? 'the pod did not ask for a user namespace'
      : `its userns-mode annotation lacks ${CRIO_BUILDER_ANNOTATION}, so CRI-O ignores it`;
  return {
    verdict: 'Unknown',
    evidence: quote(`Pod spec: ${noLine}no container is privileged, but ${why}.`),
  };
}

function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > EVIDENCE_QUOTE_MAX ? `${line.slice(0, EVIDENCE_QUOTE_MAX - 1)}…` : line;
}
