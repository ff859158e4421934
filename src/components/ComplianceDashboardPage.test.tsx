import { configure, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { consoleFetch } from '@openshift-console/dynamic-plugin-sdk';
import ComplianceDashboardPage, { preloadForLocation } from './ComplianceDashboardPage';
import { fakeFetcher, fakeResponse, jsonResponse } from '../__fixtures__/compliance/fetch';

configure({ testIdAttribute: 'data-test' });

const mockedFetch = jest.mocked(consoleFetch);

const calls = (endpoint: string) =>
  mockedFetch.mock.calls
    .map(([url]) => new URL(url, 'http://console.test'))
    .filter((u) => u.pathname.endsWith(`/${endpoint}`));

const renderAt = (url: string) =>
  render(
    <MemoryRouter initialEntries={[url]}>
      <ComplianceDashboardPage />
    </MemoryRouter>,
  );

afterEach(() => mockedFetch.mockReset());

describe('the dashboard asks for its data when its module is evaluated', () => {
  it('only on its own address', () => {
    mockedFetch.mockImplementation(fakeFetcher({}));
    expect(preloadForLocation({ pathname: '/k8s/cluster/projects', search: '' })).toBe(false);
    expect(mockedFetch).not.toHaveBeenCalled();
  });

  it('sends the summary and the first table page before the page renders, and the page uses them', async () => {
    mockedFetch.mockImplementation(
      fakeFetcher({
        summary: () => jsonResponse('summary.json'),
        builds: () => jsonResponse('builds-page-1.json'),
      }),
    );
    // Under a console base path, with the window in the address.
    expect(
      preloadForLocation({ pathname: '/c/userns-builds/compliance', search: '?window=24h' }),
    ).toBe(true);
    expect(calls('summary')).toHaveLength(1);
    expect(calls('builds')).toHaveLength(1);
    expect(calls('builds')[0]!.searchParams.get('limit')).toBe('50');

    renderAt('/userns-builds/compliance?window=24h');
    expect(await screen.findByTestId('compliance-share')).toHaveTextContent('60%');
    expect(await screen.findAllByTestId('compliance-build-row')).not.toHaveLength(0);
    expect(calls('summary')).toHaveLength(1);
    expect(calls('builds')).toHaveLength(1);
  });

  it('is not used for another filter, nor by a retry', async () => {
    let summaries = 0;
    mockedFetch.mockImplementation(
      fakeFetcher({
        // The preloaded answer fails; the page's own request for 30 days does too; its retry works.
        summary: () =>
          ++summaries < 3 ? fakeResponse('{}', { status: 500 }) : jsonResponse('summary.json'),
        builds: () => jsonResponse('builds-page-1.json'),
      }),
    );
    preloadForLocation({ pathname: '/userns-builds/compliance', search: '?window=7d' });
    renderAt('/userns-builds/compliance?window=30d');
    fireEvent.click((await screen.findAllByRole('button', { name: 'Try again' }))[0]!);
    expect(await screen.findByTestId('compliance-share')).toHaveTextContent('60%');
    const since = calls('summary').map((u) => u.searchParams.get('since'));
    expect(since).toHaveLength(3);
    // 7 days back (the preload), then 30 days back twice: the page's request and its retry.
    expect(new Set(since).size).toBe(2);
    expect(since[1]).toBe(since[2]);
  });
});
