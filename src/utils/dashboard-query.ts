// The dashboard's state as it lives in the URL (so a filtered view can be shared): the time
// window and the build table's filters and sort. Pure: parsed from and written to URLSearchParams,
// every unknown or malformed value dropped (a pasted URL is hostile input) and reported.
import type { Verdict } from '@userns-builds/core';
import { SORT_KEYS, STRATEGIES } from '../api/compliance';
import type { ComplianceFilter, SortKey, Strategy } from '../api/compliance';
import { VERDICTS } from './build-evidence';

export type WindowKey = '24h' | '7d' | '30d' | 'custom';
export const WINDOWS: readonly WindowKey[] = ['24h', '7d', '30d', 'custom'];
export const DEFAULT_WINDOW: WindowKey = '7d';

const HOURS: Record<Exclude<WindowKey, 'custom'>, number> = { '24h': 24, '7d': 168, '30d': 720 };

export interface DashboardQuery {
  window: WindowKey;
  /** Custom window bounds, YYYY-MM-DD (UTC days, `until` inclusive). */
  from?: string;
  to?: string;
  namespace: string[];
  verdict: Verdict[];
  strategy?: Strategy;
  /** Substring of the build name. */
  q?: string;
  buildConfig?: string;
  sort: SortKey;
}

export const DEFAULT_SORT: SortKey = '-created';

/** Kubernetes names: what a namespace or BuildConfig filter may be (RFC 1123, ≤ 253). */
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_Q = 253;

const isDay = (v: string): boolean => DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

export interface ParsedQuery {
  query: DashboardQuery;
  /** URL parameters that were dropped, with why, to show the reader. */
  dropped: string[];
}

export function parseDashboardQuery(params: URLSearchParams): ParsedQuery {
  const dropped: string[] = [];
  const one = <T extends string>(key: string, ok: (v: string) => v is T): T | undefined => {
    const v = params.get(key);
    if (v === null || v === '') return undefined;
    if (ok(v)) return v;
    dropped.push(key);
    return undefined;
  };
  const many = <T extends string>(key: string, ok: (v: string) => v is T): T[] => {
    const out: T[] = [];
    for (const v of params.getAll(key)) {
      if (ok(v)) {
        if (!out.includes(v)) out.push(v);
      } else if (v !== '' && !dropped.includes(key)) dropped.push(key);
    }
    return out;
  };
  const isName = (v: string): v is string => v.length <= 253 && NAME.test(v);
  const isQ = (v: string): v is string => v.length <= MAX_Q;
  const win = one('window', (v): v is WindowKey => WINDOWS.includes(v as WindowKey));
  let from = one('from', (v): v is string => isDay(v));
  let to = one('to', (v): v is string => isDay(v));
  if (from && to && from > to) {
    dropped.push('to');
    to = undefined;
  }
  const window = win ?? DEFAULT_WINDOW;
  if (window !== 'custom') {
    from = undefined;
    to = undefined;
  }
  const query: DashboardQuery = {
    window,
    namespace: many('namespace', isName),
    verdict: many('verdict', (v): v is Verdict => VERDICTS.includes(v as Verdict)),
    sort: one('sort', (v): v is SortKey => SORT_KEYS.includes(v as SortKey)) ?? DEFAULT_SORT,
  };
  if (from) query.from = from;
  if (to) query.to = to;
  const strategy = one('strategy', (v): v is Strategy => STRATEGIES.includes(v as Strategy));
  if (strategy) query.strategy = strategy;
  const q = one('q', isQ);
  if (q) query.q = q;
  const buildConfig = one('buildConfig', isName);
  if (buildConfig) query.buildConfig = buildConfig;
  return { query, dropped };
}

/** Writes the query back, leaving defaults out so shared URLs stay short; other params kept. */
export function writeDashboardQuery(
  query: DashboardQuery,
  base: URLSearchParams = new URLSearchParams(),
): URLSearchParams {
  const p = new URLSearchParams(base);
  for (const k of [
    'window',
    'from',
    'to',
    'namespace',
    'verdict',
    'strategy',
    'q',
    'buildConfig',
    'sort',
  ])
    p.delete(k);
  if (query.window !== DEFAULT_WINDOW) p.set('window', query.window);
  if (query.window === 'custom') {
    if (query.from) p.set('from', query.from);
    if (query.to) p.set('to', query.to);
  }
  query.namespace.forEach((n) => p.append('namespace', n));
  query.verdict.forEach((v) => p.append('verdict', v));
  if (query.strategy) p.set('strategy', query.strategy);
  if (query.q) p.set('q', query.q);
  if (query.buildConfig) p.set('buildConfig', query.buildConfig);
  if (query.sort !== DEFAULT_SORT) p.set('sort', query.sort);
  return p;
}

/**
 * The window as API bounds. Preset windows end "now" and start a whole minute back, so
 * re-renders within a minute ask for the same thing; custom days are UTC, `to` inclusive.
 */
export function windowRange(
  query: Pick<DashboardQuery, 'window' | 'from' | 'to'>,
  now: Date,
): { since?: string; until?: string } {
  if (query.window === 'custom') {
    const out: { since?: string; until?: string } = {};
    if (query.from) out.since = `${query.from}T00:00:00Z`;
    if (query.to) {
      const end = new Date(`${query.to}T00:00:00Z`);
      end.setUTCDate(end.getUTCDate() + 1);
      out.until = end.toISOString().replace('.000Z', 'Z');
    }
    return out;
  }
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  const since = new Date(minute - HOURS[query.window] * 3_600_000);
  return { since: since.toISOString().replace('.000Z', 'Z') };
}

/** What the headline, trend and "where to act" ask for: the window (and a fixed project). */
export function summaryFilter(
  query: DashboardQuery,
  now: Date,
  fixedNamespace?: string,
): ComplianceFilter {
  return {
    ...windowRange(query, now),
    ...(fixedNamespace ? { namespace: [fixedNamespace] } : {}),
  };
}

/** What the table and the export ask for: the window plus every table filter. */
export function tableFilter(
  query: DashboardQuery,
  now: Date,
  fixedNamespace?: string,
): ComplianceFilter {
  const f: ComplianceFilter = {
    ...windowRange(query, now),
    namespace: fixedNamespace ? [fixedNamespace] : query.namespace,
    verdict: query.verdict,
  };
  if (query.strategy) f.strategy = query.strategy;
  if (query.q) f.q = query.q;
  if (query.buildConfig) f.buildConfig = query.buildConfig;
  return f;
}

/** The share of `part` in `total` as a whole percentage with one decimal, or undefined for 0/0. */
export function share(part: number, total: number): number | undefined {
  if (total <= 0) return undefined;
  return Math.round((part / total) * 1000) / 10;
}
