// What the recorder wrote on a Build, read back. The record counts only when it is bound to the
// Build it sits on: openshift-apiserver's Rebuild (builds/clone) creates the new Build with every
// annotation of the old one, so without the binding a build that never ran would show the verdict
// of the build it repeats.
import {
  DECISION_SOURCE_ANNOTATION,
  EVIDENCE_ANNOTATION,
  RECORD_ANNOTATIONS,
  RECORDED_FOR_ANNOTATION,
  VERDICT_ANNOTATION,
} from './constants';
import type { Verdict } from './verdict';

export const VERDICTS: readonly Verdict[] = [
  'UserNamespaced',
  'Requested',
  'Privileged',
  'Unknown',
];

export function isVerdict(value: unknown): value is Verdict {
  return (VERDICTS as readonly unknown[]).includes(value);
}

/** What a Build's record is read from; everything optional, as a Build from a watch is untrusted. */
export interface RecordedBuildMeta {
  metadata?: { uid?: string; annotations?: Record<string, string> };
}

/** The record on a Build, exactly as written (not validated beyond being strings). */
export interface BuildRecording {
  verdict: string | undefined;
  evidence: string | undefined;
  decisionSource: string | undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Whether the Build's record names this Build's own uid (a non-empty one). */
export function isRecordBound(build: RecordedBuildMeta): boolean {
  const uid = build.metadata?.uid;
  const boundTo = build.metadata?.annotations?.[RECORDED_FOR_ANNOTATION];
  return typeof uid === 'string' && uid !== '' && boundTo === uid;
}

/**
 * The verdict, evidence and decision source recorded for this Build; undefined when there is no
 * record of its own — none at all, or one copied from another Build (bound to another uid, or to
 * none).
 */
export function recordedOnBuild(build: RecordedBuildMeta): BuildRecording | undefined {
  if (!isRecordBound(build)) return undefined;
  const a = build.metadata?.annotations ?? {};
  return {
    verdict: text(a[VERDICT_ANNOTATION]),
    evidence: text(a[EVIDENCE_ANNOTATION]),
    decisionSource: text(a[DECISION_SOURCE_ANNOTATION]),
  };
}

/**
 * The record keys to remove from a Build: those of a record bound to another Build (a Rebuild's
 * copy). A record with no binding at all is read as no record but left in place: it can only
 * have been written before records were bound, and removing it would lose what it says.
 */
export function copiedRecordKeys(build: RecordedBuildMeta): string[] {
  const boundTo = build.metadata?.annotations?.[RECORDED_FOR_ANNOTATION];
  if (typeof boundTo !== 'string' || boundTo === '' || isRecordBound(build)) return [];
  const a = build.metadata?.annotations ?? {};
  return RECORD_ANNOTATIONS.filter((k) => Object.prototype.hasOwnProperty.call(a, k));
}
