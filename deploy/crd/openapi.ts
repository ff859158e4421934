// Checks a CustomResourceDefinition's OpenAPI v3 schema without an API server: structural-schema
// rules, conversion to a JSON schema that ajv can run, and the CEL rules evaluated by a real CEL
// interpreter. Test tooling only; nothing here is shipped.
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseCel } from '@marcbachmann/cel-js';
import { parse as parseYaml } from 'yaml';

export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
}

/** The subset of apiextensions.k8s.io/v1 JSONSchemaProps that structural schemas use. */
export interface CrdSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, CrdSchema>;
  additionalProperties?: CrdSchema | boolean;
  items?: CrdSchema | CrdSchema[];
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  minimum?: number;
  maximum?: number;
  'x-kubernetes-validations'?: CelRule[];
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'granular' | 'atomic';
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [other: string]: unknown;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: CrdSchema };
  subresources?: { status?: Record<string, never>; scale?: unknown };
  additionalPrinterColumns?: {
    name: string;
    type: string;
    jsonPath: string;
    description?: string;
  }[];
}

export interface Crd {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    scope: 'Cluster' | 'Namespaced';
    names: { plural: string; singular: string; kind: string; listKind?: string };
    versions: CrdVersion[];
  };
}

export function loadYaml(path: string): unknown {
  return parseYaml(readFileSync(path, 'utf8'));
}

// Keywords JSONSchemaProps has. Anything else (propertyNames, if/then, const, ...) is not part of
// the Kubernetes API: a strict apply refuses it, a lax one drops it, so the rule it meant to
// express silently does not exist.
const KNOWN_KEYWORDS = new Set([
  'type',
  'description',
  'title',
  'properties',
  'additionalProperties',
  'items',
  'required',
  'enum',
  'default',
  'nullable',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'example',
  'externalDocs',
  'x-kubernetes-validations',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
]);

// Part of JSONSchemaProps but refused in apiextensions.k8s.io/v1 structural schemas (or, for
// allOf/anyOf/oneOf/not, allowed only in restricted forms this CRD has no need for).
const FORBIDDEN_KEYWORDS = new Set([
  '$ref',
  '$schema',
  'id',
  'definitions',
  'dependencies',
  'patternProperties',
  'additionalItems',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
]);

const SCALAR_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

const isMap = (s: CrdSchema): boolean =>
  typeof s.additionalProperties === 'object' && s.additionalProperties !== null;

function children(schema: CrdSchema, path: string): [string, CrdSchema][] {
  const out: [string, CrdSchema][] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    out.push([`${path}.${name}`, child]);
  }
  if (isMap(schema)) out.push([`${path}[*]`, schema.additionalProperties as CrdSchema]);
  if (schema.items && !Array.isArray(schema.items)) out.push([`${path}[]`, schema.items]);
  return out;
}

/**
 * The reasons the API server would refuse this schema as non-structural, plus the bounds this
 * project requires so that CEL rules stay within the API server's cost budget: every list has
 * maxItems, every map maxProperties, every free-form string maxLength. Empty when sane.
 */
export function structuralProblems(schema: CrdSchema, path = '<root>'): string[] {
  const problems: string[] = [];
  const keys = Object.keys(schema);
  for (const k of keys) {
    if (FORBIDDEN_KEYWORDS.has(k))
      problems.push(`${path}: ${k} is not allowed in a structural schema`);
    else if (!KNOWN_KEYWORDS.has(k))
      problems.push(`${path}: ${k} is not a Kubernetes schema keyword`);
  }
  const unknownOk =
    schema['x-kubernetes-int-or-string'] === true ||
    schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (!schema.type && !unknownOk) problems.push(`${path}: type is missing`);
  if (schema.uniqueItems === true) problems.push(`${path}: uniqueItems: true is not allowed`);
  if (schema.additionalProperties === false) {
    problems.push(`${path}: additionalProperties: false is not allowed (pruning does that)`);
  }
  if (schema.properties && schema.additionalProperties !== undefined) {
    problems.push(`${path}: properties and additionalProperties are mutually exclusive`);
  }
  if (
    (schema.properties || schema.additionalProperties !== undefined) &&
    schema.type !== 'object'
  ) {
    problems.push(`${path}: properties need type: object`);
  }
  if (schema.type === 'array') {
    if (!schema.items) problems.push(`${path}: an array needs items`);
    if (Array.isArray(schema.items)) problems.push(`${path}: items must be one schema`);
    if (schema.maxItems === undefined) problems.push(`${path}: an array needs maxItems`);
  }
  if (schema.items && schema.type !== 'array') problems.push(`${path}: items need type: array`);
  if (isMap(schema) && schema.maxProperties === undefined) {
    problems.push(`${path}: a map needs maxProperties`);
  }
  if (
    schema.type === 'string' &&
    schema.maxLength === undefined &&
    schema.enum === undefined &&
    schema.format === undefined
  ) {
    problems.push(`${path}: a string needs maxLength (or enum, or format)`);
  }
  const listType = schema['x-kubernetes-list-type'];
  const items = Array.isArray(schema.items) ? undefined : schema.items;
  if (listType === 'set' && items && !SCALAR_TYPES.has(items.type ?? '')) {
    problems.push(`${path}: x-kubernetes-list-type: set needs scalar items`);
  }
  if (listType === 'map') {
    const mapKeys = schema['x-kubernetes-list-map-keys'] ?? [];
    if (mapKeys.length === 0) problems.push(`${path}: list-type map needs list-map-keys`);
    for (const key of mapKeys) {
      const keySchema = items?.properties?.[key];
      if (!keySchema || !SCALAR_TYPES.has(keySchema.type ?? '')) {
        problems.push(`${path}: list-map-key ${key} must be a scalar property of the items`);
      } else if (!items?.required?.includes(key) && keySchema.default === undefined) {
        problems.push(`${path}: list-map-key ${key} must be required or defaulted`);
      }
    }
  }
  if (schema['x-kubernetes-list-map-keys'] && listType !== 'map') {
    problems.push(`${path}: list-map-keys need x-kubernetes-list-type: map`);
  }
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    if (!rule.message && !rule.messageExpression) {
      problems.push(`${path}: CEL rule ${JSON.stringify(rule.rule)} has no message`);
    }
  }
  for (const [childPath, child] of children(schema, path)) {
    problems.push(...structuralProblems(child, childPath));
  }
  return problems;
}

/** Every CEL rule in the schema, with the path of the value it sees as `self`. */
export function celRules(schema: CrdSchema, path = '<root>'): (CelRule & { path: string })[] {
  const own = (schema['x-kubernetes-validations'] ?? []).map((r) => ({ ...r, path }));
  return [...own, ...children(schema, path).flatMap(([p, c]) => celRules(c, p))];
}

/**
 * The CRD schema as a JSON schema (draft 7) with the API server's semantics where a JSON schema
 * can express them:
 * - Unknown fields: the API server *prunes* them from objects with `properties` (they vanish on
 *   storage), and rejects them only when the client asks for strict field validation (`oc apply`
 *   and `kubectl apply` do by default). We model the strict case, `additionalProperties: false`,
 *   because a silently dropped field is exactly the bug we want the examples to catch.
 * - `x-kubernetes-list-type: set` becomes `uniqueItems`; `map` becomes a uniqueness check on
 *   the key fields (custom keyword `x-list-map-keys`).
 * - `x-kubernetes-validations` stays, evaluated by a CEL interpreter (custom keyword `x-cel`).
 * - At the root, apiVersion, kind and metadata are always allowed, as the API server does.
 */
export function toJsonSchema(schema: CrdSchema, root = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties' || k === 'additionalProperties' || k === 'items') continue;
    if (k.startsWith('x-kubernetes-') || k === 'example' || k === 'externalDocs') continue;
    out[k] = v;
  }
  if (schema['x-kubernetes-int-or-string']) out.type = ['integer', 'string'];
  if (schema.properties || root) {
    const props: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      props[name] = toJsonSchema(child, false);
    }
    if (root) {
      props.apiVersion ??= { type: 'string' };
      props.kind ??= { type: 'string' };
      props.metadata ??= { type: 'object' };
    }
    out.properties = props;
    if (!schema['x-kubernetes-preserve-unknown-fields'] && !isMap(schema)) {
      out.additionalProperties = false;
    }
  }
  if (isMap(schema)) {
    out.additionalProperties = toJsonSchema(schema.additionalProperties as CrdSchema, false);
  }
  if (schema.items && !Array.isArray(schema.items)) out.items = toJsonSchema(schema.items, false);
  if (schema['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  if (schema['x-kubernetes-list-type'] === 'map') {
    out['x-list-map-keys'] = schema['x-kubernetes-list-map-keys'] ?? [];
  }
  if (schema['x-kubernetes-validations']) out['x-cel'] = schema['x-kubernetes-validations'];
  return out;
}

// CEL integers are int64; YAML gives JS numbers. Every number in these schemas is an integer, so
// map whole numbers to bigint, which is what the interpreter uses for `int`.
function toCelValue(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCelValue(v)]));
  }
  return value;
}

type CompiledRule = { rule: CelRule; run: (ctx: Record<string, unknown>) => unknown };
const compiled = new Map<string, CompiledRule['run']>();

function compile(rule: CelRule): CompiledRule['run'] {
  let run = compiled.get(rule.rule);
  if (!run) {
    run = parseCel(rule.rule);
    compiled.set(rule.rule, run);
  }
  return run;
}

/** Evaluates one CEL rule against `self`. Errors (unknown function, bad type) are failures too. */
export function evaluateRule(
  rule: CelRule,
  self: unknown,
): { ok: true } | { ok: false; message: string } {
  try {
    const result = compile(rule)({ self: toCelValue(self) });
    if (result === true) return { ok: true };
    if (result === false)
      return { ok: false, message: rule.message ?? `failed rule: ${rule.rule}` };
    return { ok: false, message: `rule ${rule.rule} returned ${String(result)}, not a bool` };
  } catch (err) {
    return {
      ok: false,
      message: `rule ${rule.rule} cannot be evaluated: ${(err as Error).message}`,
    };
  }
}

// RFC 3339 as Kubernetes' metav1.Time serialises it.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An ajv instance that understands the custom keywords toJsonSchema emits. */
export function createAjv(options: { useDefaults?: boolean } = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: options.useDefaults ?? false });
  ajv.addFormat('date-time', DATE_TIME);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addKeyword({
    keyword: 'x-cel',
    schemaType: 'array',
    errors: true,
    validate: function validateCel(rules: CelRule[], data: unknown): boolean {
      const errors: Partial<ErrorObject>[] = [];
      for (const rule of rules) {
        const result = evaluateRule(rule, data);
        if (!result.ok) {
          errors.push({ keyword: 'x-cel', message: result.message, params: { rule: rule.rule } });
        }
      }
      (validateCel as { errors?: Partial<ErrorObject>[] }).errors = errors;
      return errors.length === 0;
    },
  });
  ajv.addKeyword({
    keyword: 'x-list-map-keys',
    type: 'array',
    schemaType: 'array',
    errors: true,
    validate: function validateMapKeys(keys: string[], data: Record<string, unknown>[]): boolean {
      const seen = new Set<string>();
      const errors: Partial<ErrorObject>[] = [];
      data.forEach((item, i) => {
        const id = JSON.stringify(keys.map((k) => item?.[k]));
        if (seen.has(id)) {
          errors.push({
            keyword: 'x-list-map-keys',
            message: `duplicate entry ${id} at ${i}`,
            params: { keys },
          });
        }
        seen.add(id);
      });
      (validateMapKeys as { errors?: Partial<ErrorObject>[] }).errors = errors;
      return errors.length === 0;
    },
  });
  return ajv;
}

export interface SchemaError {
  /** JSON pointer, "" for the object itself. */
  path: string;
  message: string;
  /** The CEL rule that failed, for errors from x-kubernetes-validations. */
  rule?: string;
}

/** A validator for objects of one CRD version: OpenAPI schema, pruning as rejection, CEL. */
export function crdValidator(
  version: CrdVersion,
  ajv = createAjv(),
): { validate: (obj: unknown) => SchemaError[]; fn: ValidateFunction } {
  const fn = ajv.compile(toJsonSchema(version.schema.openAPIV3Schema));
  return {
    fn,
    validate: (obj) =>
      fn(obj)
        ? []
        : (fn.errors ?? []).map((e) => ({
            path: e.instancePath,
            message: e.message ?? e.keyword,
            ...(e.keyword === 'x-cel' ? { rule: (e.params as { rule: string }).rule } : {}),
          })),
  };
}
