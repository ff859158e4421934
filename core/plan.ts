import type { Decision } from './decision';
import type { Build, EffectivePolicy, ObjectMeta, Pod } from './types';

/** One RFC 6902 operation. Plans use only add/replace/remove, always with JSON Pointer paths. */
export type PatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

export interface DroppedAnnotation {
  key: string;
  value: string;
  /** Where it came from: the Build or the BuildConfig. */
  from: 'Build' | 'BuildConfig';
  reason: string;
}

export interface PlanInput {
  policy: EffectivePolicy | undefined;
  pod: Pod;
  /** Namespace of the request (the pod's metadata.namespace may be empty at admission). */
  namespace: string;
  /** The Build as decoded from the pod's BUILD env var, or as read from the cluster. */
  build?: Build | undefined;
  /** Annotations of the Build and BuildConfig, for passthrough (metadata-only caches). */
  buildMeta?: Pick<ObjectMeta, 'annotations'> | undefined;
  buildConfigMeta?: Pick<ObjectMeta, 'annotations'> | undefined;
}

export interface MutationPlan {
  decision: Decision;
  /** Empty when the pod already has the planned shape, or is not a build pod. */
  operations: PatchOperation[];
  /** Set when the decision is user namespaces but the pod cannot take them in this mode. */
  blocked?: { reason: string } | undefined;
  dropped: DroppedAnnotation[];
  /** Short notes for AdmissionReview warnings. */
  warnings: string[];
}

export declare function planPodMutation(input: PlanInput): MutationPlan;

/** Reads the Build a build pod carries JSON-encoded in its build container's BUILD env var. */
export declare function buildFromPod(pod: Pod): Build | undefined;
