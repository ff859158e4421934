// The compliance dashboard in a real browser against the whole local stack (emulator seeded with
// builds, backend with its compliance API behind the shell's plugin proxy): what an auditor and
// a developer do with it, screenshots of each step and axe checks.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { USER_COOKIE } from '../dev/console/app/users';
import { screenshot, seriousA11yViolations, useStack, withPage } from './harness';

const DASHBOARD = '/userns-builds/compliance';

interface Summary {
  total: number;
  byVerdict: Record<string, number>;
  byNamespace: { namespace: string; total: number }[];
}

/** The API as a given user sees it, through the same console proxy the plugin uses. */
const apiAs = async (user: string, path: string): Promise<Summary> => {
  const res = await fetch(
    `${h.stack.consoleUrl}/api/proxy/plugin/userns-builds/backend/api/v1/compliance/${path}`,
    { headers: { cookie: `${USER_COOKIE}=${user}` } },
  );
  if (!res.ok) throw new Error(`${path} as ${user}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Summary;
};

/** The backend fills its Build cache after start: wait until it answers. */
const waitForApi = async () => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await apiAs('admin', 'summary');
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
};

// The tests begin once the API answers.
const h = useStack({ setUp: waitForApi });

/** RFC 4180 records in a CSV text, quoted line breaks included, header excluded. */
const csvRows = (text: string): number => {
  let records = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted) records++;
  }
  if (text.length && !text.endsWith('\n')) records++;
  return records - 1;
};

/** "1–50 of 1,234" → 1234. */
const tableTotal = async (page: Page): Promise<number> => {
  const text = (await page.locator('[data-test="compliance-range"]').textContent()) ?? '';
  const m = /of ([\d,]+)/.exec(text);
  if (!m) throw new Error(`no total in "${text}"`);
  return Number(m[1]!.replace(/,/g, ''));
};

const headlineShown = (page: Page) =>
  page.locator('[data-test="compliance-share"]').waitFor({ timeout: 30_000 });

test('the auditor filters to privileged builds in one project, follows a BuildConfig and exports what the table shows', async () => {
  await withPage(h, 'auditor', async ({ page, errors, failed }) => {
    await page.goto(`${h.stack.consoleUrl}/dashboards`);
    await page.getByRole('link', { name: 'User namespace compliance' }).click();
    await page.waitForURL(new RegExp(`${DASHBOARD}$`));
    await page.getByRole('heading', { level: 1, name: 'User namespace compliance' }).waitFor();
    await headlineShown(page);
    await page.getByRole('grid', { name: 'Builds and their verdicts' }).waitFor();
    // The chart arrives after the headline, in its own chunk.
    await page.locator('[data-test="compliance-trend"] svg').first().waitFor();
    await screenshot(page, 'compliance-auditor');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // One project, privileged only: both filters land in the URL and in every row.
    await page.getByRole('combobox', { name: 'Filter by project' }).selectOption('team-a');
    await page.getByRole('combobox', { name: 'Filter by verdict' }).selectOption('Privileged');
    await page.waitForURL(/namespace=team-a/);
    await page.waitForURL(/verdict=Privileged/);
    const rows = page.locator('[data-test="compliance-build-row"]');
    // The URL changes first; the rows follow when the filtered page arrives.
    await page.waitForFunction(() => {
      const shown = [...document.querySelectorAll('[data-test="compliance-build-row"]')];
      return (
        shown.length > 0 &&
        shown.every(
          (r) => /team-a/.test(r.textContent ?? '') && /Privileged/.test(r.textContent ?? ''),
        )
      );
    });
    const rowTexts = await rows.allTextContents();
    expect(rowTexts.length).toBeGreaterThan(0);
    for (const text of rowTexts) {
      expect(text).toContain('team-a');
      expect(text).toContain('Privileged');
    }
    const total = await tableTotal(page);
    await screenshot(page, 'compliance-auditor-filtered');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The filtered view is shareable: the same URL opened afresh shows the same total.
    const shared = page.url();
    await page.goto(shared);
    await page.locator('[data-test="compliance-range"]').waitFor();
    expect(await tableTotal(page)).toBe(total);

    // The export of the current filter has exactly the table's total rows.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const file = await download.path();
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync(file, 'utf8');
    expect(csv.split(/\r?\n/)[0]).toMatch(/^namespace,name,buildConfig,/);
    expect(csvRows(csv)).toBe(total);
    await page.locator('[data-test="compliance-export-done"]').waitFor();

    // A row's BuildConfig link opens that BuildConfig's User namespace tab, where its switch is.
    const bcLink = rows.first().locator('td').nth(3).getByRole('link');
    const bcName = (await bcLink.textContent())!.trim();
    await bcLink.click();
    await page.waitForURL(new RegExp(`/k8s/ns/team-a/buildconfigs/${bcName}/user-namespace$`));
    await page.getByRole('heading', { level: 1, name: bcName }).waitFor();
    await page.getByRole('grid', { name: 'Recent builds' }).waitFor();
    await screenshot(page, 'compliance-auditor-buildconfig');
    // The tab looks for each recent build's pod; pruned ones answer 404, as in the console. That
    // is the only failure allowed, and only its own log lines go with it.
    const podGone =
      /^404 GET \/api\/kubernetes\/api\/v1\/namespaces\/team-a\/pods\/[a-z0-9-]+-build$/;
    expect(failed.filter((f) => !podGone.test(f))).toEqual([]);
    expect(errors.filter((e) => /status of 404/.test(e)).length).toBeLessThanOrEqual(failed.length);
    expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  });
});

test('a developer sees only their projects’ counts', async () => {
  const own = await apiAs('admin', 'summary?namespace=team-a&namespace=team-b&namespace=team-c');
  const all = await apiAs('admin', 'summary');
  // The seed has builds outside the developer's projects, or this test would prove nothing.
  expect(all.total).toBeGreaterThan(own.total);
  await withPage(h, 'developer', async ({ page, errors }) => {
    // The default window is 7 days: compare against the same window.
    await page.goto(`${h.stack.consoleUrl}${DASHBOARD}?window=30d`);
    await headlineShown(page);
    const since = new Date(Date.now() - 30 * 24 * 3600 * 1000 - 60_000).toISOString();
    const ownWindow = await apiAs(
      'admin',
      `summary?namespace=team-a&namespace=team-b&namespace=team-c&since=${encodeURIComponent(since.replace(/\.\d+Z$/, 'Z'))}`,
    );
    const headline = page.locator('[data-test="compliance-headline"]');
    await headline
      .getByText(`of ${ownWindow.total.toLocaleString('en-US')} builds ran in a user namespace`)
      .waitFor();
    const options = await page
      .getByRole('combobox', { name: 'Filter by project' })
      .locator('option')
      .allTextContents();
    expect(options.filter((o) => o !== 'All projects').sort()).toEqual(
      ownWindow.byNamespace.map((n) => n.namespace).sort(),
    );
    for (const o of options) expect(['All projects', 'team-a', 'team-b', 'team-c']).toContain(o);
    await screenshot(page, 'compliance-developer');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

test('the cluster overview card and a project’s tab and overview item show the share', async () => {
  await withPage(h, 'admin', async ({ page, errors }) => {
    await page.goto(`${h.stack.consoleUrl}/dashboards`);
    const card = page.locator('[data-test="userns-compliance-card"]');
    await card.locator('[data-test="userns-compliance-card-share"]').waitFor();
    expect(await card.textContent()).toMatch(/% of [\d,]+ builds ran user-namespaced/);
    await screenshot(page, 'compliance-overview-card');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.goto(`${h.stack.consoleUrl}/k8s/cluster/projects/team-a`);
    const item = page.locator('[data-test="userns-compliance-project-item"]');
    await item.getByText(/builds ran user-namespaced|No builds in the last 7 days/).waitFor();
    await item.getByRole('link', { name: 'User namespace builds' }).click();
    await page.waitForURL(/\/k8s\/cluster\/projects\/team-a\/userns-compliance/);
    await headlineShown(page);
    expect(await page.getByRole('combobox', { name: 'Filter by project' }).count()).toBe(0);
    await page.locator('[data-test="compliance-build-row"]').first().waitFor();
    const rows = await page.locator('[data-test="compliance-build-row"]').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    for (const text of rows) expect(text).toContain('team-a');
    await screenshot(page, 'compliance-project-tab');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
