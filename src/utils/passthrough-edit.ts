// Editing the BuildConfig annotations the policy passes through to build pods: which keys are
// allowed, which values core would drop (and why), and the JSON Patch that saves the edit without
// touching any other annotation. Pure.
import type { EffectivePolicy } from '@userns-builds/core';
import { annotationPath } from './buildconfig-toggle';
import type { BuildConfigLike, TogglePatch } from './buildconfig-toggle';
import { podPreview } from './pod-preview';

/** key -> value; an empty value means "no such annotation" (the input is cleared). */
export type AnnotationDraft = Record<string, string>;

/** The allowlisted keys, each once, in the policy's order. */
export function passthroughKeys(policy: EffectivePolicy | undefined): string[] {
  return [...new Set(policy?.passthroughAnnotations ?? [])];
}

/** The current values of the allowed keys ('' where absent). */
export function draftFrom(bc: BuildConfigLike, keys: readonly string[]): AnnotationDraft {
  const annotations = bc.metadata?.annotations ?? {};
  return Object.fromEntries(keys.map((k) => [k, annotations[k] ?? '']));
}

/** The BuildConfig's annotations with the draft applied (empty values removed). */
export function annotationsWithDraft(
  bc: BuildConfigLike,
  draft: AnnotationDraft,
): Record<string, string> {
  const out = new Map(Object.entries(bc.metadata?.annotations ?? {}));
  for (const [key, value] of Object.entries(draft)) {
    if (value === '') out.delete(key);
    else out.set(key, value);
  }
  return Object.fromEntries(out);
}

/**
 * Why core would drop each drafted value from the next build pod, by key: the same
 * planPodMutation the webhook runs, over the BuildConfig as it would be saved.
 */
export function draftDrops(
  policy: EffectivePolicy | undefined,
  bc: BuildConfigLike,
  draft: AnnotationDraft,
): Record<string, string> {
  const edited = {
    ...bc,
    metadata: { ...bc.metadata, annotations: annotationsWithDraft(bc, draft) },
  };
  const preview = podPreview(policy, edited);
  return Object.fromEntries(
    (preview?.plan.dropped ?? [])
      .filter((d) => d.from === 'BuildConfig' && d.key in draft)
      .map((d) => [d.key, d.reason]),
  );
}

/**
 * The JSON Patch that saves the draft, or [] when nothing changes. It tests the annotations it was
 * computed from first (or, when the BuildConfig has none, its resourceVersion: adding the whole
 * map would otherwise replace annotations someone else just added).
 */
export function annotationOperations(bc: BuildConfigLike, draft: AnnotationDraft): TogglePatch[] {
  const current = bc.metadata?.annotations;
  const changes: TogglePatch[] = [];
  for (const [key, value] of Object.entries(draft)) {
    const had = current !== undefined && Object.prototype.hasOwnProperty.call(current, key);
    if (value === '') {
      if (had) changes.push({ op: 'remove', path: annotationPath(key) });
    } else if (!had) changes.push({ op: 'add', path: annotationPath(key), value });
    else if (current[key] !== value)
      changes.push({ op: 'replace', path: annotationPath(key), value });
  }
  if (changes.length === 0) return [];
  if (!current) {
    const value = Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== ''));
    return [
      { op: 'test', path: '/metadata/resourceVersion', value: bc.metadata?.resourceVersion },
      { op: 'add', path: '/metadata/annotations', value },
    ];
  }
  return [{ op: 'test', path: '/metadata/annotations', value: current }, ...changes];
}
