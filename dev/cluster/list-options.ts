// The query parameters of list and watch requests, read once and checked as the API server checks
// them: its ListOptions validation (422 Invalid), and 400 for a value that does not parse.
import type { ListQuery } from './api';
import { badRequest, invalid, type StatusCause } from './errors';

export interface WatchQuery {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  timeoutSeconds?: number;
  sendInitialEvents: boolean;
  allowBookmarks: boolean;
}

// A Node timer holds at most 2^31-1 ms (about 24.8 days); a longer one would fire at once.
const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** An integer parameter (`limit`, `timeoutSeconds`); malformed is a 400, not silently ignored. */
function integer(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw badRequest(`invalid value for ${name}: ${JSON.stringify(raw)} is not an integer`);
  return Number(raw);
}

/** A string parameter, absent when empty, as the API server reads one. */
function text(q: URLSearchParams, name: string): string | undefined {
  return q.get(name) || undefined;
}

/** The API server's ListOptions validation (422 `ListOptions.meta.k8s.io "" is invalid`). */
function validate(q: URLSearchParams, watch: boolean): void {
  const match = q.get('resourceVersionMatch') ?? '';
  const rv = q.get('resourceVersion') ?? '';
  const sendInitialEvents = q.get('sendInitialEvents');
  const causes: StatusCause[] = [];
  const forbid = (field: string, message: string) =>
    causes.push({ reason: 'FieldValueForbidden', field, message: `Forbidden: ${message}` });
  const notSupported = (values: string[]) =>
    causes.push({
      reason: 'FieldValueNotSupported',
      field: 'resourceVersionMatch',
      message: `Unsupported value: "${match}": supported values: ${values.map((v) => `"${v}"`).join(', ')}`,
    });
  if (watch) {
    if (sendInitialEvents !== null && match !== 'NotOlderThan')
      forbid(
        'resourceVersionMatch',
        'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      );
    if (match) {
      if (sendInitialEvents === null)
        forbid(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        );
      if (match !== 'NotOlderThan') notSupported(['NotOlderThan']);
      if (q.get('continue'))
        forbid(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden when continue is provided',
        );
    }
  } else {
    if (match) {
      if (!rv)
        forbid(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden unless resourceVersion is provided',
        );
      if (q.get('continue'))
        forbid(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden when continue is provided',
        );
      if (match !== 'Exact' && match !== 'NotOlderThan')
        notSupported(['Exact', 'NotOlderThan', '']);
      if (match === 'Exact' && rv === '0')
        forbid(
          'resourceVersionMatch',
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        );
    }
    if (sendInitialEvents !== null)
      forbid('sendInitialEvents', 'sendInitialEvents is forbidden for list');
  }
  if (causes.length) throw invalid('ListOptions', '', causes, 'meta.k8s.io');
}

/** A list's (or deletecollection's) options. */
export function listQuery(q: URLSearchParams): ListQuery {
  validate(q, false);
  const limit = integer(q, 'limit');
  const resourceVersion = text(q, 'resourceVersion');
  const cont = text(q, 'continue');
  // A continue token carries the version of the list it continues; etcd refuses a second one.
  if (cont && resourceVersion && resourceVersion !== '0')
    throw badRequest('specifying resource version is not allowed when using continue');
  const resourceVersionMatch = text(q, 'resourceVersionMatch');
  const labelSelector = text(q, 'labelSelector');
  const fieldSelector = text(q, 'fieldSelector');
  return {
    ...(resourceVersion ? { resourceVersion } : {}),
    ...(resourceVersionMatch ? { resourceVersionMatch } : {}),
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
    ...(limit ? { limit } : {}),
    ...(cont ? { continue: cont } : {}),
  };
}

/** A watch's options, checked before its 200 (or WebSocket upgrade) goes out. */
export function watchQuery(q: URLSearchParams): WatchQuery {
  validate(q, true);
  const timeout = integer(q, 'timeoutSeconds');
  const labelSelector = text(q, 'labelSelector');
  const fieldSelector = text(q, 'fieldSelector');
  // An empty resourceVersion is kept: it is "from now", as is "0".
  const resourceVersion = q.get('resourceVersion');
  return {
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
    ...(resourceVersion !== null ? { resourceVersion } : {}),
    ...(timeout ? { timeoutSeconds: Math.min(timeout, MAX_TIMEOUT_SECONDS) } : {}),
    sendInitialEvents: q.get('sendInitialEvents') === 'true',
    allowBookmarks: q.get('allowWatchBookmarks') === 'true',
  };
}
