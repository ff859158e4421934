import {
  parseDashboardQuery,
  share,
  summaryFilter,
  tableFilter,
  windowRange,
  writeDashboardQuery,
} from './dashboard-query';
import { dailyShare } from './trend';

const parse = (s: string) => parseDashboardQuery(new URLSearchParams(s));

describe('the dashboard URL', () => {
  it('defaults to the last 7 days, newest first, no filters', () => {
    expect(parse('')).toEqual({
      query: { window: '7d', namespace: [], verdict: [], sort: '-created' },
      dropped: [],
    });
  });

  it('round-trips every filter, leaving defaults out', () => {
    const text =
      'window=custom&from=2026-11-01&to=2026-11-07&namespace=team-a&namespace=team-b&verdict=Privileged&strategy=Docker&q=api&buildConfig=legacy-api&sort=name';
    const { query, dropped } = parse(text);
    expect(dropped).toEqual([]);
    expect(writeDashboardQuery(query).toString()).toBe(text);
    expect(writeDashboardQuery(parse('window=7d&sort=-created').query).toString()).toBe('');
  });

  it('keeps parameters that are not the dashboard’s', () => {
    const base = new URLSearchParams('other=1&verdict=Unknown');
    const out = writeDashboardQuery(parse('verdict=Privileged').query, base);
    expect(out.get('other')).toBe('1');
    expect(out.getAll('verdict')).toEqual(['Privileged']);
  });

  it('drops hostile or malformed values and says which', () => {
    const { query, dropped } = parse(
      'window=1y&namespace=Team_A&namespace=team-a&verdict=Maybe&strategy=JenkinsPipeline&sort=evil&from=2026-13-45&buildConfig=%3Cscript%3E',
    );
    expect(query).toEqual({ window: '7d', namespace: ['team-a'], verdict: [], sort: '-created' });
    expect(dropped.sort()).toEqual(
      ['buildConfig', 'from', 'namespace', 'sort', 'strategy', 'verdict', 'window'].sort(),
    );
  });

  it('drops a custom range that ends before it starts, and custom days on a preset window', () => {
    expect(parse('window=custom&from=2026-11-07&to=2026-11-01')).toEqual({
      query: expect.objectContaining({ from: '2026-11-07' }),
      dropped: ['to'],
    });
    expect(parse('window=24h&from=2026-11-07').query.from).toBeUndefined();
  });
});

describe('time windows', () => {
  const now = new Date('2026-11-27T16:45:31.500Z');

  it('ends presets now, starting on a whole minute', () => {
    expect(windowRange({ window: '24h' }, now)).toEqual({ since: '2026-11-26T16:45:00Z' });
    expect(windowRange({ window: '30d' }, now)).toEqual({ since: '2026-10-28T16:45:00Z' });
  });

  it('reads custom days as UTC, the last one inclusive', () => {
    expect(windowRange({ window: 'custom', from: '2026-11-01', to: '2026-11-30' }, now)).toEqual({
      since: '2026-11-01T00:00:00Z',
      until: '2026-12-01T00:00:00Z',
    });
  });

  it('gives the table every filter and the summary only the window', () => {
    const { query } = parse('namespace=team-a&verdict=Privileged&q=api');
    expect(summaryFilter(query, now)).toEqual({ since: '2026-11-20T16:45:00Z' });
    expect(tableFilter(query, now)).toEqual({
      since: '2026-11-20T16:45:00Z',
      namespace: ['team-a'],
      verdict: ['Privileged'],
      q: 'api',
    });
  });

  it('pins a project tab to its project whatever the URL says', () => {
    const { query } = parse('namespace=team-b');
    expect(tableFilter(query, now, 'team-a').namespace).toEqual(['team-a']);
    expect(summaryFilter(query, now, 'team-a').namespace).toEqual(['team-a']);
  });
});

describe('shares', () => {
  it('rounds to one decimal and has none for no builds', () => {
    expect(share(1, 3)).toBe(33.3);
    expect(share(0, 0)).toBeUndefined();
  });

  it('gives the trend a share per day, 0 on an empty day', () => {
    expect(
      dailyShare([
        {
          date: '2026-11-25',
          byVerdict: { UserNamespaced: 3, Requested: 1, Privileged: 0, Unknown: 0 },
        },
        {
          date: '2026-11-26',
          byVerdict: { UserNamespaced: 0, Requested: 0, Privileged: 0, Unknown: 0 },
        },
      ]),
    ).toEqual([
      { date: '2026-11-25', total: 4, share: 75 },
      { date: '2026-11-26', total: 0, share: 0 },
    ]);
  });
});
