// The summary: counts by verdict overall, per namespace, per BuildConfig and per UTC day, over
// the rows a caller may see. One pass over the index; no API call.
import type { Verdict } from '../../core';
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

/** Most privileged first; then most builds; then by name, so equal counts keep a stable order. */
function byRisk<T extends { total: number; byVerdict: ByVerdict }>(
  name: (x: T) => string,
): (a: T, b: T) => number {
  return (a, b) =>
    b.byVerdict.Privileged - a.byVerdict.Privileged ||
    b.total - a.total ||
    (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

export function summarize(rows: Iterable<BuildRow>, test: (r: BuildRow) => boolean): Summary {
  const byVerdict = zero();
  const namespaces = new Map<string, ByVerdict>();
  const buildConfigs = new Map<string, { namespace: string; buildConfig: string; v: ByVerdict }>();
  const days = new Map<string, ByVerdict>();
  for (const r of rows) {
    if (!test(r)) continue;
    byVerdict[r.verdict]++;
    let ns = namespaces.get(r.namespace);
    if (!ns) namespaces.set(r.namespace, (ns = zero()));
    ns[r.verdict]++;
    if (r.buildConfig !== null) {
      const key = `${r.namespace}/${r.buildConfig}`;
      let bc = buildConfigs.get(key);
      if (!bc) {
        bc = { namespace: r.namespace, buildConfig: r.buildConfig, v: zero() };
        buildConfigs.set(key, bc);
      }
      bc.v[r.verdict]++;
    }
    const date = new Date(r.createdMs).toISOString().slice(0, 10);
    let day = days.get(date);
    if (!day) days.set(date, (day = zero()));
    day[r.verdict]++;
  }
  return {
    total: sum(byVerdict),
    byVerdict,
    byNamespace: [...namespaces]
      .map(([namespace, v]) => ({ namespace, total: sum(v), byVerdict: v }))
      .sort(byRisk((x) => x.namespace)),
    byBuildConfig: [...buildConfigs.values()]
      .map((b) => ({
        namespace: b.namespace,
        buildConfig: b.buildConfig,
        total: sum(b.v),
        byVerdict: b.v,
      }))
      .sort(byRisk((x) => `${x.namespace}/${x.buildConfig}`))
      .slice(0, TOP_BUILDCONFIGS),
    byDay: [...days]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([date, v]) => ({ date, byVerdict: v })),
  };
}
