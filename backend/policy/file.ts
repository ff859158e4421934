import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  POLICY_GROUP,
  POLICY_KIND,
  effectivePolicy,
  validatePolicySpec,
} from '@userns-builds/core';
import { DirectoryWatch } from '../dir-watch';
import type { Logger } from '../log';
import type { PolicySnapshot, PolicySource } from './source';

export class PolicyFileError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`policy file ${path} is not a valid BuildPolicy:\n  ${problems.join('\n  ')}`);
    this.name = 'PolicyFileError';
  }
}

/**
 * Reads a BuildPolicy, or just its spec, from YAML and validates it with core. Invalid input is a
 * start-up error listing every problem: a policy that half-applies would be worse than none.
 */
export function parsePolicyDocument(text: string, path: string): PolicySnapshot {
  return parseDocument(text, path).snapshot;
}

function parseDocument(
  text: string,
  path: string,
): { snapshot: PolicySnapshot; hasGeneration: boolean } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new PolicyFileError(path, [`not YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new PolicyFileError(path, ['expected a mapping (a BuildPolicy or its spec)']);
  }
  const obj = doc as Record<string, unknown>;
  let spec: unknown = obj;
  let generation: number | undefined;
  if ('kind' in obj || 'apiVersion' in obj || 'spec' in obj) {
    if (obj.kind !== POLICY_KIND || !String(obj.apiVersion).startsWith(`${POLICY_GROUP}/`)) {
      throw new PolicyFileError(path, [`expected kind ${POLICY_KIND} of ${POLICY_GROUP}`]);
    }
    spec = obj.spec ?? {};
    const meta = obj.metadata as { generation?: unknown } | undefined;
    if (typeof meta?.generation === 'number') generation = meta.generation;
  }
  const result = validatePolicySpec(spec);
  if (!result.ok) {
    const prefix = spec === obj ? 'spec.' : '';
    throw new PolicyFileError(
      path,
      result.errors.map((e) => `${e.path.startsWith('spec') ? '' : prefix}${e.path}: ${e.message}`),
    );
  }
  return {
    snapshot: { policy: effectivePolicy(result.spec), generation: generation ?? 1 },
    hasGeneration: generation !== undefined,
  };
}

function readPolicyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new PolicyFileError(path, [`cannot read: ${(err as Error).message}`]);
  }
}

export interface FilePolicyOptions {
  path: string;
  log: Logger;
  /** Told whether the latest version of the file is valid (metrics). */
  onValidity?: (valid: boolean) => void;
  debounceMs?: number;
}

/**
 * A policy file, re-read when it changes (a mounted ConfigMap is updated by an atomic rename in its
 * directory). The first read must succeed: a start-up error. Afterwards a version that cannot be
 * read or is invalid leaves the last good policy in force, logged with every problem.
 */
export class FilePolicySource implements PolicySource {
  private snapshot: PolicySnapshot;
  private digest: string;
  private readonly watch: DirectoryWatch;
  /** A spec-only file has no metadata.generation: count accepted versions instead. */
  private versions = 1;

  constructor(private readonly o: FilePolicyOptions) {
    const text = readPolicyFile(o.path);
    this.snapshot = parsePolicyDocument(text, o.path);
    this.digest = hash(text);
    o.onValidity?.(true);
    this.watch = new DirectoryWatch({
      files: [o.path],
      onSettled: () => this.reload(),
      log: o.log,
      what: 'policy file',
      ...(o.debounceMs !== undefined ? { debounceMs: o.debounceMs } : {}),
    });
  }

  current(): PolicySnapshot {
    return this.snapshot;
  }

  synced(): boolean {
    return true;
  }

  async start(): Promise<void> {
    this.watch.start();
  }

  stop(): void {
    this.watch.stop();
  }

  /** Re-reads the file now; returns whether a new policy took effect. */
  reload(): boolean {
    let text: string;
    try {
      text = readPolicyFile(this.o.path);
    } catch (err) {
      // A rename in progress, or the file removed: nothing to judge yet, keep what works.
      this.o.log.warn({ problem: (err as Error).message }, 'policy file unreadable; policy kept');
      return false;
    }
    const digest = hash(text);
    if (digest === this.digest) return false;
    this.digest = digest;
    let next: { snapshot: PolicySnapshot; hasGeneration: boolean };
    try {
      next = parseDocument(text, this.o.path);
    } catch (err) {
      const problems = err instanceof PolicyFileError ? err.problems : [(err as Error).message];
      this.o.onValidity?.(false);
      this.o.log.error(
        { path: this.o.path, problems },
        'policy file changed but is not a valid BuildPolicy; the last valid policy stays in effect',
      );
      return false;
    }
    this.versions++;
    this.snapshot = next.hasGeneration
      ? next.snapshot
      : { ...next.snapshot, generation: this.versions };
    this.o.onValidity?.(true);
    this.o.log.info(
      { path: this.o.path, generation: this.snapshot.generation },
      'policy file reloaded',
    );
    return true;
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
