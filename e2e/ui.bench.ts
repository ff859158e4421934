// npm run bench:ui — Chromium loads the compliance dashboard cold (a fresh browser context each
// sample) against the local stack seeded with 1,000 and then 100,000 builds, in the same run, and
// prints per size: time to the headline's first paint, time until the build table is interactive,
// the page's JS heap, and the 100k/1k ratio of each. The ratios are the point: they show whether
// the page's cost follows the number of builds (it must not: the browser only ever holds a page).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startStack, type Stack } from '../dev/stack';
import { USER_COOKIE } from '../dev/console/app/users';
import { CHROMIUM_ARGS } from './harness';

const SIZES = [1_000, 100_000] as const;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);
const TARGETS = { headlineMs: 1_000, tableMs: 2_000, heapMB: 150, ratio: 1.5 };
const DASHBOARD = '/userns-builds/compliance';

interface Sample {
  headlineMs: number;
  tableMs: number;
  heapMB: number;
  summaryMs: number;
  buildsMs: number;
  /** Headline paint after the shell asked for the plugin's entry: the plugin's own share. */
  pluginHeadlineMs: number;
}

/**
 * Runs in the page before any of its scripts: notes when the headline and the first table row
 * are first on screen (the frame after they enter the DOM), in ms since navigation start.
 */
const OBSERVER = `
  window.__bench = {};
  const frame = (key) => requestAnimationFrame(() => setTimeout(() => {
    if (window.__bench[key] === undefined) window.__bench[key] = performance.now();
  }, 0));
  const seen = {};
  new MutationObserver(() => {
    if (!seen.h && document.querySelector('[data-test="compliance-share"]')) { seen.h = 1; frame('headline'); }
    if (!seen.t && document.querySelector('[data-test="compliance-build-row"]')) { seen.t = 1; frame('table'); }
  }).observe(document, { subtree: true, childList: true });
`;

/** Read back in the page: the marks above and the API requests' durations. */
const TIMINGS = `(() => {
  const api = (endpoint) => {
    const e = performance.getEntriesByType('resource')
      .find((r) => r.name.includes('/api/v1/compliance/' + endpoint));
    return e ? e.responseEnd - e.startTime : NaN;
  };
  const entry = performance.getEntriesByType('resource')
    .find((r) => r.name.includes('/plugin-entry'));
  return { headline: window.__bench.headline, table: window.__bench.table,
    summary: api('summary'), builds: api('builds'), pluginStart: entry ? entry.startTime : NaN };
})()`;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The backend fills its Build cache after start; the API answers 503 until then. */
async function waitForApi(stack: Stack, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(
      `${stack.consoleUrl}/api/proxy/plugin/userns-builds/backend/api/v1/compliance/summary`,
      { headers: { cookie: `${USER_COOKIE}=auditor` } },
    ).catch(() => undefined);
    if (res?.ok) return;
    if (Date.now() > deadline)
      throw new Error(`the compliance API was not ready after ${timeoutMs} ms (${res?.status})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function sample(browser: Browser, stack: Stack): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    await context.addCookies([{ name: USER_COOKIE, value: 'auditor', url: stack.consoleUrl }]);
    await context.addInitScript(OBSERVER);
    const page = await context.newPage();
    await page.goto(`${stack.consoleUrl}${DASHBOARD}`);
    await page.waitForFunction(
      () => {
        const b = (window as unknown as { __bench: { headline?: number; table?: number } }).__bench;
        return b.headline !== undefined && b.table !== undefined;
      },
      undefined,
      { timeout: 60_000 },
    );
    // A string, not a function: tsx would wrap named functions in a helper the page lacks.
    const timings = (await page.evaluate(TIMINGS)) as {
      headline: number;
      table: number;
      summary: number;
      builds: number;
      pluginStart: number;
    };
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    return {
      headlineMs: timings.headline,
      tableMs: timings.table,
      heapMB: heap / 1024 / 1024,
      summaryMs: timings.summary,
      buildsMs: timings.builds,
      pluginHeadlineMs: timings.headline - timings.pluginStart,
    };
  } finally {
    await context.close();
  }
}

async function measure(browser: Browser, builds: number): Promise<Sample> {
  const stateDir = mkdtempSync(join(tmpdir(), 'userns-bench-ui-'));
  const started = Date.now();
  const stack = await startStack({
    ports: 0,
    stateDir,
    reset: true,
    seedBuilds: builds,
    log: () => undefined,
  });
  try {
    if (!stack.backendUrl) throw new Error(`the backend did not start: ${stack.backendError}`);
    await waitForApi(stack);
    process.stdout.write(
      `  ${builds.toLocaleString('en-US')} builds: stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s; `,
    );
    // One warm-up load (the servers' first requests compile and fill caches), then the samples.
    await sample(browser, stack);
    const samples: Sample[] = [];
    for (let i = 0; i < SAMPLES; i++) samples.push(await sample(browser, stack));
    process.stdout.write(`${SAMPLES} samples\n`);
    const med = (k: keyof Sample) => median(samples.map((s) => s[k]));
    return {
      headlineMs: med('headlineMs'),
      tableMs: med('tableMs'),
      heapMB: med('heapMB'),
      summaryMs: med('summaryMs'),
      buildsMs: med('buildsMs'),
      pluginHeadlineMs: med('pluginHeadlineMs'),
    };
  } finally {
    await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `bench:ui — cold loads of ${DASHBOARD} as the auditor in Chromium, median of ${SAMPLES} per size`,
  );
  console.log('  (backend under tsx, as `npm start` runs it; emulator seeded per size)');
  // Absolute times on a shared machine say as much about its load as about the page; the ratios
  // are measured under the same load.
  console.log(
    `  load average at start: ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const results: Sample[] = [];
  try {
    for (const size of SIZES) results.push(await measure(browser, size));
  } finally {
    await browser.close();
  }
  const [small, big] = results as [Sample, Sample];
  const rows: [string, keyof Sample, string, number | undefined][] = [
    ['headline first paint', 'headlineMs', 'ms', TARGETS.headlineMs],
    ['table interactive', 'tableMs', 'ms', TARGETS.tableMs],
    ['JS heap', 'heapMB', 'MB', TARGETS.heapMB],
    ['  from plugin entry', 'pluginHeadlineMs', 'ms', undefined],
    ['  summary request', 'summaryMs', 'ms', undefined],
    ['  first builds page', 'buildsMs', 'ms', undefined],
  ];
  console.log('');
  console.log(
    `${'measure'.padEnd(22)}${'1,000'.padStart(12)}${'100,000'.padStart(12)}${'ratio'.padStart(8)}   target at 100k`,
  );
  let failed = false;
  for (const [label, key, unit, target] of rows) {
    const ratio = big[key] / small[key];
    const verdict =
      target === undefined
        ? ''
        : `< ${target} ${unit}, ratio < ${TARGETS.ratio}: ${
            big[key] < target && ratio < TARGETS.ratio ? 'ok' : 'MISSED'
          }`;
    if (target !== undefined && !(big[key] < target && ratio < TARGETS.ratio)) failed = true;
    const fmt = (n: number) => `${n.toFixed(unit === 'MB' ? 1 : 0)} ${unit}`.padStart(12);
    console.log(
      `${label.padEnd(22)}${fmt(small[key])}${fmt(big[key])}${ratio.toFixed(2).padStart(8)}   ${verdict}`,
    );
  }
  console.log(
    `  load average at end: ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
  console.log('');
  console.log(failed ? 'bench:ui: a target was missed' : 'bench:ui: every target met');
  process.exitCode = failed ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
