// Label and field selectors as list and watch requests give them: a parse failure is the API
// server's 400, decided before any item is read.
import { LabelSelectorError, parseLabelSelector } from '../../testing/label-selectors';
import { badRequest } from './errors';
import type { KubeObject, ResourceDef } from './types';

export type Matcher = (obj: KubeObject) => boolean;

const matchAll: Matcher = () => true;

export function labelMatcher(selector: string | undefined): Matcher {
  try {
    const matches = parseLabelSelector(selector);
    return (obj) => matches(obj.metadata.labels);
  } catch (e) {
    if (e instanceof LabelSelectorError) throw badRequest(e.message);
    throw e;
  }
}

export function fieldMatcher(selector: string | undefined, def: ResourceDef): Matcher {
  if (!selector?.trim()) return matchAll;
  // Field selectors have no parenthesised value lists: every comma separates two terms.
  const terms = selector
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((term) => {
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
