import type { BuildPolicySpec } from './types';

export interface FieldError {
  /** e.g. "spec.buildDefaults.annotations[\"bad key\"]" */
  path: string;
  message: string;
}

export type ValidationResult =
  { ok: true; spec: BuildPolicySpec } | { ok: false; errors: FieldError[] };

/** Validates untrusted input as a BuildPolicy spec. Never throws; reports every error at once. */
export declare function validatePolicySpec(input: unknown): ValidationResult;
