// ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) as the API server evaluates it:
// after every mutating webhook, for each binding of each policy whose match constraints and the
// binding's matchResources select the request, with the binding's params (paramRef), the
// policy's matchConditions, variables and validations in CEL, and the binding's
// validationActions deciding what a failed validation does (Deny, Warn, Audit).
//
// Differences from the real server, on purpose: no static type checking or cost estimation
// (an expression that would not compile is refused when the policy is stored, one that fails at
// run time follows failurePolicy), no `authorizer`, and a variable that fails makes every
// expression that mentions it fail.
import { parse as parseCel } from '@marcbachmann/cel-js';
import {
  admissionRequest,
  celValue,
  ruleMatches,
  selectorsMatch,
  type AdmissionAttributes,
  type Rule,
} from './admission-request';
import { ApiError, invalid, qualified, type StatusCause } from './errors';
import type { LabelSelector } from '../../testing/label-selectors';
import type { KubeObject, ResourceDef } from './types';

export const VAP_KEY = 'validatingadmissionpolicies.admissionregistration.k8s.io';
export const VAPB_KEY = 'validatingadmissionpolicybindings.admissionregistration.k8s.io';

type Action = 'Deny' | 'Warn' | 'Audit';

interface MatchResources {
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  resourceRules?: (Rule & { resourceNames?: string[] })[];
  excludeResourceRules?: (Rule & { resourceNames?: string[] })[];
}

interface Validation {
  expression: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
}

export interface PolicySpec {
  failurePolicy?: 'Fail' | 'Ignore';
  paramKind?: { apiVersion?: string; kind?: string };
  matchConstraints?: MatchResources;
  matchConditions?: { name: string; expression: string }[];
  variables?: { name: string; expression: string }[];
  validations?: Validation[];
}

export interface BindingSpec {
  policyName?: string;
  validationActions?: Action[];
  matchResources?: MatchResources;
  paramRef?: {
    name?: string;
    namespace?: string;
    selector?: LabelSelector;
    parameterNotFoundAction?: 'Allow' | 'Deny';
  };
}

/** What the evaluation needs from the cluster besides the request itself. */
export interface PolicyEnvironment {
  policies: readonly KubeObject[];
  bindings: readonly KubeObject[];
  /** The request's Namespace object (CEL `namespaceObject`); undefined when cluster-scoped. */
  namespaceObject: KubeObject | undefined;
  /** The served resource of a paramKind, or undefined when no such kind is served. */
  paramResource(apiVersion: string, kind: string): ResourceDef | undefined;
  /** Every object of a resource, in a namespace when it is namespaced. */
  listParams(def: ResourceDef, namespace: string | undefined): readonly KubeObject[];
}

export interface PolicyDecision {
  policy: string;
  binding: string;
  message: string;
  /** The validation's reason (Invalid when unset), for the Status. */
  reason: string;
  /** Which of the policy's validations failed; undefined for a failure to evaluate. */
  validation?: number;
  actions: Action[];
}

export interface PolicyOutcome {
  /** The first decision whose binding says Deny: the request is refused with it. */
  denied?: PolicyDecision;
  /** `Warning` header values, in the API server's words. */
  warnings: string[];
  /** What Audit would write as `validation.policy.admission.k8s.io/validation_failure`. */
  audit: PolicyDecision[];
}

const compiled = new Map<string, (ctx: object) => unknown>();

function compile(expression: string): (ctx: object) => unknown {
  let run = compiled.get(expression);
  if (!run) {
    run = parseCel(expression) as unknown as (ctx: object) => unknown;
    compiled.set(expression, run);
  }
  return run;
}

/** An object as CEL sees a typed Kubernetes object: unset (null) fields are absent. */
const typedValue = (v: unknown): unknown => celValue(v, { typed: true });

function matches(m: MatchResources | undefined, a: AdmissionAttributes, env: PolicyEnvironment) {
  if (!m) return true;
  const named = (r: { resourceNames?: string[] }) =>
    !r.resourceNames?.length || r.resourceNames.includes(a.name ?? a.object?.metadata.name ?? '');
  if (m.resourceRules && !m.resourceRules.some((r) => ruleMatches(r, a) && named(r))) return false;
  if (m.excludeResourceRules?.some((r) => ruleMatches(r, a) && named(r))) return false;
  return selectorsMatch(
    m,
    a,
    env.namespaceObject?.metadata.labels ?? (a.namespace ? {} : undefined),
  );
}

class EvaluationError extends Error {}

/** Evaluates every binding against one admission request. Never throws for a policy's fault. */
export function evaluatePolicies(a: AdmissionAttributes, env: PolicyEnvironment): PolicyOutcome {
  const outcome: PolicyOutcome = { warnings: [], audit: [] };
  const policies = new Map(env.policies.map((p) => [p.metadata.name!, p]));
  const bindings = [...env.bindings].sort((x, y) =>
    x.metadata.name!.localeCompare(y.metadata.name!),
  );
  // Converted once per request, and only when some binding selects it: most requests (every
  // build, every status write) meet no policy at all.
  let shared: Record<string, unknown> | undefined;
  const context = (): Record<string, unknown> => {
    if (shared) return shared;
    const object = a.object ? typedValue(a.object) : null;
    const oldObject = a.oldObject ? typedValue(a.oldObject) : null;
    const request = celValue({ ...admissionRequest(a), object: null, oldObject: null });
    Object.assign(request as object, { object, oldObject });
    shared = {
      object,
      oldObject,
      request,
      namespaceObject: env.namespaceObject ? typedValue(env.namespaceObject) : null,
    };
    return shared;
  };
  for (const bindingObj of bindings) {
    const binding = (bindingObj.spec ?? {}) as BindingSpec;
    const policyObj = binding.policyName ? policies.get(binding.policyName) : undefined;
    // A binding to a policy that does not exist (yet) does nothing.
    if (!policyObj) continue;
    const policy = (policyObj.spec ?? {}) as PolicySpec;
    if (!policy.matchConstraints?.resourceRules?.length) continue;
    if (!matches(policy.matchConstraints, a, env) || !matches(binding.matchResources, a, env)) {
      continue;
    }
    const names = { policy: policyObj.metadata.name!, binding: bindingObj.metadata.name! };
    const actions = binding.validationActions ?? [];
    const record = (message: string, reason: string, validation?: number) => {
      const decision: PolicyDecision = {
        ...names,
        message,
        reason,
        actions,
        ...(validation === undefined ? {} : { validation }),
      };
      if (actions.includes('Deny')) outcome.denied ??= decision;
      if (actions.includes('Warn')) {
        outcome.warnings.push(
          `Validation failed for ValidatingAdmissionPolicy '${names.policy}' with binding '${names.binding}': ${message}`,
        );
      }
      if (actions.includes('Audit')) outcome.audit.push(decision);
    };
    const fail = (message: string) => {
      if ((policy.failurePolicy ?? 'Fail') === 'Fail') record(message, 'Invalid');
    };

    let params: (KubeObject | null)[] = [null];
    if (policy.paramKind) {
      const resolved = resolveParams(policy, binding, a, env);
      if (typeof resolved === 'string') {
        fail(resolved);
        continue;
      }
      if (resolved.length === 0) {
        if ((binding.paramRef?.parameterNotFoundAction ?? 'Deny') === 'Deny') {
          fail(`no params found for policy binding with \`Deny\` parameterNotFoundAction`);
        }
        continue;
      }
      params = resolved;
    }
    for (const param of params) {
      for (const d of evaluateOne(policy, context(), param)) {
        if (d.error !== undefined) fail(d.error);
        else record(d.message!, d.reason!, d.validation);
      }
    }
  }
  return outcome;
}

function resolveParams(
  policy: PolicySpec,
  binding: BindingSpec,
  a: AdmissionAttributes,
  env: PolicyEnvironment,
): KubeObject[] | string {
  const kind = policy.paramKind!;
  const def = env.paramResource(kind.apiVersion ?? '', kind.kind ?? '');
  if (!def) {
    return `failed to configure policy: failed to find resource referenced by paramKind: '${kind.apiVersion}, Kind=${kind.kind}'`;
  }
  const ref = binding.paramRef;
  if (!ref) return 'failed to configure binding: paramRef is required when paramKind is set';
  const namespace = def.namespaced ? (ref.namespace ?? a.namespace) : undefined;
  const all = env.listParams(def, namespace);
  if (ref.name) return all.filter((o) => o.metadata.name === ref.name);
  return ref.selector
    ? all.filter((o) => selectorsMatch({ objectSelector: ref.selector }, { ...a, object: o }, {}))
    : [];
}

function evaluateOne(
  policy: PolicySpec,
  shared: Record<string, unknown>,
  param: KubeObject | null,
): { error?: string; message?: string; reason?: string; validation?: number }[] {
  const base: Record<string, unknown> = { ...shared, params: param ? celValue(param) : null };
  const failedVariables = new Set<string>();
  const run = (expression: string): unknown => {
    for (const name of failedVariables) {
      if (expression.includes(`variables.${name}`)) {
        throw new EvaluationError(`variable "${name}" could not be evaluated`);
      }
    }
    return compile(expression)(base);
  };
  const guarded = (expression: string): { value?: unknown; error?: string } => {
    try {
      return { value: run(expression) };
    } catch (e) {
      return { error: `expression '${expression}' resulted in error: ${(e as Error).message}` };
    }
  };

  // As the API server's matcher: a condition that is false skips the policy even when another
  // one failed; only with none false does a failure count (and follow failurePolicy).
  let conditionError: string | undefined;
  for (const condition of policy.matchConditions ?? []) {
    const r = guarded(condition.expression);
    if (r.error !== undefined) conditionError ??= `matchCondition '${condition.name}': ${r.error}`;
    else if (r.value !== true) return [];
  }
  if (conditionError !== undefined) return [{ error: conditionError }];
  const variables = Object.create(null) as Record<string, unknown>;
  base.variables = variables;
  for (const v of policy.variables ?? []) {
    try {
      variables[v.name] = run(v.expression);
    } catch {
      failedVariables.add(v.name);
    }
  }
  // Every validation is evaluated; each failure is a decision of its own, as in the API server.
  const decisions: { error?: string; message?: string; reason?: string; validation?: number }[] =
    [];
  for (const [index, validation] of (policy.validations ?? []).entries()) {
    const r = guarded(validation.expression);
    if (r.error !== undefined) decisions.push({ error: r.error });
    else if (r.value !== true && r.value !== false) {
      decisions.push({
        error: `expression '${validation.expression}' resulted in a non-bool value`,
      });
    } else if (r.value === false) {
      decisions.push({
        message: messageOf(validation, run),
        reason: validation.reason ?? 'Invalid',
        validation: index,
      });
    }
  }
  return decisions;
}

/** messageExpression, else message, else the failed expression, as the API server falls back. */
function messageOf(v: Validation, run: (expression: string) => unknown): string {
  if (v.messageExpression) {
    try {
      const m = run(v.messageExpression);
      if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m;
    } catch {
      // Falls through to the static message, as the API server does.
    }
  }
  return v.message ?? `failed expression: ${v.expression}`;
}

const REASON_CODES: Record<string, number> = {
  Unauthorized: 401,
  Forbidden: 403,
  Invalid: 422,
  RequestEntityTooLarge: 413,
};

/** The Status the API server returns for a denial: `<resource> "<name>" is forbidden: …`. */
export function denialError(a: AdmissionAttributes, d: PolicyDecision): ApiError {
  const name = a.name ?? a.object?.metadata.name ?? '';
  const resource = qualified(a.def.resource, a.def.group);
  return new ApiError(
    REASON_CODES[d.reason] ?? 403,
    d.reason,
    `${resource} "${name}" is forbidden: ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${d.message}`,
    { name, group: a.def.group, kind: a.def.resource },
  );
}

/** What the API server refuses when a policy or binding is stored. */
export function policyProblems(obj: KubeObject, kind: 'policy' | 'binding'): StatusCause[] {
  const problems: StatusCause[] = [];
  if (kind === 'binding') {
    const spec = (obj.spec ?? {}) as BindingSpec;
    if (!spec.policyName) problems.push({ field: 'spec.policyName', message: 'Required value' });
    const actions = spec.validationActions ?? [];
    if (actions.length === 0) {
      problems.push({ field: 'spec.validationActions', message: 'Required value' });
    }
    if (actions.includes('Deny') && actions.includes('Warn')) {
      problems.push({
        field: 'spec.validationActions',
        message: `Invalid value: ${JSON.stringify(actions)}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)`,
      });
    }
    const ref = spec.paramRef;
    if (ref && !ref.name === !ref.selector) {
      problems.push({
        field: 'spec.paramRef',
        message: 'Invalid value: one of name or selector must be specified',
      });
    }
    return problems;
  }
  const spec = (obj.spec ?? {}) as PolicySpec;
  if (!spec.matchConstraints?.resourceRules?.length) {
    problems.push({ field: 'spec.matchConstraints.resourceRules', message: 'Required value' });
  }
  const expressions: [string, string | undefined][] = [
    ...(spec.matchConditions ?? []).map((c, i): [string, string] => [
      `spec.matchConditions[${i}].expression`,
      c.expression,
    ]),
    ...(spec.variables ?? []).map((v, i): [string, string] => [
      `spec.variables[${i}].expression`,
      v.expression,
    ]),
    ...(spec.validations ?? []).flatMap((v, i): [string, string | undefined][] => [
      [`spec.validations[${i}].expression`, v.expression],
      [`spec.validations[${i}].messageExpression`, v.messageExpression],
    ]),
  ];
  for (const [field, expression] of expressions) {
    if (expression === undefined) continue;
    try {
      compile(expression);
    } catch (e) {
      problems.push({
        field,
        message: `Invalid value: ${JSON.stringify(expression)}: compilation failed: ${(e as Error).message.split('\n')[0]}`,
      });
    }
  }
  return problems;
}

export function checkPolicyObject(obj: KubeObject, kind: 'policy' | 'binding'): void {
  const problems = policyProblems(obj, kind);
  if (problems.length) {
    throw invalid(
      kind === 'policy' ? 'ValidatingAdmissionPolicy' : 'ValidatingAdmissionPolicyBinding',
      obj.metadata.name!,
      problems,
      'admissionregistration.k8s.io',
    );
  }
}
