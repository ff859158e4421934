import {
  ComplianceError,
  complianceUrl,
  exportFilename,
  fetchBuilds,
  fetchSummary,
  filterQuery,
  parseBuildsPage,
  parseSummary,
  rowCounter,
  streamExport,
} from './compliance';
import {
  fakeFetcher,
  fakeResponse,
  fixture,
  fixtureJSON,
  jsonResponse,
} from '../__fixtures__/compliance/fetch';

const rejection = async (p: Promise<unknown>): Promise<ComplianceError> => {
  try {
    await p;
  } catch (e) {
    return e as ComplianceError;
  }
  throw new Error('resolved');
};

describe('URLs', () => {
  it('goes through the console proxy of this plugin, alias backend', () => {
    expect(complianceUrl('summary')).toBe(
      '/api/proxy/plugin/userns-builds/backend/api/v1/compliance/summary',
    );
  });

  it('encodes every filter, repeating namespace and verdict', () => {
    const q = filterQuery(
      {
        since: '2026-11-20T00:00:00Z',
        namespace: ['team-a', 'team-b'],
        verdict: ['Privileged', 'Unknown'],
        strategy: 'Docker',
        q: 'a&b=c',
        buildConfig: 'api',
      },
      { limit: 50, continue: undefined },
    );
    const p = new URLSearchParams(q);
    expect(p.getAll('namespace')).toEqual(['team-a', 'team-b']);
    expect(p.getAll('verdict')).toEqual(['Privileged', 'Unknown']);
    expect(p.get('q')).toBe('a&b=c');
    expect(p.get('limit')).toBe('50');
    expect(p.has('continue')).toBe(false);
    expect(p.get('since')).toBe('2026-11-20T00:00:00Z');
  });
});

describe('parsing answers', () => {
  it('reads the summary fixture', () => {
    const s = parseSummary(fixtureJSON('summary.json'));
    expect(s.total).toBe(200);
    expect(s.byNamespace.map((n) => n.namespace)).toEqual(['team-b', 'team-a']);
    expect(s.byDay[1]).toEqual({
      date: '2026-11-26',
      byVerdict: { UserNamespaced: 70, Requested: 20, Privileged: 20, Unknown: 5 },
    });
  });

  it('counts missing verdict keys as zero', () => {
    const s = parseSummary({ total: 1, byVerdict: { Privileged: 1 } });
    expect(s.byVerdict).toEqual({ UserNamespaced: 0, Requested: 0, Privileged: 1, Unknown: 0 });
    expect(s.byDay).toEqual([]);
  });

  it.each([
    ['not an object', []],
    ['negative total', { total: -1, byVerdict: {} }],
    ['bad day', { total: 1, byVerdict: {}, byDay: [{ date: 'tomorrow', byVerdict: {} }] }],
    ['bad namespace row', { total: 1, byVerdict: {}, byNamespace: [{ namespace: 3 }] }],
  ])('refuses a summary with %s', (_what, body) => {
    expect(() => parseSummary(body)).toThrow(ComplianceError);
    try {
      parseSummary(body);
    } catch (e) {
      expect((e as ComplianceError).kind).toBe('Invalid');
    }
  });

  it('reads null optional fields as absent', () => {
    const page = parseBuildsPage(fixtureJSON('builds-page-2.json'));
    expect(page.items[0]).toEqual({
      namespace: 'team-a',
      name: 'manual-1',
      created: '2026-11-25T08:00:00Z',
      verdict: 'Unknown',
    });
    expect(page.continue).toBeUndefined();
  });

  it('refuses a row with an unknown verdict', () => {
    const body = fixtureJSON<{ items: { verdict: string }[] }>('builds-page-1.json');
    body.items[0]!.verdict = 'Maybe';
    expect(() => parseBuildsPage(body)).toThrow(/malformed builds page/);
  });
});

describe('requests and their failures', () => {
  it('fetches a page with its continue token and sort', async () => {
    const fetcher = fakeFetcher({ builds: () => jsonResponse('builds-page-1.json') });
    const page = await fetchBuilds(
      fetcher,
      { namespace: ['team-b'] },
      {
        limit: 2,
        continue: 'tok',
        sort: 'name',
      },
    );
    expect(page.items).toHaveLength(2);
    expect(page.continue).toBe('eyJwYWdlIjoyfQ');
    const url = new URL(fetcher.mock.calls[0]![0], 'http://x');
    expect(url.searchParams.get('continue')).toBe('tok');
    expect(url.searchParams.get('sort')).toBe('name');
    expect(url.searchParams.get('namespace')).toBe('team-b');
  });

  it('names the refused parameter of a 400', async () => {
    const fetcher = fakeFetcher({ summary: () => jsonResponse('status-400-since.json', 400) });
    const e = await rejection(fetchSummary(fetcher, { since: 'x' }));
    expect(e).toBeInstanceOf(ComplianceError);
    expect(e.kind).toBe('BadRequest');
    expect(e.parameter).toBe('since');
    expect(e.status).toBe(400);
  });

  it.each([
    [401, 'Unauthorized'],
    [403, 'Forbidden'],
    [404, 'NotFound'],
    [410, 'Expired'],
    [500, 'Server'],
    [502, 'Unavailable'],
    [503, 'Unavailable'],
  ])('maps HTTP %i to %s', async (status, kind) => {
    const fetcher = fakeFetcher({
      builds: () => fakeResponse('{"message":"nope"}', { status }),
    });
    const e = await rejection(fetchBuilds(fetcher, {}, {}));
    expect(e.kind).toBe(kind);
    expect(e.message).toBe('nope');
  });

  it('reports a request that got no answer as Unavailable', async () => {
    const fetcher = fakeFetcher({ summary: () => new TypeError('Failed to fetch') });
    const e = await rejection(fetchSummary(fetcher, {}));
    expect(e.kind).toBe('Unavailable');
    expect(e.message).toBe('Failed to fetch');
  });

  it('reports a body that is not JSON as Invalid', async () => {
    const fetcher = fakeFetcher({ summary: () => fakeResponse('<html>proxy error</html>') });
    const e = await rejection(fetchSummary(fetcher, {}));
    expect(e.kind).toBe('Invalid');
  });
});

describe('export', () => {
  it('counts CSV rows: quoted line breaks and the header are not rows', () => {
    const c = rowCounter('csv');
    c.push(fixture('export.csv'));
    expect(c.rows()).toBe(3);
  });

  it('counts CSV rows split anywhere across chunks, CRLF or not, last line unterminated', () => {
    const text = 'a,b\r\n1,"x\r\ny"\r\n2,z';
    for (let cut = 0; cut <= text.length; cut++) {
      const c = rowCounter('csv');
      c.push(text.slice(0, cut));
      c.push(text.slice(cut));
      expect(c.rows()).toBe(2);
    }
  });

  it('counts JSON rows as top-level objects, ignoring braces in strings', () => {
    const c = rowCounter('json');
    c.push('[{"evidence":"{[\\"x"},');
    c.push('{"a":{"b":1}},{}]');
    expect(c.rows()).toBe(3);
  });

  it('streams with progress and names the file from the server, made safe', async () => {
    const fetcher = fakeFetcher({
      export: () =>
        fakeResponse(fixture('export.csv'), {
          headers: { 'content-disposition': 'attachment; filename="../builds 1.csv"' },
          chunkBytes: 40,
        }),
    });
    const progress: number[] = [];
    const result = await streamExport(
      fetcher,
      { verdict: ['Privileged'] },
      'csv',
      (p) => progress.push(p.bytes),
      new AbortController().signal,
      'name',
    );
    expect(result.rows).toBe(3);
    expect(result.filename).toBe('builds_1.csv');
    expect(result.bytes).toBe(new TextEncoder().encode(fixture('export.csv')).length);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const url = new URL(fetcher.mock.calls[0]![0], 'http://x');
    expect(url.searchParams.get('format')).toBe('csv');
    expect(url.searchParams.get('sort')).toBe('name');
    // No client timeout on a stream: the third argument is 0.
    expect(fetcher.mock.calls[0]![2]).toBe(0);
  });

  it('makes up a dated name when the server gives none or a strange one', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    expect(exportFilename(null, 'json', now)).toBe('userns-builds-2026-11-27.json');
    expect(exportFilename('attachment; filename="..."', 'csv', now)).toBe(
      'userns-builds-2026-11-27.csv',
    );
  });
});
