// Label and field selectors in the API server's string syntax.
import { badRequest } from './errors';
import type { KubeObject, ResourceDef } from './types';

type Requirement =
  { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | '!exists' };

export type Matcher = (obj: KubeObject) => boolean;

const matchAll: Matcher = () => true;

/** Splits on commas that are not inside `( )`. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter(Boolean);
}

function parseLabelTerm(term: string): Requirement {
  let m = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) {
    const values = m[3]!
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    return { key: m[1]!, op: m[2] as 'in' | 'notin', values };
  }
  m = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
  if (m) return { key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] };
  m = /^!\s*([^\s!=()]+)$/.exec(term);
  if (m) return { key: m[1]!, op: '!exists' };
  m = /^([^\s!=()]+)$/.exec(term);
  if (m) return { key: m[1]!, op: 'exists' };
  throw badRequest(
    `unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`,
  );
}

export function labelMatcher(selector: string | undefined): Matcher {
  if (!selector?.trim()) return matchAll;
  const reqs = splitTerms(selector).map(parseLabelTerm);
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      switch (r.op) {
        case 'exists':
          return has;
        case '!exists':
          return !has;
        case 'in':
          return has && r.values.includes(labels[r.key]!);
        case 'notin':
          return !has || !r.values.includes(labels[r.key]!);
      }
    });
  };
}

/** Label selector object (`matchLabels`/`matchExpressions`), as in webhook namespaceSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

export function labelSelectorMatches(
  sel: LabelSelector | undefined,
  labels: Record<string, string> = {},
): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]!);
    const ok =
      e.operator === 'In'
        ? inValues
        : e.operator === 'NotIn'
          ? !inValues
          : e.operator === 'Exists'
            ? has
            : !has;
    if (!ok) return false;
  }
  return true;
}

export function fieldMatcher(selector: string | undefined, def: ResourceDef): Matcher {
  if (!selector?.trim()) return matchAll;
  const terms = splitTerms(selector).map((term) => {
    const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = m[1]!;
    const getter =
      field === 'metadata.name'
        ? (o: KubeObject) => o.metadata.name
        : field === 'metadata.namespace'
          ? (o: KubeObject) => o.metadata.namespace ?? ''
          : def.fieldSelectors?.[field];
    if (!getter) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return { getter, negate: m[2] === '!=', value: m[3]! };
  });
  return (obj) => terms.every((t) => ((t.getter(obj) ?? '') === t.value) !== t.negate);
}
