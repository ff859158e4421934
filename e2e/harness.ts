// Shared set-up for the browser tests: one stack (cluster, backend, console shell) on free ports,
// Debian's Chromium through playwright-core, screenshots and axe checks per page.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
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
