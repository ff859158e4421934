// npm run bench:ui — Chromium loads the compliance dashboard cold (a fresh browser context each
// sample) against the local stack seeded with 1,000 and then 100,000 builds, in the same run, and
// prints per size: time to the headline's first paint, time until the build table is interactive,
// the page's JS heap, and the 100k/1k ratio of each. The ratios show whether the page's cost
// follows the number of builds (it must not: the browser only ever holds a page).
//
// What is loaded is what a user of a real console gets: production builds of both the console
// shell (NODE_ENV=production, minified, React's production build) and the plugin (`npm run build`,
// the files the backend serves under /plugin/), made by this command into a temporary directory so
// `npm start`'s development builds are left alone. Times are reported twice: from navigation
// (what the user waits for, including the console's own start-up, which this plugin cannot cut)
// and from the moment the console asks for the plugin's manifest (the plugin's own cost, which
// the targets are about).
//
// `-- --baseline=REF` also builds the plugin at a git ref (e.g. main) and loads it through a second
// console server on the same cluster and backend, alternating samples with the current tree, so
// before/after ratios come from one run under one load. `-- --shell=DIR` reuses a production
// shell built earlier (`NODE_ENV=production webpack --config dev/console/webpack.config.ts
// --output-path DIR`): it is the slow build, and the plugin's changes don't touch it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ROOT, startStack, type Stack } from '../dev/stack';
import { USER_COOKIE } from '../dev/console/app/users';
import { CHROMIUM_ARGS } from './harness';

const SIZES = [1_000, 100_000] as const;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);
const TARGETS = { pluginHeadlineMs: 1_000, tableMs: 2_000, heapMB: 150, ratio: 1.5 };
const DASHBOARD = '/userns-builds/compliance';

const arg = (name: string): string | undefined =>
  process.argv
    .slice(2)
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3);

interface Sample {
  headlineMs: number;
  tableMs: number;
  heapMB: number;
  /** When the console asked for the plugin's manifest: the console's own share of the wait. */
  pluginStartMs: number;
  /** Headline paint after the console asked for the plugin: the plugin's own cost. */
  pluginHeadlineMs: number;
  pluginTableMs: number;
  /** The plugin's JavaScript fetched before the headline: files and bytes on the wire. */
  jsFiles: number;
  jsKB: number;
  /** After the plugin start: when its translations and the summary request were asked for. */
  localeStartMs: number;
  summaryStartMs: number;
  summaryMs: number;
  buildsMs: number;
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

/** Read back in the page: the marks above and the resource timings that explain them. */
const TIMINGS = `(() => {
  const rs = performance.getEntriesByType('resource');
  const find = (part) => rs.find((r) => r.name.includes(part));
  const manifest = find('/plugin-manifest.json');
  const start = manifest ? manifest.startTime : NaN;
  const headline = window.__bench.headline;
  const js = rs.filter((r) => r.name.includes('/api/plugins/') && /\\.js$/.test(new URL(r.name).pathname)
    && r.startTime < headline);
  const span = (r) => (r ? r.responseEnd - r.startTime : NaN);
  const summary = find('/api/v1/compliance/summary');
  const locale = find('ns=plugin__');
  return { headline, table: window.__bench.table, pluginStart: start,
    jsFiles: js.length, jsBytes: js.reduce((n, r) => n + r.encodedBodySize, 0),
    localeStart: locale ? locale.startTime - start : NaN,
    summaryStart: summary ? summary.startTime - start : NaN,
    summary: span(summary), builds: span(find('/api/v1/compliance/builds')) };
})()`;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const KEYS: (keyof Sample)[] = [
  'headlineMs',
  'tableMs',
  'heapMB',
  'pluginStartMs',
  'pluginHeadlineMs',
  'pluginTableMs',
  'jsFiles',
  'jsKB',
  'localeStartMs',
  'summaryStartMs',
  'summaryMs',
  'buildsMs',
];

const medianSample = (samples: Sample[]): Sample =>
  Object.fromEntries(KEYS.map((k) => [k, median(samples.map((s) => s[k]))])) as unknown as Sample;

/** Production builds of the plugin (at `ref`, or the working tree) and the shell, into `dir`. */
function buildProduction(
  dir: string,
  ref: string | undefined,
  prebuiltShell?: string,
): { plugin: string; shell: string } {
  const webpack = join(ROOT, 'node_modules', '.bin', 'webpack');
  const env = { ...process.env, NODE_ENV: 'production' };
  const plugin = join(dir, ref ? 'plugin-baseline' : 'plugin');
  let cwd = ROOT;
  if (ref) {
    // The ref's own tree, with this checkout's packages: only the sources differ.
    cwd = join(dir, 'baseline-src');
    mkdirSync(cwd);
    const tar = execFileSync('git', ['archive', '--format=tar', ref], {
      cwd: ROOT,
      maxBuffer: 1 << 30,
    });
    execFileSync('tar', ['-x', '-C', cwd], { input: tar });
    symlinkSync(join(ROOT, 'node_modules'), join(cwd, 'node_modules'));
  }
  const run = (args: string[], at: string, what: string) => {
    const r = spawnSync(webpack, args, { cwd: at, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building ${what} failed:\n${r.stdout}\n${r.stderr}`);
  };
  run(['--output-path', plugin], cwd, `the plugin${ref ? ` at ${ref}` : ''}`);
  const shell = prebuiltShell ?? join(dir, 'shell');
  if (!ref && !prebuiltShell) {
    run(
      ['--config', 'dev/console/webpack.config.ts', '--output-path', shell],
      ROOT,
      'the console shell',
    );
  }
  return { plugin, shell };
}

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

async function sample(browser: Browser, consoleUrl: string): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    await context.addCookies([{ name: USER_COOKIE, value: 'auditor', url: consoleUrl }]);
    await context.addInitScript(OBSERVER);
    const page = await context.newPage();
    await page.goto(`${consoleUrl}${DASHBOARD}`);
    await page.waitForFunction(
      () => {
        const b = (window as unknown as { __bench: { headline?: number; table?: number } }).__bench;
        return b.headline !== undefined && b.table !== undefined;
      },
      undefined,
      { timeout: 60_000 },
    );
    // A string, not a function: tsx would wrap named functions in a helper the page lacks.
    const t = (await page.evaluate(TIMINGS)) as Record<string, number>;
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    return {
      headlineMs: t.headline!,
      tableMs: t.table!,
      heapMB: heap / 1024 / 1024,
      pluginStartMs: t.pluginStart!,
      pluginHeadlineMs: t.headline! - t.pluginStart!,
      pluginTableMs: t.table! - t.pluginStart!,
      jsFiles: t.jsFiles!,
      jsKB: t.jsBytes! / 1024,
      localeStartMs: t.localeStart!,
      summaryStartMs: t.summaryStart!,
      summaryMs: t.summary!,
      buildsMs: t.builds!,
    };
  } finally {
    await context.close();
  }
}

interface Measured {
  current: Sample;
  baseline?: Sample;
}

async function measure(
  browser: Browser,
  builds: number,
  dists: { plugin: string; shell: string; baseline?: string },
): Promise<Measured> {
  const stateDir = mkdtempSync(join(tmpdir(), 'userns-bench-ui-'));
  const started = Date.now();
  const stack = await startStack({
    ports: 0,
    stateDir,
    reset: true,
    seedBuilds: builds,
    pluginDist: dists.plugin,
    shellDist: dists.shell,
    log: () => undefined,
  });
  try {
    if (!stack.backendUrl) throw new Error(`the backend did not start: ${stack.backendError}`);
    await waitForApi(stack);
    const baselineUrl = dists.baseline ? await stack.addConsole(dists.baseline) : undefined;
    process.stdout.write(
      `  ${builds.toLocaleString('en-US')} builds: stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s; `,
    );
    // One warm-up load each (the servers' first requests compile and fill caches), then the
    // samples, alternating between the builds so a change in load hits both alike.
    await sample(browser, stack.consoleUrl);
    if (baselineUrl) await sample(browser, baselineUrl);
    const current: Sample[] = [];
    const baseline: Sample[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      current.push(await sample(browser, stack.consoleUrl));
      if (baselineUrl) baseline.push(await sample(browser, baselineUrl));
    }
    process.stdout.write(`${SAMPLES} samples${baselineUrl ? ' of each build' : ''}\n`);
    return {
      current: medianSample(current),
      ...(baselineUrl && { baseline: medianSample(baseline) }),
    };
  } finally {
    await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

type Row = [label: string, key: keyof Sample, unit: string, target?: number];

const ROWS: Row[] = [
  ['headline, from navigation', 'headlineMs', 'ms'],
  ['table, from navigation', 'tableMs', 'ms', TARGETS.tableMs],
  ['  console start-up', 'pluginStartMs', 'ms'],
  ['headline, plugin only', 'pluginHeadlineMs', 'ms', TARGETS.pluginHeadlineMs],
  ['table, plugin only', 'pluginTableMs', 'ms'],
  ['JS heap', 'heapMB', 'MB', TARGETS.heapMB],
  ['  plugin JS files', 'jsFiles', ''],
  ['  plugin JS (wire)', 'jsKB', 'KB'],
  ['  locale asked at', 'localeStartMs', 'ms'],
  ['  summary asked at', 'summaryStartMs', 'ms'],
  ['  summary request', 'summaryMs', 'ms'],
  ['  first builds page', 'buildsMs', 'ms'],
];

const fmt = (n: number, unit: string) =>
  `${n.toFixed(unit === 'MB' ? 1 : 0)}${unit ? ` ${unit}` : ''}`.padStart(12);

const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  const baselineRef = arg('baseline');
  console.log(
    `bench:ui — cold loads of ${DASHBOARD} as the auditor in Chromium, median of ${SAMPLES} per size`,
  );
  console.log(
    '  production builds of the console shell and the plugin; backend under tsx, as `npm start` runs it',
  );
  console.log(
    '  "from navigation" includes the console\'s own start-up (not the plugin\'s to cut);',
  );
  console.log(
    '  "plugin only" counts from the console asking for the plugin manifest: the targets are about that',
  );
  // Absolute times on a shared machine say as much about its load as about the page; the ratios
  // are measured under the same load.
  console.log(`  load average at start: ${load()}`);
  const dir = mkdtempSync(join(tmpdir(), 'userns-bench-ui-builds-'));
  const results: Measured[] = [];
  try {
    const t0 = Date.now();
    const { plugin, shell } = buildProduction(dir, undefined, arg('shell'));
    const baseline = baselineRef ? buildProduction(dir, baselineRef).plugin : undefined;
    console.log(`  production builds made in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      for (const size of SIZES)
        results.push(await measure(browser, size, { plugin, shell, baseline }));
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const [small, big] = results as [Measured, Measured];
  console.log('');
  console.log(
    `${'measure'.padEnd(28)}${'1,000'.padStart(12)}${'100,000'.padStart(12)}${'ratio'.padStart(8)}   target at 100k`,
  );
  let failed = false;
  for (const [label, key, unit, target] of ROWS) {
    const [a, b] = [small.current[key], big.current[key]];
    const ratio = b / a;
    const met = target === undefined || (b < target && ratio < TARGETS.ratio);
    if (!met) failed = true;
    const verdict =
      target === undefined
        ? ''
        : `< ${target} ${unit}, ratio < ${TARGETS.ratio}: ${met ? 'ok' : 'MISSED'}`;
    console.log(
      `${label.padEnd(28)}${fmt(a, unit)}${fmt(b, unit)}${ratio.toFixed(2).padStart(8)}   ${verdict}`,
    );
  }
  if (small.baseline && big.baseline) {
    console.log('');
    console.log(`this tree against ${baselineRef}, same run (after / before):`);
    for (const [label, key, unit] of ROWS) {
      const cells = [small, big]
        .map(
          (m) =>
            `${fmt(m.baseline![key], unit)} →${fmt(m.current[key], unit)} ${(m.current[key] / m.baseline![key]).toFixed(2).padStart(5)}`,
        )
        .join('   ');
      console.log(`${label.padEnd(28)}${cells}`);
    }
    console.log(
      `${''.padEnd(28)}${'1,000 builds'.padStart(30)}   ${'100,000 builds'.padStart(30)}`,
    );
  }
  console.log(`  load average at end: ${load()}`);
  console.log('');
  console.log(failed ? 'bench:ui: a target was missed' : 'bench:ui: every target met');
  process.exitCode = failed ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
