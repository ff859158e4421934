// One Build as the compliance API sees it: a few scalar fields, small enough that 100,000 of them
// stay well inside the backend's memory budget. Built from the Build the watch delivers.
import {
  BUILD_CONFIG_NAME_ANNOTATION,
  isVerdict,
  recordedOnBuild,
  type Verdict,
} from '@userns-builds/core';

export const STRATEGIES = ['Docker', 'Source', 'Custom'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface BuildRow {
  namespace: string;
  name: string;
  buildConfig: string | null;
  strategy: string | null;
  phase: string | null;
  /** metadata.creationTimestamp as the API server wrote it (RFC 3339). */
  created: string;
  /** The same instant in ms since the epoch: the sort key and the time-window filter. */
  createdMs: number;
  verdict: Verdict;
  evidence: string | null;
  decisionSource: string | null;
}

/** The fields of a Build the rows are made from; everything optional, as a watch is untrusted. */
export interface BuildLike {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { strategy?: { type?: string } };
  status?: { phase?: string; config?: { name?: string } };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

// Each parsed Build brings its own copy of its namespace, BuildConfig, strategy and phase: one
// shared copy of each keeps 100,000 rows small. Bounded, as a hostile stream of names could
// otherwise grow it without end; past the bound, strings are simply not shared.
const INTERN_MAX = 200_000;
const interned = new Map<string, string>();
function intern(v: string | null): string | null {
  if (v === null || v.length > 253) return v;
  const hit = interned.get(v);
  if (hit !== undefined) return hit;
  if (interned.size < INTERN_MAX) interned.set(v, v);
  return v;
}

function verdictOf(value: unknown): Verdict {
  return isVerdict(value) ? value : 'Unknown';
}

/** undefined when the object has no namespace/name (nothing to key it by). */
export function rowFromBuild(build: BuildLike): BuildRow | undefined {
  const m = build.metadata ?? {};
  if (!m.namespace || !m.name) return undefined;
  const a = m.annotations ?? {};
  const l = m.labels ?? {};
  // A record copied from another Build (a Rebuild copies every annotation) is no record at all.
  const recorded = recordedOnBuild(build);
  const created = str(m.creationTimestamp) ?? '';
  const parsed = Date.parse(created);
  const verdict = verdictOf(recorded?.verdict);
  return {
    namespace: intern(m.namespace) ?? m.namespace,
    name: m.name,
    buildConfig: intern(
      str(a[BUILD_CONFIG_NAME_ANNOTATION]) ??
        str(l[BUILD_CONFIG_NAME_ANNOTATION]) ??
        str(l.buildconfig) ??
        str(build.status?.config?.name),
    ),
    strategy: intern(str(build.spec?.strategy?.type)),
    phase: intern(str(build.status?.phase)),
    created,
    createdMs: Number.isNaN(parsed) ? 0 : parsed,
    verdict,
    // An evidence line without a verdict would explain nothing: a build without one is Unknown.
    evidence: recorded?.verdict === verdict ? str(recorded.evidence) : null,
    decisionSource: intern(str(recorded?.decisionSource)),
  };
}

/** What the API returns for a row (the internal sort key stays internal). */
export function publicRow(r: BuildRow) {
  return {
    namespace: r.namespace,
    name: r.name,
    buildConfig: r.buildConfig,
    strategy: r.strategy,
    phase: r.phase,
    created: r.created,
    verdict: r.verdict,
    evidence: r.evidence,
    decisionSource: r.decisionSource,
  };
}
export type PublicRow = ReturnType<typeof publicRow>;
