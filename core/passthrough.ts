// Copying allowlisted Build/BuildConfig annotations onto the build pod, without ever letting them
// grant more than the policy does.
import { CRIO_BUILDER_ANNOTATION, OWN_PREFIX } from './constants';
import type { DroppedAnnotation, ObjectMeta } from './types';
import { crioAnnotationHazard } from './userns-mode';

export interface PassthroughResult {
  /** Key/value pairs to set on the pod, in allowlist order. */
  annotations: [string, string][];
  dropped: DroppedAnnotation[];
}

type Source = 'Build' | 'BuildConfig';

/**
 * The Build wins over its BuildConfig: it is the more specific object, and a Build annotated on
 * its own was annotated on purpose. A value that is dropped does not fall back to the BuildConfig,
 * because the Build asked for something else.
 */
export function selectPassthrough(
  allowlist: readonly string[],
  buildMeta: Pick<ObjectMeta, 'annotations'> | undefined,
  buildConfigMeta: Pick<ObjectMeta, 'annotations'> | undefined,
): PassthroughResult {
  const result: PassthroughResult = { annotations: [], dropped: [] };
  const seen = new Set<string>();
  for (const key of allowlist) {
    if (seen.has(key)) continue;
    seen.add(key);
    const candidate =
      lookup(key, 'Build', buildMeta) ?? lookup(key, 'BuildConfig', buildConfigMeta);
    if (!candidate) continue;
    const reason = refusal(key, candidate.value);
    if (reason === undefined) result.annotations.push([key, candidate.value as string]);
    else result.dropped.push({ key, value: String(candidate.value), from: candidate.from, reason });
  }
  return result;
}

function lookup(
  key: string,
  from: Source,
  meta: Pick<ObjectMeta, 'annotations'> | undefined,
): { value: unknown; from: Source } | undefined {
  const annotations: unknown = meta?.annotations;
  if (typeof annotations !== 'object' || annotations === null) return undefined;
  if (!Object.prototype.hasOwnProperty.call(annotations, key)) return undefined;
  return { value: (annotations as Record<string, unknown>)[key], from };
}

export const ISOLATION = 'it would undo the isolation user namespaces give';

function refusal(key: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return 'the value is not a string';
  if (key.startsWith(OWN_PREFIX)) {
    return `${OWN_PREFIX} annotations record this product's own decision and are never passed through`;
  }
  if (key === CRIO_BUILDER_ANNOTATION) {
    return `${CRIO_BUILDER_ANNOTATION} unlocks CRI-O's builder annotations; only the policy may set it`;
  }
  const hazard = crioAnnotationHazard(key, value);
  return hazard && `${hazard}; ${ISOLATION}`;
}
