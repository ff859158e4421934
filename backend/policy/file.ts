import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { POLICY_GROUP, POLICY_KIND, effectivePolicy, validatePolicySpec } from '../../core';
import { StaticPolicySource, type PolicySnapshot } from './source';

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
  let generation = 1;
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
  return { policy: effectivePolicy(result.spec), generation };
}

export function filePolicySource(path: string): StaticPolicySource {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PolicyFileError(path, [`cannot read: ${(err as Error).message}`]);
  }
  return new StaticPolicySource(parsePolicyDocument(text, path));
}
