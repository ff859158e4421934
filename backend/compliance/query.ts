// Query parameters of the compliance endpoints → typed filters, or a 400 naming the parameter.
// Pure: tested without HTTP. Unknown parameters are refused too, so a client's typo is an error
// and not a silently unfiltered answer.
import { dnsLabelErrors, subdomainErrors, VERDICTS, type Verdict } from '@userns-builds/core';
import { HttpError } from '../http';
import { STRATEGIES, type BuildRow, type Strategy } from './rows';

export const SORTS = ['-created', 'created', 'namespace', '-namespace', 'name', '-name'] as const;
export type Sort = (typeof SORTS)[number];
export const FORMATS = ['csv', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export const LIMIT_MAX = 500;
export const LIMIT_DEFAULT = 50;
const Q_MAX = 253;

export interface Filters {
  /** undefined: every namespace the caller may list. */
  namespaces: ReadonlySet<string> | undefined;
  buildConfig: string | undefined;
  verdicts: ReadonlySet<Verdict> | undefined;
  strategy: Strategy | undefined;
  q: string | undefined;
  /** Inclusive lower bound on creation time (ms). */
  sinceMs: number | undefined;
  /** Exclusive upper bound on creation time (ms). */
  untilMs: number | undefined;
}

export interface BuildsQuery {
  filters: Filters;
  limit: number;
  continueToken: string | undefined;
  sort: Sort;
}

export interface ExportQuery {
  filters: Filters;
  format: Format;
  sort: Sort;
}

export function badParameter(name: string, problem: string): HttpError {
  return new HttpError(400, 'BadRequest', `invalid query parameter "${name}": ${problem}`);
}

const FILTER_PARAMS = ['namespace', 'buildConfig', 'verdict', 'strategy', 'q', 'since', 'until'];
const REPEATABLE = new Set(['namespace', 'verdict']);

function checkNames(query: URLSearchParams, allowed: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of query.keys()) {
    if (!allowed.includes(name)) {
      const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
      throw badParameter(shown, `unknown parameter; expected one of ${allowed.join(', ')}`);
    }
    if (seen.has(name) && !REPEATABLE.has(name)) throw badParameter(name, 'may be given only once');
    seen.add(name);
  }
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** RFC 3339 date-time → ms; undefined when absent; throws naming `name` when malformed. */
export function parseTime(name: string, raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const m = RFC3339.exec(raw);
  const [year, month, day, hour, minute, second] = (m?.slice(1, 7) ?? []).map(Number);
  const ms = m ? Date.parse(raw.toUpperCase()) : NaN;
  // Date.parse rolls 2024-02-30 over to March: a date must read back as itself.
  const valid =
    m !== null &&
    !Number.isNaN(ms) &&
    new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0)).getUTCDate() === day &&
    (hour ?? 99) < 24 &&
    (minute ?? 99) < 60 &&
    (second ?? 99) < 61;
  if (!valid) throw badParameter(name, 'must be an RFC 3339 date-time, e.g. 2025-11-20T00:00:00Z');
  return ms;
}

function one<T extends string>(
  name: string,
  raw: string | null,
  options: readonly T[],
): T | undefined {
  if (raw === null) return undefined;
  if (!(options as readonly string[]).includes(raw)) {
    throw badParameter(name, `must be one of ${options.join(', ')}`);
  }
  return raw as T;
}

export function parseFilters(query: URLSearchParams): Filters {
  let namespaces: Set<string> | undefined;
  if (query.has('namespace')) {
    namespaces = new Set();
    for (const ns of query.getAll('namespace')) {
      if (dnsLabelErrors(ns).length) throw badParameter('namespace', 'must be a namespace name');
      namespaces.add(ns);
    }
  }
  const buildConfig = query.get('buildConfig') ?? undefined;
  if (buildConfig !== undefined && subdomainErrors(buildConfig).length) {
    throw badParameter('buildConfig', 'must be a BuildConfig name');
  }
  let verdicts: Set<Verdict> | undefined;
  if (query.has('verdict')) {
    verdicts = new Set(
      query.getAll('verdict').map((v) => one('verdict', v, VERDICTS) ?? 'Unknown'),
    );
  }
  const strategy = one('strategy', query.get('strategy'), STRATEGIES);
  const q = query.get('q') ?? undefined;
  if (q !== undefined && (q.length === 0 || q.length > Q_MAX)) {
    throw badParameter('q', `must be 1 to ${Q_MAX} characters`);
  }
  const sinceMs = parseTime('since', query.get('since'));
  const untilMs = parseTime('until', query.get('until'));
  if (sinceMs !== undefined && untilMs !== undefined && untilMs <= sinceMs) {
    throw badParameter('until', 'must be later than since');
  }
  return { namespaces, buildConfig, verdicts, strategy, q, sinceMs, untilMs };
}

export function parseSummaryQuery(query: URLSearchParams): Filters {
  checkNames(query, FILTER_PARAMS);
  return parseFilters(query);
}

export function parseBuildsQuery(query: URLSearchParams): BuildsQuery {
  checkNames(query, [...FILTER_PARAMS, 'limit', 'continue', 'sort']);
  const filters = parseFilters(query);
  const rawLimit = query.get('limit');
  let limit = LIMIT_DEFAULT;
  if (rawLimit !== null) {
    limit = /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= 1 && limit <= LIMIT_MAX)) {
      throw badParameter('limit', `must be a whole number from 1 to ${LIMIT_MAX}`);
    }
  }
  const continueToken = query.get('continue') ?? undefined;
  if (continueToken === '') throw badParameter('continue', 'must not be empty');
  const sort = one('sort', query.get('sort'), SORTS) ?? '-created';
  return { filters, limit, continueToken, sort };
}

export function parseExportQuery(query: URLSearchParams): ExportQuery {
  checkNames(query, [...FILTER_PARAMS, 'format', 'sort']);
  const filters = parseFilters(query);
  const format = one('format', query.get('format'), FORMATS);
  if (format === undefined) throw badParameter('format', `is required: ${FORMATS.join(' or ')}`);
  return { filters, format, sort: one('sort', query.get('sort'), SORTS) ?? '-created' };
}

/**
 * The row test for the filters other than namespace visibility, which the caller applies. `q` is
 * case-insensitive, as a search box is.
 */
export function rowFilter(f: Filters): (r: BuildRow) => boolean {
  const q = f.q?.toLowerCase();
  return (r) =>
    (f.sinceMs === undefined || r.createdMs >= f.sinceMs) &&
    (f.untilMs === undefined || r.createdMs < f.untilMs) &&
    (f.buildConfig === undefined || r.buildConfig === f.buildConfig) &&
    (f.verdicts === undefined || f.verdicts.has(r.verdict)) &&
    (f.strategy === undefined || r.strategy === f.strategy) &&
    (q === undefined || r.name.toLowerCase().includes(q));
}
