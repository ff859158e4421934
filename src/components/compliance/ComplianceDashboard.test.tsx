import { act, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router';
import { consoleFetch } from '@openshift-console/dynamic-plugin-sdk';
import { ComplianceDashboard } from './ComplianceDashboard';
import ComplianceCard, { ProjectComplianceItem } from '../ComplianceCard';
import {
  fakeFetcher,
  fakeResponse,
  fixture,
  jsonResponse,
  type Route,
} from '../../__fixtures__/compliance/fetch';

// The plugin marks elements with data-test, as the console's own tests do.
configure({ testIdAttribute: 'data-test' });

const mockedFetch = jest.mocked(consoleFetch);

const Location = () => {
  const { search } = useLocation();
  return <output data-test="search">{search}</output>;
};

const renderAt = (url = '/userns-builds/compliance', fixedNamespace?: string) =>
  render(
    <MemoryRouter initialEntries={[url]}>
      <ComplianceDashboard fixedNamespace={fixedNamespace} />
      <Location />
    </MemoryRouter>,
  );

const route = (routes: Partial<Record<'summary' | 'builds' | 'export', Route>>) => {
  const f = fakeFetcher(routes);
  mockedFetch.mockImplementation(f);
  return f;
};

const calls = (endpoint: string) =>
  mockedFetch.mock.calls
    .map(([url]) => new URL(url, 'http://console.test'))
    .filter((u) => u.pathname.endsWith(`/${endpoint}`));

const never = () => new Promise<never>(() => undefined);

afterEach(() => mockedFetch.mockReset());

describe('the headline', () => {
  it('shows a spinner while the summary loads, never data it does not have', () => {
    route({ summary: never, builds: never });
    renderAt();
    expect(screen.getByRole('progressbar', { name: 'Loading the summary' })).toBeInTheDocument();
    expect(screen.queryByTestId('compliance-share')).not.toBeInTheDocument();
  });

  it('shows the share proven at runtime and each verdict with what it means', async () => {
    route({ summary: () => jsonResponse('summary.json'), builds: never });
    renderAt();
    // 120 of 200 proven user-namespaced; 150 of 200 asked for it.
    expect(await screen.findByTestId('compliance-share')).toHaveTextContent('60%');
    expect(
      screen.getByText('of 200 builds ran in a user namespace, proven at runtime'),
    ).toBeInTheDocument();
    expect(screen.getByText('75% asked for one (proven or requested)')).toBeInTheDocument();
    const requested = screen.getByTestId('verdict-count-Requested');
    expect(within(requested).getByText('30')).toBeInTheDocument();
    expect(requested).toHaveTextContent(/BUILD_LOGLEVEL to 2 or more/);
  });

  it('filters the table to a verdict from its count, in the URL', async () => {
    route({
      summary: () => jsonResponse('summary.json'),
      builds: () => jsonResponse('builds-page-1.json'),
    });
    renderAt();
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Show the 40 builds with this verdict in the table',
      }),
    );
    expect(screen.getByTestId('search')).toHaveTextContent('verdict=Privileged');
    await waitFor(() =>
      expect(calls('builds').at(-1)?.searchParams.getAll('verdict')).toEqual(['Privileged']),
    );
  });

  it('says the backend is unreachable, with what to check, and retries on request', async () => {
    route({ summary: () => new TypeError('Failed to fetch'), builds: never });
    renderAt();
    const alerts = await screen.findAllByText('The compliance service is not reachable');
    expect(alerts.length).toBeGreaterThan(0);
    expect(screen.getAllByText(/backend pods are running and ready/).length).toBeGreaterThan(0);
    expect(
      screen.queryByRole('progressbar', { name: 'Loading the summary' }),
    ).not.toBeInTheDocument();
    const before = calls('summary').length;
    route({ summary: () => jsonResponse('summary.json'), builds: never });
    fireEvent.click(screen.getAllByRole('button', { name: 'Try again' })[0]!);
    expect(await screen.findByTestId('compliance-share')).toHaveTextContent('60%');
    expect(calls('summary').length).toBeGreaterThan(before);
  });

  it('tells a user who sees no builds why, instead of an error', async () => {
    route({
      summary: () => jsonResponse('summary-empty.json'),
      builds: () => jsonResponse('builds-empty.json'),
    });
    renderAt();
    expect((await screen.findAllByText('No builds in this window')).length).toBeGreaterThan(0);
    expect(
      screen.getAllByText(/You see builds only in projects where you may list builds/).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId('compliance-error')).not.toBeInTheDocument();
  });

  it('asks for the window in the URL', async () => {
    route({ summary: () => jsonResponse('summary.json'), builds: never });
    renderAt('/x?window=custom&from=2026-11-01&to=2026-11-02');
    expect(await screen.findByTestId('compliance-share')).toHaveTextContent('60%');
    expect(calls('summary')[0]?.searchParams.get('since')).toBe('2026-11-01T00:00:00Z');
    expect(calls('summary')[0]?.searchParams.get('until')).toBe('2026-11-03T00:00:00Z');
    expect(
      screen.getByRole('heading', { name: 'User-namespaced builds, chosen days' }),
    ).toBeInTheDocument();
  });
});

describe('the trend', () => {
  it('draws the chart after the headline, one legend entry per verdict', async () => {
    route({ summary: () => jsonResponse('summary.json'), builds: never });
    renderAt();
    const panel = await screen.findByTestId('compliance-trend');
    // The charting library's first import under jest takes seconds on a busy machine.
    expect(
      await within(panel).findByText('Privileged', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(within(panel).getByText('UserNamespaced')).toBeInTheDocument();
    expect(within(panel).getAllByText('2026-11-26').length).toBeGreaterThan(0);
  });

  it('asks for the chart only once a frame with the headline has been painted', async () => {
    const frames: FrameRequestCallback[] = [];
    const raf = jest
      .spyOn(window, 'requestAnimationFrame')
      .mockImplementation((cb) => frames.push(cb));
    try {
      route({ summary: () => jsonResponse('summary.json'), builds: never });
      renderAt();
      expect(await screen.findByTestId('compliance-share')).toHaveTextContent('60%');
      const panel = screen.getByTestId('compliance-trend');
      expect(within(panel).getByRole('progressbar', { name: 'Loading the chart' })).toBeVisible();
      expect(frames).toHaveLength(1);
      act(() => frames[0]!(performance.now()));
      expect(
        await within(panel).findByText('Privileged', {}, { timeout: 15_000 }),
      ).toBeInTheDocument();
    } finally {
      raf.mockRestore();
    }
  });
});

describe('where to act', () => {
  it('lists projects and BuildConfigs by privileged builds, linking to the BuildConfig', async () => {
    route({ summary: () => jsonResponse('summary.json'), builds: never });
    renderAt();
    const panel = await screen.findByTestId('compliance-where-to-act');
    await within(panel).findByTestId('where-ns-team-b');
    const link = within(panel).getByRole('link', { name: 'legacy-api' });
    expect(link).toHaveAttribute('href', '/k8s/ns/team-b/buildconfigs/legacy-api/user-namespace');
    fireEvent.click(within(panel).getByTestId('where-ns-team-b'));
    const search = new URLSearchParams(screen.getByTestId('search').textContent ?? '');
    expect(search.getAll('namespace')).toEqual(['team-b']);
    expect(search.getAll('verdict')).toEqual(['Privileged']);
  });

  it('says there is nothing to act on when nothing ran privileged', async () => {
    const body = JSON.parse(fixture('summary.json')) as {
      byNamespace: { byVerdict: { Privileged: number } }[];
      byBuildConfig: { byVerdict: { Privileged: number } }[];
    };
    [...body.byNamespace, ...body.byBuildConfig].forEach((r) => (r.byVerdict.Privileged = 0));
    route({ summary: () => fakeResponse(JSON.stringify(body)), builds: never });
    renderAt();
    expect(await screen.findByTestId('where-to-act-none')).toBeInTheDocument();
  });
});

describe('the build table', () => {
  it('pages with the continue token and back, rows linking to their Build', async () => {
    route({
      summary: () => jsonResponse('summary.json'),
      builds: (u) =>
        jsonResponse(u.searchParams.get('continue') ? 'builds-page-2.json' : 'builds-page-1.json'),
    });
    renderAt();
    const table = await screen.findByRole('grid', { name: 'Builds and their verdicts' });
    expect(within(table).getByRole('link', { name: 'legacy-api-12' })).toHaveAttribute(
      'href',
      '/k8s/ns/team-b/builds/legacy-api-12',
    );
    expect(screen.getByTestId('compliance-range')).toHaveTextContent('1–2 of 3');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('link', { name: 'manual-1' })).toBeInTheDocument();
    expect(calls('builds').at(-1)?.searchParams.get('continue')).toBe('eyJwYWdlIjoyfQ');
    expect(screen.getByTestId('compliance-range')).toHaveTextContent('3–3 of 3');
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByRole('link', { name: 'legacy-api-12' })).toBeInTheDocument();
    expect(calls('builds').at(-1)?.searchParams.has('continue')).toBe(false);
  });

  it('expands a row to its evidence', async () => {
    route({
      summary: () => jsonResponse('summary.json'),
      builds: () => jsonResponse('builds-page-1.json'),
    });
    renderAt();
    await screen.findByRole('link', { name: 'ruby-hello-7' });
    const evidence = 'Started in kernel user namespace as 0:0 with UID map [(0:100000:65536)]';
    expect(screen.getByText(evidence)).not.toBeVisible();
    fireEvent.click(screen.getByRole('button', { name: 'ruby-hello-7 Details' }));
    expect(screen.getByText(evidence)).toBeVisible();
    expect(screen.getByText('Decided by: Default')).toBeVisible();
  });

  it('sorts through the URL and the API', async () => {
    route({
      summary: () => jsonResponse('summary.json'),
      builds: () => jsonResponse('builds-page-1.json'),
    });
    renderAt();
    await screen.findByRole('link', { name: 'ruby-hello-7' });
    fireEvent.click(screen.getByRole('button', { name: 'Build' }));
    expect(screen.getByTestId('search')).toHaveTextContent('sort=name');
    await waitFor(() => expect(calls('builds').at(-1)?.searchParams.get('sort')).toBe('name'));
  });

  it('filters by strategy and name, in the URL', async () => {
    route({
      summary: () => jsonResponse('summary.json'),
      builds: () => jsonResponse('builds-empty.json'),
    });
    renderAt();
    fireEvent.change(await screen.findByRole('combobox', { name: 'Filter by strategy' }), {
      target: { value: 'Docker' },
    });
    const search = screen.getByRole('textbox', { name: 'Filter by build name' });
    fireEvent.change(search, { target: { value: 'api' } });
    fireEvent.keyDown(search, { key: 'Enter' });
    await waitFor(() => {
      const last = calls('builds').at(-1);
      expect(last?.searchParams.get('strategy')).toBe('Docker');
      expect(last?.searchParams.get('q')).toBe('api');
    });
    expect(await screen.findByText('No builds match these filters')).toBeInTheDocument();
  });

  it('offers the first page again when a continue token expired', async () => {
    route({
      summary: () => jsonResponse('summary.json'),
      builds: (u) =>
        u.searchParams.get('continue')
          ? jsonResponse('status-410.json', 410)
          : jsonResponse('builds-page-1.json'),
    });
    renderAt();
    fireEvent.click(await screen.findByRole('button', { name: 'Next' }));
    expect(await screen.findByText('The page of results expired')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: 'legacy-api-12' })).toBeInTheDocument();
  });

  it('names a refused filter', async () => {
    route({
      summary: () => jsonResponse('summary.json'),
      builds: () => jsonResponse('status-400-since.json', 400),
    });
    renderAt();
    expect(await screen.findByText('The filter "since" was refused')).toBeInTheDocument();
  });

  it('on a project tab, asks only for that project and offers no project filter', async () => {
    route({
      summary: () => jsonResponse('summary.json'),
      builds: () => jsonResponse('builds-page-1.json'),
    });
    renderAt('/x?namespace=team-b', 'team-a');
    await screen.findByRole('link', { name: 'legacy-api-12' });
    expect(calls('summary')[0]?.searchParams.getAll('namespace')).toEqual(['team-a']);
    expect(calls('builds')[0]?.searchParams.getAll('namespace')).toEqual(['team-a']);
    expect(screen.queryByRole('combobox', { name: 'Filter by project' })).not.toBeInTheDocument();
  });
});

describe('export', () => {
  const createObjectURL = jest.fn(() => 'blob:export');
  const revokeObjectURL = jest.fn();
  beforeAll(() => Object.assign(URL, { createObjectURL, revokeObjectURL }));

  it('streams the current filter as CSV and saves it', async () => {
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => undefined);
    route({
      summary: () => jsonResponse('summary.json'),
      builds: () => jsonResponse('builds-page-1.json'),
      export: () =>
        fakeResponse(fixture('export.csv'), {
          headers: { 'content-disposition': 'attachment; filename="builds-2026.csv"' },
          chunkBytes: 64,
        }),
    });
    renderAt('/x?verdict=Privileged');
    await screen.findByRole('link', { name: 'legacy-api-12' });
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByText('Exported 3 rows')).toBeInTheDocument();
    const url = calls('export')[0]!;
    expect(url.searchParams.get('format')).toBe('csv');
    expect(url.searchParams.getAll('verdict')).toEqual(['Privileged']);
    expect(createObjectURL).toHaveBeenCalled();
    expect(click).toHaveBeenCalled();
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('builds-2026.csv');
    click.mockRestore();
  });

  it('shows progress and can be cancelled', async () => {
    let release: (r: Response) => void = () => undefined;
    route({
      summary: () => jsonResponse('summary.json'),
      builds: () => jsonResponse('builds-page-1.json'),
      export: () => new Promise<Response>((r) => (release = r)),
    });
    renderAt();
    await screen.findByRole('link', { name: 'legacy-api-12' });
    fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
    expect(await screen.findByTestId('compliance-export-progress')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel export' }));
    expect(screen.getByText('Export cancelled')).toBeInTheDocument();
    const signal = mockedFetch.mock.calls.find(([u]) => u.includes('/export'))?.[1]?.signal;
    expect(signal?.aborted).toBe(true);
    await act(async () => release(fakeResponse('[]')));
    expect(screen.queryByText(/Exported/)).not.toBeInTheDocument();
  });
});

describe('the overview card and project item', () => {
  it('shows the week’s share and links to the dashboard', async () => {
    route({ summary: () => jsonResponse('summary.json') });
    render(
      <MemoryRouter>
        <ComplianceCard />
      </MemoryRouter>,
    );
    expect(await screen.findByTestId('userns-compliance-card-share')).toHaveTextContent(
      '60% of 200 builds ran user-namespaced; 40 privileged',
    );
    expect(screen.getByRole('link', { name: 'View compliance' })).toHaveAttribute(
      'href',
      '/userns-builds/compliance',
    );
  });

  it('explains a failure on the card', async () => {
    route({ summary: () => fakeResponse('{"message":"down"}', { status: 503 }) });
    render(
      <MemoryRouter>
        <ComplianceCard />
      </MemoryRouter>,
    );
    expect(await screen.findByText('The compliance service is not reachable')).toBeInTheDocument();
  });

  it('gives a project its own share, linking to its tab', async () => {
    route({ summary: () => jsonResponse('summary-empty.json') });
    render(
      <MemoryRouter>
        <ProjectComplianceItem projectName="team-a" />
      </MemoryRouter>,
    );
    expect(await screen.findByText('No builds in the last 7 days')).toBeInTheDocument();
    expect(calls('summary')[0]?.searchParams.getAll('namespace')).toEqual(['team-a']);
    expect(screen.getByRole('link', { name: 'User namespace builds' })).toHaveAttribute(
      'href',
      '/k8s/cluster/projects/team-a/userns-compliance',
    );
  });
});
