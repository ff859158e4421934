// Kubernetes label selectors, in both forms: the query string (`app=web,tier in (a,b),!old`) the
// API server reads from `labelSelector=`, and the object (`matchLabels`/`matchExpressions`) that
// webhook and policy configurations carry. Shared by the local cluster emulator and deploy/'s tests;
// the product itself never matches labels (it asks the API server to).

/** A label selector object, as in a webhook's `namespaceSelector` or `objectSelector`. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

export type Labels = Readonly<Record<string, string>>;

/** A selector string that does not parse; its message is the API server's. */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorError';
  }
}

type Requirement =
  { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | '!exists' };

/** Splits on commas that are not inside `( )`, where `in`/`notin` list their values. */
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

function parseTerm(term: string): Requirement {
  const set = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set?.[1] && set[3] !== undefined) {
    const values = set[3]
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    return { key: set[1], op: set[2] === 'notin' ? 'notin' : 'in', values };
  }
  const equality = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
  if (equality?.[1] && equality[3] !== undefined)
    return { key: equality[1], op: equality[2] === '!=' ? 'notin' : 'in', values: [equality[3]] };
  const absent = /^!\s*([^\s!=()]+)$/.exec(term);
  if (absent?.[1]) return { key: absent[1], op: '!exists' };
  if (/^[^\s!=()]+$/.test(term)) return { key: term, op: 'exists' };
  throw new LabelSelectorError(
    `unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`,
  );
}

/** The value of an own label: a label map is JSON, but `labels.constructor` is not a label. */
function labelValue(labels: Labels, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
}

/**
 * Parses a selector string once and returns its test for a set of labels; an empty or missing
 * selector matches everything. Throws LabelSelectorError for what does not parse.
 */
export function parseLabelSelector(
  selector: string | undefined,
): (labels: Labels | undefined) => boolean {
  if (!selector?.trim()) return () => true;
  const reqs = splitTerms(selector).map(parseTerm);
  return (labels = {}) =>
    reqs.every((r) => {
      const value = labelValue(labels, r.key);
      switch (r.op) {
        case 'exists':
          return value !== undefined;
        case '!exists':
          return value === undefined;
        case 'in':
          return value !== undefined && r.values.includes(value);
        case 'notin':
          return value === undefined || !r.values.includes(value);
      }
    });
}

/** Whether labels satisfy a selector object; no selector selects everything. */
export function labelSelectorMatches(sel: LabelSelector | undefined, labels: Labels = {}): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {}))
    if (labelValue(labels, k) !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const value = labelValue(labels, e.key);
    const has = value !== undefined;
    const inValues = has && (e.values ?? []).includes(value);
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
