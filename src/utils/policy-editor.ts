// The policy editor's pure parts: validation messages by field, the user-namespace annotation
// presets and what the editor says about each mode. No React, no SDK.
import { CRIO_USERNS_ANNOTATION, validatePolicySpec } from '@userns-builds/core';
import type { FieldError, UserNamespaceMode } from '@userns-builds/core';
import { isObject } from './draft';

export const USERNS_ANNOTATION = CRIO_USERNS_ANNOTATION;

/** validatePolicySpec over a draft resource's spec (a missing spec is an empty one). */
export function validateDraft(resource: unknown): FieldError[] {
  const spec = isObject(resource) ? (resource.spec ?? {}) : {};
  const result = validatePolicySpec(spec);
  return result.ok ? [] : result.errors;
}

/**
 * The messages for one field: those at `path` itself and, with `nested`, those below it
 * (`path.x`, `path[0]`, `path["key"]`), so a list control shows its items' errors too.
 */
export function errorsAt(errors: readonly FieldError[], path: string, nested = true): string[] {
  return errors
    .filter(
      (e) =>
        e.path === path ||
        (nested && (e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`))),
    )
    .map((e) => (e.path === path ? e.message : `${e.path.slice(path.length)}: ${e.message}`));
}

export interface ModeRequirement {
  mode: UserNamespaceMode;
  /** What the node must run for builds to get a user namespace in this mode. */
  openshift: string;
  crio: string;
}

/**
 * OpenShift and CRI-O releases each mode needs. The CRI-O annotation is what OpenShift's own
 * build controller sets for BUILD_PRIVILEGED=false; hostUsers is Kubernetes' user namespace field,
 * generally available in OpenShift 4.20 (Kubernetes 1.33, CRI-O 1.33).
 */
export const MODE_REQUIREMENTS: readonly ModeRequirement[] = [
  { mode: 'CRIOAnnotation', openshift: '4.x (every supported release)', crio: '1.20 or later' },
  { mode: 'HostUsers', openshift: '4.20 or later', crio: '1.33 or later' },
  { mode: 'Both', openshift: '4.20 or later', crio: '1.33 or later' },
];

export const DEFAULT_USERNS_SIZE = 65536;

/** `auto:size=N`: CRI-O picks a free range of N IDs on the node for each build pod. */
export function autoSizeValue(size: number): string {
  return `auto:size=${size}`;
}

/** map-to-root: the build's user becomes root inside its namespace, never on the node. */
export function mapToRootValue(size: number): string {
  return `auto:size=${size};map-to-root=true`;
}

/** A whole positive 32-bit size from a text box, or undefined. */
export function parseSize(text: string): number | undefined {
  if (!/^\d{1,10}$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n > 0 && n <= 4294967295 ? n : undefined;
}
