// The four PATCH content types the API server accepts.
import { applyPatch, type Operation } from 'fast-json-patch';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest } from './errors';
import type { KubeObject } from './types';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType {
  const ct = (contentType ?? '').split(';')[0]!.trim();
  switch (ct) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) Reflect.deleteProperty(out, k);
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * Strategic merge patch, approximated: like a merge patch, except lists of objects keyed by
 * `name` (containers, env, volumes, ...) merge by that key instead of being replaced, and
 * `$patch: delete` removes a keyed element. Enough for kubectl's `patch` and `apply`.
 */
export function strategicMerge(target: Json, patch: Json): Json {
  if (Array.isArray(patch) && Array.isArray(target)) {
    const keyed = (l: Json[]) =>
      l.length > 0 && l.every((e) => isObject(e) && typeof e.name === 'string');
    if (!keyed(patch) || !(target.length === 0 || keyed(target))) return patch;
    const out = target.map((e) => e as Record<string, Json>);
    for (const p of patch as Record<string, Json>[]) {
      const i = out.findIndex((e) => e.name === p.name);
      if (p.$patch === 'delete') {
        if (i >= 0) out.splice(i, 1);
      } else if (i >= 0) out[i] = strategicMerge(out[i], p) as Record<string, Json>;
      else out.push(p);
    }
    return out;
  }
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) Reflect.deleteProperty(out, k);
    else out[k] = strategicMerge(out[k], v);
  }
  return out;
}

export function applyPatchBody(current: KubeObject, type: PatchType, body: string): KubeObject {
  let parsed: Json;
  try {
    parsed = type === 'apply' ? parseYaml(body) : JSON.parse(body);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  if (type === 'json') {
    if (!Array.isArray(parsed))
      throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    try {
      return applyPatch(structuredClone(current), parsed as Operation[], true, false).newDocument;
    } catch (e) {
      // A failed `test` op is how clients do compare-and-swap; the API server answers 422.
      const msg = (e as Error).message.split('\n')[0];
      throw new ApiError(
        422,
        'Invalid',
        `the server rejected our request due to an error in our request: ${msg}`,
      );
    }
  }
  if (!isObject(parsed)) throw badRequest('patch body must be a JSON object');
  return (
    type === 'merge' ? mergePatch(current, parsed) : strategicMerge(current, parsed)
  ) as KubeObject;
}
