// What the API server knows of a request when it admits it, and which webhook or policy rules and
// selectors that request matches: shared by mutating webhooks (admission.ts) and
// ValidatingAdmissionPolicies (policies.ts), as both are matched the same way.
import { randomUUID } from 'node:crypto';
import { labelSelectorMatches, type LabelSelector } from '../../testing/label-selectors';
import type { KubeObject, ResourceDef, UserInfo } from './types';

export interface Rule {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: '*' | 'Cluster' | 'Namespaced';
}

export interface AdmissionAttributes {
  def: ResourceDef;
  subresource?: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  namespace?: string;
  name?: string;
  object?: KubeObject;
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionRequest {
  uid: string;
  [field: string]: unknown;
}

const has = (list: string[] | undefined, v: string): boolean =>
  !list || list.includes('*') || list.includes(v);

export function ruleMatches(rule: Rule, a: AdmissionAttributes): boolean {
  if (
    !has(rule.operations, a.operation) ||
    !has(rule.apiGroups, a.def.group) ||
    !has(rule.apiVersions, a.def.version)
  ) {
    return false;
  }
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && a.def.namespaced) return false;
  if (scope === 'Namespaced' && !a.def.namespaced) return false;
  const wanted = a.subresource ? `${a.def.resource}/${a.subresource}` : a.def.resource;
  return (rule.resources ?? []).some((r) => {
    if (r === '*') return !a.subresource;
    if (r === '*/*') return true;
    const [res, sub] = r.split('/');
    if (sub === undefined) return r === wanted;
    return (
      (res === '*' || res === a.def.resource) &&
      (sub === '*' ? !!a.subresource : sub === a.subresource)
    );
  });
}

/**
 * A copy the CEL evaluator accepts whatever realm the input came from (it recognises maps by
 * constructor, and a prototype-less object has none): JSON.parse and structuredClone results
 * can belong to another realm under test runners.
 */
export function celValue(v: unknown, opts: { typed?: boolean } = {}): unknown {
  if (Array.isArray(v)) {
    // A literal, not v.map: map would build the copy in the input's realm.
    const out: unknown[] = [];
    for (const x of v) out.push(celValue(x, opts));
    return out;
  }
  if (v && typeof v === 'object') {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v)) {
      // A typed (built-in) object has no null fields once decoded: they are simply unset.
      if (x !== undefined && !(opts.typed && x === null)) out[k] = celValue(x, opts);
    }
    return out;
  }
  return v;
}

/**
 * objectSelector and namespaceSelector as the API server applies them to a webhook or a policy.
 * `namespaceLabels`: the labels of the request's namespace (undefined when cluster-scoped).
 */
export function selectorsMatch(
  selectors: { objectSelector?: LabelSelector; namespaceSelector?: LabelSelector },
  a: AdmissionAttributes,
  namespaceLabels: Record<string, string> | undefined,
): boolean {
  if (selectors.objectSelector) {
    // Either the new or the old object may match, as for the API server.
    const labelSets = [a.object, a.oldObject]
      .filter((o) => !!o)
      .map((o) => o!.metadata.labels ?? {});
    if (!labelSets.some((l) => labelSelectorMatches(selectors.objectSelector, l))) return false;
  }
  if (a.def.resource === 'namespaces' && !a.def.group) {
    return labelSelectorMatches(
      selectors.namespaceSelector,
      a.object?.metadata.labels ?? a.oldObject?.metadata.labels,
    );
  }
  if (!a.def.namespaced) return true;
  return labelSelectorMatches(selectors.namespaceSelector, namespaceLabels);
}

/** The AdmissionReview v1 `request` for these attributes (also CEL's `request`). */
export function admissionRequest(a: AdmissionAttributes): AdmissionRequest {
  const kind = { group: a.def.group, version: a.def.version, kind: a.def.kind };
  const resource = { group: a.def.group, version: a.def.version, resource: a.def.resource };
  const optionsKind = {
    CREATE: 'CreateOptions',
    UPDATE: 'UpdateOptions',
    DELETE: 'DeleteOptions',
    CONNECT: '',
  }[a.operation];
  return {
    uid: randomUUID(),
    kind,
    resource,
    ...(a.subresource ? { subResource: a.subresource } : {}),
    requestKind: kind,
    requestResource: resource,
    ...(a.subresource ? { requestSubResource: a.subresource } : {}),
    name: a.name ?? a.object?.metadata.name ?? '',
    ...(a.namespace ? { namespace: a.namespace } : {}),
    operation: a.operation,
    userInfo: { username: a.user.username, uid: a.user.uid, groups: a.user.groups },
    object: a.object ?? null,
    oldObject: a.oldObject ?? null,
    dryRun: a.dryRun,
    options: { apiVersion: 'meta.k8s.io/v1', kind: optionsKind },
  };
}
