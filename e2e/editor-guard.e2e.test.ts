// The policy editor's unsaved-changes guard in a real browser, through the shell's real router:
// the back and forward buttons ask before leaving an edit (and stay, keeping it, when told to),
// and closing the tab gets the browser's own leave-page prompt.
import type { Dialog, Page } from 'playwright-core';
import { kubeAs, POLICY_PATH as POLICY, setPolicySpec, useStack, withPage } from './harness';

const h = useStack();
const GUARD = 'You have unsaved changes to the build policy. Leave this page and lose them?';
const ENABLED = 'Enabled: builds run in a user namespace';

/** The policy as the scenarios expect it: default Disabled, so checking Enabled is an edit. */
const resetPolicy = () =>
  setPolicySpec(h, { userNamespaces: { default: 'Disabled', override: 'None' } });

/** From the overview to the editor by its link (so there is an entry behind it), then an edit. */
const openAndEdit = async (page: Page) => {
  await page.goto(`${h.stack.consoleUrl}/userns-builds`);
  await page.getByRole('link', { name: 'Edit policy', exact: true }).click();
  await page.waitForURL(/\/userns-builds\/edit$/);
  await page
    .getByLabel('Disabled: builds run privileged')
    .and(page.locator('input:checked'))
    .waitFor({ timeout: 60_000 });
  await page.getByLabel(ENABLED).check();
  await page.getByLabel('BuildPolicy changes').getByText('spec.userNamespaces.default').waitFor();
};

/**
 * Presses back or forward as the browser's buttons do, and answers the question it raises. A
 * move the page cancels never commits, so nothing waits for the move itself.
 */
const moveAndAnswer = async (page: Page, move: 'back' | 'forward', accept: boolean) => {
  const asked = page.waitForEvent('dialog');
  void (move === 'back' ? page.goBack() : page.goForward()).catch(() => null);
  const dialog = await asked;
  await (accept ? dialog.accept() : dialog.dismiss());
  return { type: dialog.type(), message: dialog.message() };
};

const heading = (page: Page) => page.getByRole('heading', { level: 1, name: 'Edit build policy' });

test('back asks first: staying keeps the edit on the editor, confirming goes back', async () => {
  await resetPolicy();
  await withPage(h, 'admin', async ({ page, errors }) => {
    await openAndEdit(page);

    expect(await moveAndAnswer(page, 'back', false)).toEqual({ type: 'confirm', message: GUARD });
    await heading(page).waitFor();
    expect(new URL(page.url()).pathname).toBe('/userns-builds/edit');
    expect(await page.getByLabel(ENABLED).isChecked()).toBe(true);
    await page.getByLabel('BuildPolicy changes').getByText('spec.userNamespaces.default').waitFor();

    expect(await moveAndAnswer(page, 'back', true)).toEqual({ type: 'confirm', message: GUARD });
    await page.waitForURL(/\/userns-builds$/);
    await page.getByRole('link', { name: 'Edit policy', exact: true }).waitFor();
    // Nothing was saved on the way out.
    const policy = await kubeAs(h, 'admin', 'GET', POLICY);
    expect(policy.body.spec.userNamespaces.default).toBe('Disabled');
    expect(errors).toEqual([]);
  });
});

test('forward is guarded too; a clean editor is left without a question', async () => {
  await resetPolicy();
  const unexpected: string[] = [];
  await withPage(h, 'admin', async ({ page, errors }) => {
    await page.goto(`${h.stack.consoleUrl}/userns-builds`);
    await page.getByRole('link', { name: 'Edit policy', exact: true }).click();
    await page.waitForURL(/\/userns-builds\/edit$/);
    const disabledShown = page
      .getByLabel('Disabled: builds run privileged')
      .and(page.locator('input:checked'));
    await disabledShown.waitFor({ timeout: 60_000 });
    // Nothing edited: the console's own navigation and back leave at once.
    const record = (d: Dialog) => {
      unexpected.push(d.message());
      void d.dismiss();
    };
    page.on('dialog', record);
    await page.locator('[data-test-id="nav-userns-builds-overview"]').click();
    await page.waitForURL(/\/userns-builds$/);
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForURL(/\/userns-builds\/edit$/);
    await disabledShown.waitFor({ timeout: 60_000 });
    page.off('dialog', record);
    expect(unexpected).toEqual([]);

    await page.getByLabel(ENABLED).check();
    expect(await moveAndAnswer(page, 'forward', false)).toEqual({
      type: 'confirm',
      message: GUARD,
    });
    await heading(page).waitFor();
    expect(new URL(page.url()).pathname).toBe('/userns-builds/edit');
    expect(await page.getByLabel(ENABLED).isChecked()).toBe(true);

    await moveAndAnswer(page, 'forward', true);
    await page.waitForURL(/\/userns-builds$/);
    await page.getByRole('link', { name: 'Edit policy', exact: true }).waitFor();
    expect(errors).toEqual([]);
  });
});

test('closing the tab with unsaved changes gets the browser leave-page prompt', async () => {
  await resetPolicy();
  await withPage(h, 'admin', async ({ page }) => {
    await openAndEdit(page);
    const asked = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const dialog = await asked;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    await page.waitForFunction(() => document.readyState === 'complete');
    expect(page.isClosed()).toBe(false);
    expect(await page.getByLabel(ENABLED).isChecked()).toBe(true);
  });
});
