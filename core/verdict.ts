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

export declare function classifyBuild(evidence: VerdictEvidence): VerdictResult;
