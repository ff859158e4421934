import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildRow } from './rows';
import { rowFromBuild, type BuildLike } from './rows';
import { summarize, TOP_BUILDCONFIGS } from './summary';

const builds = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'builds.json'), 'utf8'),
) as BuildLike[];
const rows = builds.map(rowFromBuild).filter((r): r is BuildRow => r !== undefined);

test('rows read verdict, evidence, strategy, phase and BuildConfig from a Build', () => {
  expect(rows.map((r) => [r.name, r.verdict, r.buildConfig, r.strategy, r.phase])).toEqual([
    ['web-1', 'UserNamespaced', 'web', 'Docker', 'Complete'],
    ['web-2', 'Privileged', 'web', 'Docker', 'Failed'],
    ['api-1', 'Unknown', 'api', 'Source', 'Complete'],
    ['api-2', 'Unknown', 'api', 'Source', 'Running'],
    ['job-1', 'Requested', 'job', 'Custom', 'Complete'],
  ]);
  // No verdict annotation: Unknown, and a stray evidence annotation is not shown as its reason.
  expect(rows[2]?.evidence).toBeNull();
  // A verdict value we do not know is Unknown too.
  expect(rows[3]?.evidence).toBeNull();
  expect(rows[0]?.evidence).toContain('Started in kernel user namespace');
});

test('a Rebuild copy of a recorded Build is not recorded: Unknown, no evidence, no source', () => {
  const original = builds[1]!;
  // What openshift-apiserver's builds/clone makes: every annotation copied, a new name and uid.
  const copy: BuildLike = {
    ...original,
    metadata: {
      ...original.metadata,
      name: 'web-3',
      uid: '2c7d9a10-4e3b-4b8a-9f65-0d1e2f3a4b5c',
      annotations: { ...original.metadata!.annotations },
    },
  };
  expect(rowFromBuild(original)).toMatchObject({
    verdict: 'Privileged',
    decisionSource: 'Default',
  });
  expect(rowFromBuild(copy)).toMatchObject({
    name: 'web-3',
    verdict: 'Unknown',
    evidence: null,
    decisionSource: null,
  });
  // Written before records were bound, or by hand: not bound to this Build either.
  const { 'userns.builds.dev/recorded-for': _bound, ...unbound } = original.metadata!.annotations!;
  expect(
    rowFromBuild({ ...original, metadata: { ...original.metadata, annotations: unbound } }),
  ).toMatchObject({
    verdict: 'Unknown',
  });
});

test('counts by verdict, namespace (most privileged first), BuildConfig and UTC day', () => {
  const s = summarize(rows, () => true);
  expect(s.total).toBe(5);
  expect(s.byVerdict).toEqual({ UserNamespaced: 1, Requested: 1, Privileged: 1, Unknown: 2 });
  expect(s.byNamespace.map((n) => [n.namespace, n.total, n.byVerdict.Privileged])).toEqual([
    ['team-a', 2, 1],
    ['team-b', 2, 0],
    ['team-c', 1, 0],
  ]);
  expect(s.byBuildConfig[0]).toEqual({
    namespace: 'team-a',
    buildConfig: 'web',
    total: 2,
    byVerdict: { UserNamespaced: 1, Requested: 0, Privileged: 1, Unknown: 0 },
  });
  expect(s.byDay.map((d) => d.date)).toEqual(['2025-11-19', '2025-11-20', '2025-11-21']);
  expect(s.byDay[0]?.byVerdict.UserNamespaced).toBe(1); // 23:59:59Z is still the 19th (UTC)
});

test('only rows that pass the test count, everywhere', () => {
  const s = summarize(rows, (r) => r.namespace === 'team-b');
  expect(s.total).toBe(2);
  expect(s.byNamespace.map((n) => n.namespace)).toEqual(['team-b']);
  expect(s.byBuildConfig.map((b) => b.buildConfig)).toEqual(['api']);
  expect(s.byDay.reduce((n, d) => n + d.byVerdict.Unknown, 0)).toBe(2);
});

test(`byBuildConfig keeps the top ${TOP_BUILDCONFIGS}`, () => {
  const many = Array.from({ length: 80 }, (_, i) => ({
    ...rows[1]!,
    name: `b-${i}`,
    buildConfig: `bc-${String(i).padStart(2, '0')}`,
    verdict: i % 2 ? ('Privileged' as const) : ('Requested' as const),
  }));
  const top = summarize(many, () => true).byBuildConfig;
  expect(top).toHaveLength(TOP_BUILDCONFIGS);
  expect(top.slice(0, 40).every((b) => b.byVerdict.Privileged === 1)).toBe(true);
});
