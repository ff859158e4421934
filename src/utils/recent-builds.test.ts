import { buildConfigLabelValue, recentBuilds } from './recent-builds';
import type { BuildLike } from './recent-builds';

const build = (name: string, n: number | undefined, created: string, bc = 'web'): BuildLike => ({
  metadata: {
    name,
    creationTimestamp: created,
    annotations: {
      'openshift.io/build-config.name': bc,
      ...(n === undefined ? {} : { 'openshift.io/build.number': String(n) }),
    },
  },
});

it('orders by build number, newest first, then by creation time, and keeps the limit', () => {
  const builds = [
    build('web-2', 2, '2026-11-20T10:00:00Z'),
    build('web-10', 10, '2026-11-20T09:00:00Z'),
    build('web-x', undefined, '2026-11-21T00:00:00Z'),
    build('web-9', 9, '2026-11-20T08:00:00Z'),
    build('other-11', 11, '2026-11-22T00:00:00Z', 'other'),
  ];
  expect(recentBuilds(builds, 'web', 3).map((b) => b.metadata?.name)).toEqual([
    'web-10',
    'web-9',
    'web-2',
  ]);
  expect(recentBuilds(builds, 'web', 10).map((b) => b.metadata?.name)).toEqual([
    'web-10',
    'web-9',
    'web-2',
    'web-x',
  ]);
});

it('selects by the label value OpenShift writes: the name, cut to 63 characters', () => {
  const long = `${'a'.repeat(63)}-tail`;
  expect(buildConfigLabelValue(long)).toBe('a'.repeat(63));
  expect(buildConfigLabelValue('web')).toBe('web');
  // Two BuildConfigs whose names share those 63 characters share the label: the annotation decides.
  const builds = [
    build('x-1', 1, '2026-11-20T10:00:00Z', long),
    build('y-1', 1, '2026-11-20T10:00:00Z', `${'a'.repeat(63)}-other`),
  ];
  expect(recentBuilds(builds, long, 5).map((b) => b.metadata?.name)).toEqual(['x-1']);
});
