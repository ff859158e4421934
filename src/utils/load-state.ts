// Turns what useK8sWatchResource returns for the `cluster` BuildPolicy into the one state the page
// renders. Pure, so every branch is tested without a DOM or the SDK.
import type { BuildPolicy } from '@userns-builds/core';
import { errorMessage } from './errors';

export type PolicyLoadState =
  | { state: 'loading' }
  | { state: 'loaded'; policy: BuildPolicy }
  /** NotFound: the API exists but there is no `cluster` object. NotInstalled: no CRD at all. */
  | { state: 'absent'; why: 'NotFound' | 'NotInstalled' }
  | { state: 'error'; status: number | undefined; message: string };

/** The same states for any watched singleton, its object under `object`. */
export type ObjectLoadState<T> =
  | { state: 'loading' }
  | { state: 'loaded'; object: T }
  | { state: 'absent'; why: 'NotFound' | 'NotInstalled' }
  | { state: 'error'; status: number | undefined; message: string };

/**
 * The HTTP status behind a watch error. The SDK's HttpError carries it as `code`; errors built
 * from a raw Response or a Kubernetes Status body carry it as `response.status` or `json.code`.
 */
export function errorStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; response?: { status?: unknown }; json?: { code?: unknown } };
  for (const candidate of [e.code, e.response?.status, e.json?.code]) {
    if (typeof candidate === 'number' && candidate >= 100 && candidate < 600) return candidate;
  }
  return undefined;
}

/**
 * The SDK reports a kind the console has no model for (our CRD is not installed) with its
 * NoModelError. The console's production build may minify class names, so match the message too.
 */
export function isNoModelError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'NoModelError' || err.message === 'Model does not exist';
}

function hasName(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const metadata = (data as { metadata?: unknown }).metadata;
  // While loading, the SDK hands back `{}`: a policy has at least a name.
  return (
    typeof metadata === 'object' &&
    metadata !== null &&
    typeof (metadata as { name?: unknown }).name === 'string'
  );
}

export function classifyPolicyLoad(
  data: unknown,
  loaded: boolean,
  loadError: unknown,
): PolicyLoadState {
  const load = classifyObjectLoad<BuildPolicy>(data, loaded, loadError);
  return load.state === 'loaded' ? { state: 'loaded', policy: load.object } : load;
}

export function classifyObjectLoad<T>(
  data: unknown,
  loaded: boolean,
  loadError: unknown,
): ObjectLoadState<T> {
  // The SDK can report an error with loaded still false, so the error wins.
  if (loadError) {
    if (isNoModelError(loadError)) return { state: 'absent', why: 'NotInstalled' };
    const status = errorStatus(loadError);
    if (status === 404) return { state: 'absent', why: 'NotFound' };
    return { state: 'error', status, message: errorMessage(loadError) };
  }
  if (!loaded) return { state: 'loading' };
  // A watch that finished without an object: the policy was deleted or never existed.
  if (!hasName(data)) return { state: 'absent', why: 'NotFound' };
  return { state: 'loaded', object: data as T };
}
