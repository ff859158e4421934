// The compliance API client: URLs through the console's plugin proxy, the answers' shapes checked
// at the door, and every failure turned into one typed ComplianceError the panels can explain.
// It takes the fetch function as an argument, so hooks pass the console's and tests pass a stub.
import { isObject, type Verdict } from '@userns-builds/core';
import { VERDICTS } from '../utils/build-evidence';
import { errorStatus } from '../utils/load-state';

export const PLUGIN_NAME = 'userns-builds';
/** The ConsolePlugin `spec.proxy` alias of the backend service. */
export const BACKEND_PROXY_ALIAS = 'backend';

export type Strategy = 'Docker' | 'Source' | 'Custom';
export const STRATEGIES: readonly Strategy[] = ['Docker', 'Source', 'Custom'];

export type ByVerdict = Record<Verdict, number>;

export interface NamespaceCount {
  namespace: string;
  total: number;
  byVerdict: ByVerdict;
}

export interface BuildConfigCount extends NamespaceCount {
  buildConfig: string;
}

export interface DayCount {
  /** UTC day, YYYY-MM-DD. */
  date: string;
  byVerdict: ByVerdict;
}

export interface ComplianceSummary {
  total: number;
  byVerdict: ByVerdict;
  byNamespace: NamespaceCount[];
  byBuildConfig: BuildConfigCount[];
  byDay: DayCount[];
}

export interface BuildRow {
  namespace: string;
  name: string;
  buildConfig?: string;
  strategy?: string;
  phase?: string;
  created: string;
  verdict: Verdict;
  evidence?: string;
  decisionSource?: string;
}

export interface BuildsPage {
  items: BuildRow[];
  continue?: string;
  total: number;
}

/** The filters every endpoint accepts. Empty values mean "no filter". */
export interface ComplianceFilter {
  since?: string;
  until?: string;
  namespace?: readonly string[];
  buildConfig?: string;
  verdict?: readonly Verdict[];
  strategy?: Strategy;
  q?: string;
}

/** Sort keys the table offers; `-` prefix is descending (the API's default is `-created`). */
export type SortKey = 'created' | '-created' | 'name' | '-name' | 'namespace' | '-namespace';
export const SORT_KEYS: readonly SortKey[] = [
  'created',
  '-created',
  'name',
  '-name',
  'namespace',
  '-namespace',
];

export interface PageRequest {
  limit?: number;
  continue?: string;
  sort?: SortKey;
}

export type ExportFormat = 'csv' | 'json';

/**
 * Why a request failed, in the terms a panel explains to its reader:
 * - Unauthorized: the session's token was refused (401).
 * - Forbidden: the proxy or the backend refused this user outright (403).
 * - BadRequest: a parameter was refused (400); `parameter` names it when the Status does.
 * - Expired: a continue token is too old or not ours (410); start the walk again.
 * - NotFound: the backend has no such endpoint (404): an older backend, or the proxy alias is wrong.
 * - Unavailable: the backend is down, not ready or unreachable (502, 503, 504, network error).
 * - Server: any other failure of the backend (5xx).
 * - Invalid: the backend answered with something that is not what the API promises.
 */
export type ComplianceErrorKind =
  | 'Unauthorized'
  | 'Forbidden'
  | 'BadRequest'
  | 'Expired'
  | 'NotFound'
  | 'Unavailable'
  | 'Server'
  | 'Invalid';

export class ComplianceError extends Error {
  constructor(
    readonly kind: ComplianceErrorKind,
    message: string,
    readonly status?: number,
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'ComplianceError';
  }
}

/** The console's fetch: resolves a Response, or rejects with an HttpError for a non-2xx status. */
export type Fetcher = (url: string, init?: RequestInit, timeoutMs?: number) => Promise<Response>;

/** The proxy base for one API path, e.g. `/api/proxy/plugin/userns-builds/backend/api/v1/compliance/summary`. */
export const complianceUrl = (endpoint: 'summary' | 'builds' | 'export', query = ''): string =>
  `/api/proxy/plugin/${PLUGIN_NAME}/${BACKEND_PROXY_ALIAS}/api/v1/compliance/${endpoint}${
    query ? `?${query}` : ''
  }`;

/** The query string for a filter (and paging/format extras), in a stable order. */
export function filterQuery(
  filter: ComplianceFilter,
  extra: Record<string, string | number | undefined> = {},
): string {
  const p = new URLSearchParams();
  if (filter.since) p.set('since', filter.since);
  if (filter.until) p.set('until', filter.until);
  filter.namespace?.forEach((n) => n && p.append('namespace', n));
  if (filter.buildConfig) p.set('buildConfig', filter.buildConfig);
  filter.verdict?.forEach((v) => p.append('verdict', v));
  if (filter.strategy) p.set('strategy', filter.strategy);
  if (filter.q) p.set('q', filter.q);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') p.set(k, String(v));
  return p.toString();
}

const statusKind = (status: number): ComplianceErrorKind => {
  if (status === 401) return 'Unauthorized';
  if (status === 403) return 'Forbidden';
  if (status === 400 || status === 422) return 'BadRequest';
  if (status === 410) return 'Expired';
  if (status === 404) return 'NotFound';
  if (status === 502 || status === 503 || status === 504) return 'Unavailable';
  return 'Server';
};

interface StatusBody {
  message?: unknown;
  details?: { causes?: { field?: unknown; message?: unknown }[]; name?: unknown };
}

/**
 * The refused parameter: a Kubernetes Status names it in its first cause's `field`; the compliance
 * API names it in its message, `invalid query parameter "since": ...`.
 */
const parameterOf = (body: unknown): string | undefined => {
  if (!isObject(body)) return undefined;
  const field = (body as StatusBody).details?.causes?.[0]?.field;
  if (typeof field === 'string' && field) return field;
  const m = (body as StatusBody).message;
  return typeof m === 'string' ? /^invalid query parameter "([^"]{1,64})"/.exec(m)?.[1] : undefined;
};

const messageOf = (body: unknown, fallback: string): string => {
  const m = isObject(body) ? (body as StatusBody).message : undefined;
  return typeof m === 'string' && m ? m : fallback;
};

async function errorFromResponse(response: Response): Promise<ComplianceError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const fallback = response.statusText || `HTTP ${response.status}`;
  return new ComplianceError(
    statusKind(response.status),
    messageOf(body, fallback),
    response.status,
    parameterOf(body),
  );
}

/** Whatever the fetcher threw, as a ComplianceError (an abort is passed through untouched). */
export function toComplianceError(err: unknown): ComplianceError | DOMException {
  if (err instanceof ComplianceError) return err;
  if (err instanceof DOMException && err.name === 'AbortError') return err;
  const status = errorStatus(err);
  const e = err as { message?: unknown; json?: unknown };
  const message = typeof e?.message === 'string' && e.message ? e.message : String(err);
  if (status === undefined) {
    // No status at all: the request never got an answer (network, proxy gone, console timeout).
    return new ComplianceError('Unavailable', message);
  }
  return new ComplianceError(
    statusKind(status),
    messageOf(e.json, message),
    status,
    parameterOf(e.json),
  );
}

export const isAbort = (err: unknown): boolean =>
  (err instanceof DOMException || err instanceof Error) && err.name === 'AbortError';

const isUnreadResponse = (v: unknown): v is Response =>
  isObject(v) &&
  typeof v.status === 'number' &&
  typeof v.json === 'function' &&
  v.bodyUsed === false;

/** Sends one request; a non-2xx answer (resolved or thrown) becomes a ComplianceError. */
async function send(
  fetcher: Fetcher,
  url: string,
  signal: AbortSignal | undefined,
  timeoutMs?: number,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetcher(url, { headers: { accept: 'application/json' }, signal }, timeoutMs);
  } catch (err) {
    const e = toComplianceError(err);
    // An HttpError may carry the Response: read its Status body for the parameter name.
    const res = (err as { response?: unknown })?.response;
    if (e instanceof ComplianceError && isUnreadResponse(res)) {
      throw await errorFromResponse(res);
    }
    throw e;
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

async function json(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ComplianceError('Invalid', 'the compliance API answered with something not JSON');
  }
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

const isByVerdict = (v: unknown): v is ByVerdict =>
  isObject(v) && VERDICTS.every((k) => v[k] === undefined || isCount(v[k]));

/** Missing verdict keys count as zero, so a panel never reads `undefined`. */
const fullByVerdict = (v: Partial<ByVerdict>): ByVerdict => ({
  UserNamespaced: v.UserNamespaced ?? 0,
  Requested: v.Requested ?? 0,
  Privileged: v.Privileged ?? 0,
  Unknown: v.Unknown ?? 0,
});

const invalid = (what: string) =>
  new ComplianceError('Invalid', `the compliance API answered with a malformed ${what}`);

/** Checks a summary body against the contract; throws Invalid naming what was wrong. */
export function parseSummary(body: unknown): ComplianceSummary {
  if (!isObject(body) || !isCount(body.total) || !isByVerdict(body.byVerdict))
    throw invalid('summary');
  const list = (key: string): Record<string, unknown>[] => {
    const v = body[key] ?? [];
    if (!Array.isArray(v) || !v.every(isObject)) throw invalid(`summary (${key})`);
    return v;
  };
  const ns = list('byNamespace').map((r) => {
    if (typeof r.namespace !== 'string' || !isCount(r.total) || !isByVerdict(r.byVerdict))
      throw invalid('summary (byNamespace)');
    return { namespace: r.namespace, total: r.total, byVerdict: fullByVerdict(r.byVerdict) };
  });
  const bc = list('byBuildConfig').map((r) => {
    if (
      typeof r.namespace !== 'string' ||
      typeof r.buildConfig !== 'string' ||
      !isCount(r.total) ||
      !isByVerdict(r.byVerdict)
    )
      throw invalid('summary (byBuildConfig)');
    return {
      namespace: r.namespace,
      buildConfig: r.buildConfig,
      total: r.total,
      byVerdict: fullByVerdict(r.byVerdict),
    };
  });
  const days = list('byDay').map((r) => {
    if (
      typeof r.date !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}$/.test(r.date) ||
      !isByVerdict(r.byVerdict)
    )
      throw invalid('summary (byDay)');
    return { date: r.date, byVerdict: fullByVerdict(r.byVerdict) };
  });
  return {
    total: body.total,
    byVerdict: fullByVerdict(body.byVerdict),
    byNamespace: ns,
    byBuildConfig: bc,
    byDay: days,
  };
}

/** Optional fields arrive as a string, null or not at all. */
const optString = (v: unknown): v is string | null | undefined =>
  v === undefined || v === null || typeof v === 'string';

const OPTIONAL_ROW_FIELDS = [
  'buildConfig',
  'strategy',
  'phase',
  'evidence',
  'decisionSource',
] as const;

/** Checks a builds page against the contract; throws Invalid naming what was wrong. */
export function parseBuildsPage(body: unknown): BuildsPage {
  if (!isObject(body) || !Array.isArray(body.items) || !isCount(body.total))
    throw invalid('builds page');
  if (!optString(body.continue)) throw invalid('builds page (continue)');
  const items = body.items.map((r: unknown): BuildRow => {
    if (
      !isObject(r) ||
      typeof r.namespace !== 'string' ||
      typeof r.name !== 'string' ||
      typeof r.created !== 'string' ||
      !VERDICTS.includes(r.verdict as Verdict) ||
      !OPTIONAL_ROW_FIELDS.every((k) => optString(r[k]))
    )
      throw invalid('builds page (items)');
    const row: BuildRow = {
      namespace: r.namespace,
      name: r.name,
      created: r.created,
      verdict: r.verdict as Verdict,
    };
    for (const k of OPTIONAL_ROW_FIELDS) if (typeof r[k] === 'string' && r[k]) row[k] = r[k];
    return row;
  });
  return { items, total: body.total, ...(body.continue ? { continue: body.continue } : {}) };
}

export async function fetchSummary(
  fetcher: Fetcher,
  filter: ComplianceFilter,
  signal?: AbortSignal,
): Promise<ComplianceSummary> {
  const res = await send(fetcher, complianceUrl('summary', filterQuery(filter)), signal);
  return parseSummary(await json(res));
}

export async function fetchBuilds(
  fetcher: Fetcher,
  filter: ComplianceFilter,
  page: PageRequest,
  signal?: AbortSignal,
): Promise<BuildsPage> {
  const query = filterQuery(filter, {
    limit: page.limit,
    continue: page.continue,
    // The API's default order needs no parameter; sending it keeps URLs shorter.
    sort: page.sort === '-created' ? undefined : page.sort,
  });
  const res = await send(fetcher, complianceUrl('builds', query), signal);
  return parseBuildsPage(await json(res));
}

export interface ExportProgress {
  bytes: number;
  /** Data rows so far (CSV: lines after the header; JSON: top-level objects seen). */
  rows: number;
}

export interface ExportResult extends ExportProgress {
  blob: Blob;
  filename: string;
}

const FILENAME = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i;

/** A safe download name: the server's, reduced to plain characters, or one made from the date. */
export function exportFilename(
  disposition: string | null,
  format: ExportFormat,
  now: Date,
): string {
  const given = disposition?.match(FILENAME)?.[1];
  let decoded = given;
  try {
    decoded = given ? decodeURIComponent(given) : undefined;
  } catch {
    decoded = given;
  }
  const clean = decoded?.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._]+/, '');
  if (clean && clean.length <= 128) return clean;
  return `userns-builds-${now.toISOString().slice(0, 10)}.${format}`;
}

/**
 * Counts rows in a streamed export as chunks arrive, without holding the text: CSV rows are
 * newlines outside quotes (minus the header); JSON rows are objects opened at depth 1.
 */
export function rowCounter(format: ExportFormat): { push(chunk: string): void; rows(): number } {
  let lines = 0;
  let inQuotes = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let objects = 0;
  let lastChar = '';
  return {
    push(chunk: string) {
      for (const ch of chunk) {
        if (format === 'csv') {
          if (ch === '"') inQuotes = !inQuotes;
          else if (ch === '\n' && !inQuotes) lines++;
        } else if (inString) {
          if (escaped) escaped = false;
          else if (ch === '\\') escaped = true;
          else if (ch === '"') inString = false;
        } else if (ch === '"') inString = true;
        else if (ch === '[' || ch === '{') {
          if (ch === '{' && depth === 1) objects++;
          depth++;
        } else if (ch === ']' || ch === '}') depth--;
        lastChar = ch;
      }
    },
    rows() {
      if (format === 'json') return objects;
      // A last line without a newline still is a row; the header is not.
      const total = lines + (lastChar && lastChar !== '\n' ? 1 : 0);
      return Math.max(0, total - 1);
    },
  };
}

/**
 * Streams an export of the filter, reporting progress per chunk; abort the signal to cancel.
 * The body is kept as Blob parts (not one string) so a large export does not need twice its size.
 */
export async function streamExport(
  fetcher: Fetcher,
  filter: ComplianceFilter,
  format: ExportFormat,
  onProgress: (p: ExportProgress) => void,
  signal: AbortSignal,
  sort?: SortKey,
  now: () => Date = () => new Date(),
): Promise<ExportResult> {
  // No client timeout: a large export takes as long as it takes; the user can cancel it.
  const res = await send(
    fetcher,
    complianceUrl(
      'export',
      filterQuery(filter, { format, sort: sort === '-created' ? undefined : sort }),
    ),
    signal,
    0,
  );
  const type = format === 'csv' ? 'text/csv' : 'application/json';
  const counter = rowCounter(format);
  const parts: BlobPart[] = [];
  let bytes = 0;
  const decoder = new TextDecoder();
  const reader = res.body?.getReader();
  if (!reader) {
    const text = await res.text();
    counter.push(text);
    parts.push(text);
    bytes = new TextEncoder().encode(text).length;
  } else {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.byteLength;
        counter.push(decoder.decode(value, { stream: true }));
        onProgress({ bytes, rows: counter.rows() });
      }
    } catch (err) {
      if (isAbort(err) || signal.aborted) throw new DOMException('export cancelled', 'AbortError');
      throw new ComplianceError('Unavailable', `the export stopped: ${(err as Error).message}`);
    } finally {
      reader.releaseLock();
    }
  }
  const progress = { bytes, rows: counter.rows() };
  onProgress(progress);
  return {
    ...progress,
    blob: new Blob(parts, { type }),
    filename: exportFilename(res.headers.get('content-disposition'), format, now()),
  };
}
