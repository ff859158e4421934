import { CRIO_BUILDER_ANNOTATION, OWN_PREFIX } from './constants';
import {
  annotationsSize,
  dnsLabelErrors,
  qualifiedNameErrors,
  TOTAL_ANNOTATION_SIZE_MAX,
} from './names';
import type { BuildPolicySpec, StringMap } from './types';
import { crioAnnotationHazard } from './userns-mode';

export interface FieldError {
  /** e.g. "spec.buildDefaults.annotations[\"bad key\"]" */
  path: string;
  message: string;
}

export type ValidationResult =
  { ok: true; spec: BuildPolicySpec } | { ok: false; errors: FieldError[] };

type Json = Record<string, unknown>;

const ENUMS = {
  default: ['Enabled', 'Disabled'],
  override: ['Required', 'None'],
  mode: ['CRIOAnnotation', 'HostUsers', 'Both'],
} as const;

/** Collects every error instead of stopping at the first, so an editor can show them all. */
class Collector {
  readonly errors: FieldError[] = [];
  add(path: string, message: string): void {
    this.errors.push({ path, message });
  }
}

/** Validates untrusted input as a BuildPolicy spec. Never throws; reports every error at once. */
export function validatePolicySpec(input: unknown): ValidationResult {
  const errors = new Collector();
  const spec: BuildPolicySpec = {};
  const root = asObject(input, 'spec', errors);
  if (root) {
    unknownFields(
      root,
      'spec',
      [
        'userNamespaces',
        'buildDefaults',
        'buildOverrides',
        'passthroughAnnotations',
        'runtimeEvidence',
      ],
      errors,
    );
    const userNamespaces = validateUserNamespaces(root.userNamespaces, errors);
    if (userNamespaces) spec.userNamespaces = userNamespaces;
    for (const field of ['buildDefaults', 'buildOverrides'] as const) {
      const block = validateAnnotationBlock(root[field], `spec.${field}`, errors);
      if (block) spec[field] = block;
    }
    const passthrough = validatePassthrough(root.passthroughAnnotations, errors);
    if (passthrough) spec.passthroughAnnotations = passthrough;
    const evidence = root.runtimeEvidence;
    if (evidence === 'Enabled' || evidence === 'Disabled') spec.runtimeEvidence = evidence;
    else if (!isAbsent(evidence)) {
      errors.add(
        'spec.runtimeEvidence',
        `must be one of Enabled, Disabled; got ${describe(evidence)}`,
      );
    }
  }
  return errors.errors.length === 0 ? { ok: true, spec } : { ok: false, errors: errors.errors };
}

// A field set to null means the same as an absent one, as in Kubernetes manifests.
function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function asObject(value: unknown, path: string, errors: Collector): Json | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  errors.add(path, `must be an object, got ${describe(value)}`);
  return undefined;
}

function unknownFields(object: Json, path: string, known: readonly string[], errors: Collector) {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      errors.add(`${path}.${key}`, `unknown field; expected one of ${known.join(', ')}`);
    }
  }
}

function validateUserNamespaces(
  value: unknown,
  errors: Collector,
): BuildPolicySpec['userNamespaces'] {
  const path = 'spec.userNamespaces';
  if (isAbsent(value)) return undefined;
  const object = asObject(value, path, errors);
  if (!object) return undefined;
  unknownFields(object, path, [...Object.keys(ENUMS), 'exemptNamespaces'], errors);
  const result: NonNullable<BuildPolicySpec['userNamespaces']> = {};
  for (const field of Object.keys(ENUMS) as (keyof typeof ENUMS)[]) {
    const raw = object[field];
    if (isAbsent(raw)) continue;
    const allowed: readonly string[] = ENUMS[field];
    if (typeof raw === 'string' && allowed.includes(raw)) {
      Object.assign(result, { [field]: raw });
    } else {
      errors.add(`${path}.${field}`, `must be one of ${allowed.join(', ')}; got ${describe(raw)}`);
    }
  }
  const namespaces = stringList(object.exemptNamespaces, `${path}.exemptNamespaces`, errors, (ns) =>
    dnsLabelErrors(ns).map((e) => `namespace name ${e}`),
  );
  if (namespaces) result.exemptNamespaces = namespaces;
  return result;
}

function validateAnnotationBlock(
  value: unknown,
  path: string,
  errors: Collector,
): { annotations?: StringMap } | undefined {
  if (isAbsent(value)) return undefined;
  const object = asObject(value, path, errors);
  if (!object) return undefined;
  unknownFields(object, path, ['annotations'], errors);
  if (isAbsent(object.annotations)) return {};
  const annotationsPath = `${path}.annotations`;
  const annotations = asObject(object.annotations, annotationsPath, errors);
  if (!annotations) return undefined;
  const result: StringMap = {};
  for (const [key, raw] of Object.entries(annotations)) {
    const keyPath = `${annotationsPath}[${JSON.stringify(key)}]`;
    for (const message of annotationKeyErrors(key)) errors.add(keyPath, message);
    if (key.startsWith(OWN_PREFIX)) {
      errors.add(keyPath, `keys under ${OWN_PREFIX} are reserved for the decision stamp`);
    }
    if (typeof raw !== 'string') {
      errors.add(keyPath, `value must be a string, got ${describe(raw)}`);
      continue;
    }
    // A policy grants nothing a passthrough annotation could not: on a builder pod these values
    // are what CRI-O obeys, so one that maps onto node IDs or adds a device is refused here.
    const hazard = crioAnnotationHazard(key, raw);
    if (hazard !== undefined) errors.add(keyPath, hazard);
    result[key] = raw;
  }
  const size = annotationsSize(result);
  if (size > TOTAL_ANNOTATION_SIZE_MAX) {
    errors.add(
      annotationsPath,
      `annotations total ${size} bytes, more than the ${TOTAL_ANNOTATION_SIZE_MAX}-byte limit`,
    );
  }
  return { annotations: result };
}

function annotationKeyErrors(key: string): string[] {
  return qualifiedNameErrors(key).map((e) => `annotation key ${e}`);
}

function validatePassthrough(value: unknown, errors: Collector): string[] | undefined {
  return stringList(value, 'spec.passthroughAnnotations', errors, (key) => {
    const messages = annotationKeyErrors(key);
    if (key.startsWith(OWN_PREFIX) || key === CRIO_BUILDER_ANNOTATION) {
      messages.push(`${key} is set by the policy itself and cannot be passed through`);
    }
    return messages;
  });
}

/** A list of unique strings, each checked by `check`. */
function stringList(
  value: unknown,
  path: string,
  errors: Collector,
  check: (item: string) => string[],
): string[] | undefined {
  if (isAbsent(value)) return undefined;
  if (!Array.isArray(value)) {
    errors.add(path, `must be a list of strings, got ${describe(value)}`);
    return undefined;
  }
  const seen = new Set<string>();
  const result: string[] = [];
  value.forEach((item: unknown, index) => {
    const itemPath = `${path}[${index}]`;
    if (typeof item !== 'string') {
      errors.add(itemPath, `must be a string, got ${describe(item)}`);
      return;
    }
    for (const message of check(item)) errors.add(itemPath, message);
    if (seen.has(item)) errors.add(itemPath, `duplicate entry ${JSON.stringify(item)}`);
    seen.add(item);
    result.push(item);
  });
  return result;
}
