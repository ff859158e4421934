// Shared set-up for the browser tests: one stack (cluster, backend, console shell) on free ports
// per test file, Debian's Chromium through playwright-core, screenshots and axe checks per page.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { parse as parseYAML } from 'yaml';
import { startStack, type Stack } from '../dev/stack';
import { USER_COOKIE, type DemoUser } from '../dev/console/app/users';

export const SCREENSHOTS = resolve(__dirname, '..', 'test-results', 'screenshots');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Harness {
  stack: Stack;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const stateDir = mkdtempSync(join(tmpdir(), 'userns-e2e-'));
  const stack = await startStack({
    ports: 0,
    stateDir,
    reset: true,
    buildStepMs: 100,
    log: () => undefined,
  });
  // The scenarios need the webhook: fail here with the reason, not later on a missing verdict.
  if (!stack.backendUrl) {
    await stack.stop();
    throw new Error(`the backend did not start: ${stack.backendError ?? 'no backend/main.ts'}`);
  }
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
  } catch (e) {
    await stack.stop();
    throw e;
  }
  return {
    stack,
    browser,
    stop: async () => {
      await browser.close();
      await stack.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Starting the stack may first build the plugin and the shell (about a minute each). */
const STACK_START_TIMEOUT_MS = 600_000;
/**
 * A scenario drives several pages and waits for builds. Set per file: jest ignores `testTimeout`
 * in a project's config (jest.config.js), taking it only from the root.
 */
const TEST_TIMEOUT_MS = 180_000;

export interface UseStackOptions {
  /**
   * What the file's tests share, made once the stack runs and before the first test: objects to
   * create, a policy to set, a service to wait for. A failure here fails every test of the file.
   */
  setUp?: (h: Harness) => Promise<unknown>;
  /** Each test's timeout, when the file's scenarios need more than the harness's 3 minutes. */
  testTimeoutMs?: number;
}

/**
 * The stack for one test file: started before its first test, stopped after its last. Call it at
 * the top of the file; the harness it returns is usable inside tests (and `setUp`) only.
 */
export function useStack(opts: UseStackOptions = {}): Harness {
  let started: Harness | undefined;
  const running = (): Harness => {
    if (!started) throw new Error('the stack is not running: use it inside a test of this file');
    return started;
  };
  const h: Harness = {
    get stack() {
      return running().stack;
    },
    get browser() {
      return running().browser;
    },
    stop: () => running().stop(),
  };
  jest.setTimeout(opts.testTimeoutMs ?? TEST_TIMEOUT_MS);
  beforeAll(async () => {
    started = await startHarness();
    await opts.setUp?.(h);
  }, STACK_START_TIMEOUT_MS);
  afterAll(async () => {
    await started?.stop();
  });
  return h;
}

/** The cluster-wide BuildPolicy the plugin and the backend read. */
export const POLICY_PATH = '/apis/userns.builds.dev/v1alpha1/buildpolicies/cluster';

/** Puts the BuildPolicy's spec in a known state for a scenario, whatever the last one left. */
export async function setPolicySpec(h: Harness, spec: Record<string, unknown>): Promise<void> {
  const current = await kubeAs(h, 'admin', 'GET', POLICY_PATH);
  expect(current.status).toBe(200);
  const put = await kubeAs(h, 'admin', 'PUT', POLICY_PATH, { ...current.body, spec });
  expect(put.status).toBe(200);
}

const FIXTURES = resolve(__dirname, '..', 'dev', 'cluster', 'fixtures');

/**
 * Creates a BuildConfig from one of the emulator's fixtures (`dev/cluster/fixtures/`) under a
 * new name, as `user`. Returns the API's answer for the test to check.
 */
export async function createBuildConfig(
  h: Harness,
  user: keyof Stack['tokens'],
  fixture: string,
  metadata: { name: string; namespace: string },
): ReturnType<typeof kubeAs> {
  const bc = parseYAML(readFileSync(join(FIXTURES, fixture), 'utf8')) as Record<string, unknown>;
  bc.metadata = metadata;
  return kubeAs(
    h,
    user,
    'POST',
    `/apis/build.openshift.io/v1/namespaces/${metadata.namespace}/buildconfigs`,
    bc,
  );
}

/**
 * A raw call to the local cluster's API as a demo user, for set-up and for checking what the UI
 * wrote. PATCH bodies are merge patches unless `contentType` says otherwise.
 */
export async function kubeAs(
  h: Harness,
  user: keyof Stack['tokens'],
  method: string,
  path: string,
  body?: unknown,
  contentType = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
  // Tests read whatever JSON comes back; their assertions say what matters.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${h.stack.clusterUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${h.stack.tokens[user]}`, 'content-type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

export interface UserPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** Responses of 400 and above so far, as `<status> <method> <path>`. */
  failed: string[];
}

/** A fresh browser context logged in (via the shell's cookie) as a demo user. */
export async function pageAs(h: Harness, user: DemoUser): Promise<UserPage> {
  const context = await h.browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addCookies([{ name: USER_COOKIE, value: user, url: h.stack.consoleUrl }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  // Chromium logs a failed request without its URL: keep the requests beside the errors.
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) {
      failed.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    }
  });
  return { context, page, errors, failed };
}

/**
 * Runs `use` on a fresh page logged in as `user`, then closes it. When `use` throws, the error
 * also says what the page saw (its address, console errors and failed responses, and a
 * screenshot's path): a locator's timeout alone rarely says why the page never got there.
 */
export async function withPage<T>(
  h: Harness,
  user: DemoUser,
  use: (p: UserPage) => Promise<T>,
): Promise<T> {
  const p = await pageAs(h, user);
  try {
    return await use(p);
  } catch (e) {
    let shot: string;
    try {
      const test = expect.getState().currentTestName ?? 'e2e';
      // A hung page must not spend the rest of the test's time on its picture.
      const gaveUp = new AbortController();
      shot = await Promise.race([
        screenshot(p.page, `failed-${slug(test)}-${user}-${++failedShots}`),
        sleep(15_000, undefined, { signal: gaveUp.signal }).then(() => {
          throw new Error('the page did not answer in 15 s');
        }),
      ]).finally(() => gaveUp.abort());
    } catch (s) {
      shot = `none (${(s as Error).message.split('\n')[0]})`;
    }
    throw withReport(e, failureReport(user, p.page.url(), p, shot));
  } finally {
    await p.context.close();
  }
}

// Numbers the failure screenshots, so two pages of one test (two admins) keep one each.
let failedShots = 0;

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);

/** What a failed test's page saw, as lines to append to its error. */
export function failureReport(
  user: string,
  url: string,
  seen: Pick<UserPage, 'errors' | 'failed'>,
  screenshotPath: string,
): string {
  const list = (items: string[]) =>
    items.length ? items.map((i) => `\n    ${i}`).join('') : ' none';
  return [
    `page as ${user} at ${url}`,
    `  console errors:${list(seen.errors)}`,
    `  failed responses:${list(seen.failed)}`,
    `  screenshot: ${screenshotPath}`,
  ].join('\n');
}

/**
 * The thrown error with `report` appended to its message; the same error, so jest still shows its
 * diff and the line that threw. Jest prints the stack, whose first lines are the message as it
 * was when the stack was first read (Playwright reads it when it throws; V8 otherwise formats
 * it on first read): read it now, then put the longer message in its place.
 */
export function withReport(thrown: unknown, report: string): Error {
  const e = thrown instanceof Error ? thrown : new Error(String(thrown));
  const before = e.message;
  const stack = e.stack;
  e.message = `${before}\n\n${report}`;
  if (stack !== undefined) {
    e.stack = before && stack.includes(before) ? stack.replace(before, e.message) : stack;
  }
  return e;
}

/**
 * Waits until the open Actions menu's item `id` (its `data-test-action`) has its access review's
 * answer, then says whether it is enabled. A pending review shows as disabled too, so "disabled"
 * means it stayed so for `timeoutMs`.
 */
export async function actionEnabled(page: Page, id: string, timeoutMs = 15_000): Promise<boolean> {
  const state = await page
    .waitForFunction(
      (actionId) => {
        const el = document.querySelector(`[data-test-action="${actionId}"]`);
        const item = el?.matches('[role="menuitem"]')
          ? el
          : (el?.querySelector('[role="menuitem"]') ?? el?.closest('[role="menuitem"]'));
        if (!item) return undefined;
        return item.getAttribute('aria-disabled') !== 'true' ? 'enabled' : undefined;
      },
      id,
      { timeout: timeoutMs },
    )
    .catch(() => undefined);
  return (await state?.jsonValue()) === 'enabled';
}

/** Waits until every item of the open menu is disabled: each access review has said no. */
export async function allActionsDisabled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('[role="menuitem"]')].every(
        (i) => i.getAttribute('aria-disabled') === 'true',
      ),
    undefined,
    { timeout: 30_000 },
  );
}

/**
 * A PNG of the whole page. The console layout scrolls inside its main region, not the document,
 * so `fullPage` alone would cut long pages at the window's height: the viewport grows by what
 * the main region hides, for the shot only.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  const viewport = page.viewportSize();
  const hidden = await page.evaluate(() => {
    const scrollers = [document.getElementById('content'), document.querySelector('main')];
    return Math.max(0, ...scrollers.map((el) => (el ? el.scrollHeight - el.clientHeight : 0)));
  });
  if (viewport && hidden > 0) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height + hidden });
  }
  try {
    await page.screenshot({ path, fullPage: true });
  } finally {
    if (viewport && hidden > 0) await page.setViewportSize(viewport);
  }
  return path;
}

/** axe-core violations that are serious or critical, as "rule: target" lines. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help}`));
}
