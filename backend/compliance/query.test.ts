import { httpErrorOf } from './testing/http-error';
import {
  parseBuildsQuery,
  parseExportQuery,
  parseSummaryQuery,
  parseTime,
  rowFilter,
} from './query';
import type { BuildRow } from './rows';

const q = (s: string) => new URLSearchParams(s);

test('defaults: newest first, 50 a page, no filters', () => {
  const b = parseBuildsQuery(q(''));
  expect(b).toMatchObject({ limit: 50, sort: '-created', continueToken: undefined });
  expect(b.filters).toEqual({
    namespaces: undefined,
    buildConfig: undefined,
    verdicts: undefined,
    strategy: undefined,
    q: undefined,
    sinceMs: undefined,
    untilMs: undefined,
  });
});

test('repeatable filters collect, time windows parse with offsets', () => {
  const f = parseSummaryQuery(
    q(
      'namespace=team-a&namespace=team-b&verdict=Privileged&verdict=Unknown&since=2025-11-20T01:00:00%2B01:00&until=2025-11-21T00:00:00.5Z',
    ),
  );
  expect([...(f.namespaces ?? [])]).toEqual(['team-a', 'team-b']);
  expect([...(f.verdicts ?? [])]).toEqual(['Privileged', 'Unknown']);
  expect(f.sinceMs).toBe(Date.UTC(2025, 10, 20));
  expect(f.untilMs).toBe(Date.UTC(2025, 10, 21) + 500);
});

test.each([
  ['limit=0', 'limit'],
  ['limit=501', 'limit'],
  ['limit=ten', 'limit'],
  ['limit=1.5', 'limit'],
  ['limit=5&limit=6', 'limit'],
  ['sort=verdict', 'sort'],
  ['continue=', 'continue'],
  ['namespace=Team_A', 'namespace'],
  ['namespace=', 'namespace'],
  ['buildConfig=a%2Fb', 'buildConfig'],
  ['verdict=Maybe', 'verdict'],
  ['strategy=JenkinsPipeline', 'strategy'],
  ['q=', 'q'],
  [`q=${'x'.repeat(254)}`, 'q'],
  ['since=yesterday', 'since'],
  ['since=2025-02-30T00:00:00Z', 'since'],
  ['until=2025-11-20', 'until'],
  ['since=2025-11-21T00:00:00Z&until=2025-11-20T00:00:00Z', 'until'],
  ['format=csv', 'format'],
  ['nmespace=team-a', 'nmespace'],
])('builds?%s is a 400 naming %s', (query, name) => {
  const e = httpErrorOf(() => parseBuildsQuery(q(query)));
  expect(e.status).toBe(400);
  expect(e.reason).toBe('BadRequest');
  expect(e.message).toContain(`"${name}"`);
});

test('export needs a known format; summary takes no paging parameters', () => {
  expect(parseExportQuery(q('format=json')).format).toBe('json');
  expect(httpErrorOf(() => parseExportQuery(q(''))).message).toContain('"format"');
  expect(httpErrorOf(() => parseExportQuery(q('format=xlsx'))).message).toContain('"format"');
  expect(httpErrorOf(() => parseSummaryQuery(q('limit=5'))).message).toContain('"limit"');
});

test('parseTime accepts RFC 3339 only', () => {
  expect(parseTime('since', '2025-11-20T00:00:00Z')).toBe(Date.UTC(2025, 10, 20));
  expect(parseTime('since', null)).toBeUndefined();
  for (const bad of [
    '2025-11-20T24:00:00Z',
    '1732060800',
    '2025-11-20T00:00:00',
    ' 2025-11-20T00:00:00Z',
  ]) {
    expect(() => parseTime('since', bad)).toThrow(/"since"/);
  }
});

test('the row filter applies every filter, q case-insensitively, until exclusive', () => {
  const row = {
    namespace: 'team-a',
    name: 'Web-API-12',
    buildConfig: 'web-api',
    strategy: 'Docker',
    phase: 'Complete',
    created: '2025-11-20T00:00:00Z',
    createdMs: Date.UTC(2025, 10, 20),
    verdict: 'Requested',
    evidence: null,
    decisionSource: null,
  } satisfies BuildRow;
  const passes = (s: string) => rowFilter(parseSummaryQuery(q(s)))(row);
  expect(passes('q=api-1&buildConfig=web-api&strategy=Docker&verdict=Requested')).toBe(true);
  expect(passes('since=2025-11-20T00:00:00Z')).toBe(true);
  expect(passes('until=2025-11-20T00:00:00Z')).toBe(false);
  expect(passes('strategy=Source')).toBe(false);
  expect(passes('verdict=Privileged')).toBe(false);
  expect(passes('buildConfig=web')).toBe(false);
  expect(passes('q=zzz')).toBe(false);
});
