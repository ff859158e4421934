// The summary: counts by verdict overall, per namespace, per BuildConfig and per UTC day, over
// the rows a caller may see. One pass over the index; no API call.
import type { Verdict } from '@userns-builds/core';
import type { BuildRow } from './rows';

export type ByVerdict = Record<Verdict, number>;

export interface Summary {
  total: number;
  byVerdict: ByVerdict;
  byNamespace: { namespace: string; total: number; byVerdict: ByVerdict }[];
  byBuildConfig: { namespace: string; buildConfig: string; total: number; byVerdict: ByVerdict }[];
  byDay: { date: string; byVerdict: ByVerdict }[];
}

export const TOP_BUILDCONFIGS = 50;

const zero = (): ByVerdict => ({ UserNamespaced: 0, Requested: 0, Privileged: 0, Unknown: 0 });
const sum = (v: ByVerdict) => v.UserNamespaced + v.Requested + v.Privileged + v.Unknown;

const str = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Most privileged first; then most builds; then by name, so equal counts keep a stable order. */
function byRisk<T extends { namespace: string; total: number; byVerdict: ByVerdict }>(
  a: T,
  b: T,
): number {
  return (
    b.byVerdict.Privileged - a.byVerdict.Privileged ||
    b.total - a.total ||
    str(a.namespace, b.namespace)
  );
}

const DAY_MS = 86_400_000;

/** Counts for one namespace, kept up to date by the index so a summary need not visit rows. */
export interface NamespaceTally {
  v: ByVerdict;
  buildConfigs: Map<string, ByVerdict>;
  /** By UTC day number (ms / 86,400,000). */
  days: Map<number, ByVerdict>;
}
export type Tallies = Map<string, NamespaceTally>;

function bump<K>(map: Map<K, ByVerdict>, key: K, r: BuildRow, delta: 1 | -1): void {
  let v = map.get(key);
  if (!v) map.set(key, (v = zero()));
  v[r.verdict] += delta;
  if (delta < 0 && sum(v) === 0) map.delete(key);
}

/** Adds a row to (1) or takes it from (-1) the tallies; counts that reach zero disappear. */
export function tally(tallies: Tallies, r: BuildRow, delta: 1 | -1): void {
  let ns = tallies.get(r.namespace);
  if (!ns) {
    ns = { v: zero(), buildConfigs: new Map(), days: new Map() };
    tallies.set(r.namespace, ns);
  }
  ns.v[r.verdict] += delta;
  if (r.buildConfig !== null) bump(ns.buildConfigs, r.buildConfig, r, delta);
  bump(ns.days, Math.floor(r.createdMs / DAY_MS), r, delta);
  if (delta < 0 && sum(ns.v) === 0) tallies.delete(r.namespace);
}

/** The summary of the namespaces `include` lets through: work in namespaces and days, not rows. */
export function summarizeTallies(tallies: Tallies, include: (ns: string) => boolean): Summary {
  const byVerdict = zero();
  const byNamespace: Summary['byNamespace'] = [];
  const buildConfigs: Summary['byBuildConfig'] = [];
  const days = new Map<number, ByVerdict>();
  const add = (to: ByVerdict, v: ByVerdict) => {
    to.UserNamespaced += v.UserNamespaced;
    to.Requested += v.Requested;
    to.Privileged += v.Privileged;
    to.Unknown += v.Unknown;
  };
  for (const [namespace, ns] of tallies) {
    if (!include(namespace)) continue;
    add(byVerdict, ns.v);
    byNamespace.push({ namespace, total: sum(ns.v), byVerdict: { ...ns.v } });
    for (const [buildConfig, v] of ns.buildConfigs) {
      buildConfigs.push({ namespace, buildConfig, total: sum(v), byVerdict: v });
    }
    for (const [n, v] of ns.days) {
      let day = days.get(n);
      if (!day) days.set(n, (day = zero()));
      add(day, v);
    }
  }
  return {
    total: sum(byVerdict),
    byVerdict,
    byNamespace: byNamespace.sort(byRisk),
    byBuildConfig: buildConfigs
      .sort((a, b) => byRisk(a, b) || str(a.buildConfig, b.buildConfig))
      .slice(0, TOP_BUILDCONFIGS)
      .map((b) => ({ ...b, byVerdict: { ...b.byVerdict } })),
    byDay: [...days]
      .sort(([a], [b]) => a - b)
      .map(([n, v]) => ({ date: new Date(n * DAY_MS).toISOString().slice(0, 10), byVerdict: v })),
  };
}

/** The summary of the rows that pass `test`: one pass, then the same assembly as above. */
export function summarize(rows: Iterable<BuildRow>, test: (r: BuildRow) => boolean): Summary {
  const tallies: Tallies = new Map();
  for (const r of rows) if (test(r)) tally(tallies, r, 1);
  return summarizeTallies(tallies, () => true);
}
