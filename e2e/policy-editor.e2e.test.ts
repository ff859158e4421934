// The build policy editor in a real browser against the local cluster: an admin changes the
// default and sees the impact before saving, two admins collide and the second keeps their edit,
// the auditor gets a read-only editor, and the Cluster Settings entries lead there.
import type { Page } from 'playwright-core';
import {
  kubeAs,
  POLICY_PATH as POLICY,
  screenshot,
  seriousA11yViolations,
  setPolicySpec,
  useStack,
  withPage,
} from './harness';

const h = useStack();

/** The numbers in the impact sentence: [user-namespaced, privileged, blocked]. */
const impactCounts = async (page: Page): Promise<number[]> => {
  const text = (await page.getByTestId('impact-totals').textContent()) ?? '';
  const m =
    /next builds of (\d+) will run in a user namespace .* (\d+) will stay privileged .* (\d+) will be blocked/.exec(
      text,
    );
  if (!m) throw new Error(`unexpected impact text: ${text}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

const openEditor = async (page: Page) => {
  await page.goto(`${h.stack.consoleUrl}/userns-builds/edit`);
  await page.getByRole('heading', { level: 1, name: 'Edit build policy' }).waitFor();
  await page.getByTestId('impact-totals').waitFor({ timeout: 60_000 });
};

test('an admin sets the default to Enabled, sees the impact change before saving, and saves', async () => {
  await setPolicySpec(h, { userNamespaces: { default: 'Disabled', override: 'None' } });
  await withPage(h, 'admin', async ({ page, errors }) => {
    // From the overview, as an admin would get there.
    await page.goto(`${h.stack.consoleUrl}/userns-builds`);
    await page.getByRole('link', { name: 'Edit policy', exact: true }).click();
    await page.waitForURL(/\/userns-builds\/edit$/);
    await page.getByTestId('impact-totals').waitFor({ timeout: 60_000 });
    // As a person would: read the impact once the form shows the saved policy (Disabled), not
    // while the shell's watch may still be delivering the policy just reset above.
    await page
      .getByLabel('Disabled: builds run privileged')
      .and(page.locator('input:checked'))
      .waitFor({ timeout: 60_000 });
    const before = await impactCounts(page);
    expect(before[0]! + before[1]!).toBeGreaterThan(0);

    await page.getByLabel('Enabled: builds run in a user namespace').check();
    await page.waitForFunction((usernsBefore) => {
      const text = document.querySelector('[data-testid="impact-totals"]')?.textContent ?? '';
      const m = /next builds of (\d+) will run/.exec(text);
      return !!m && Number(m[1]) > usernsBefore;
    }, before[0]!);
    const after = await impactCounts(page);
    expect(after[0]).toBeGreaterThan(before[0]!);
    expect(after[0]! + after[1]! + after[2]!).toBe(before[0]! + before[1]! + before[2]!);
    await page.getByLabel('BuildPolicy changes').getByText('spec.userNamespaces.default').waitFor();
    await screenshot(page, 'policy-editor-admin-before-save');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('save-success').waitFor();
    const saved = await kubeAs(h, 'admin', 'GET', POLICY);
    expect(saved.body.spec.userNamespaces?.default).toBe('Enabled');
    expect(errors).toEqual([]);
  });
});

test('two admins edit at once: the second sees the conflict and keeps their edit', async () => {
  await setPolicySpec(h, { userNamespaces: { default: 'Enabled', override: 'None' } });
  await withPage(h, 'admin', (first) =>
    withPage(h, 'admin', async (second) => {
      await openEditor(first.page);
      await openEditor(second.page);

      // The second admin starts an edit first...
      await second.page.getByRole('button', { name: 'Add passthrough key' }).click();
      await second.page.getByLabel('Passthrough key 1', { exact: true }).fill('example.com/team');

      // ...while the first saves another change.
      await first.page
        .getByLabel('Required: every build runs in a user namespace, whatever it asks for')
        .check();
      await first.page.getByRole('button', { name: 'Save', exact: true }).click();
      await first.page.getByTestId('save-success').waitFor();

      await second.page.getByRole('button', { name: 'Save', exact: true }).click();
      await second.page.getByText('The build policy changed on the server').waitFor();
      await second.page
        .getByLabel('Changed on the server')
        .getByText('spec.userNamespaces.override')
        .waitFor();
      await second.page.getByLabel('Your edit').getByText('spec.passthroughAnnotations').waitFor();
      expect(await second.page.getByLabel('Passthrough key 1', { exact: true }).inputValue()).toBe(
        'example.com/team',
      );
      await screenshot(second.page, 'policy-editor-conflict');
      expect(await seriousA11yViolations(second.page)).toEqual([]);

      await second.page
        .getByRole('button', { name: 'Reapply my changes on the new version' })
        .click();
      await second.page.getByRole('button', { name: 'Save', exact: true }).click();
      await second.page.getByTestId('save-success').waitFor();

      const saved = await kubeAs(h, 'admin', 'GET', POLICY);
      expect(saved.body.spec.userNamespaces?.override).toBe('Required');
      expect(saved.body.spec.passthroughAnnotations).toEqual(['example.com/team']);
      expect(first.errors).toEqual([]);
      // The 409 itself is logged by the browser as a failed request; nothing else may be.
      expect(second.errors.filter((e) => !/409/.test(e))).toEqual([]);
    }),
  );
});

test('the auditor sees the editor read-only, with the reason', async () => {
  await withPage(h, 'auditor', async ({ page, errors }) => {
    await page.goto(`${h.stack.consoleUrl}/userns-builds`);
    await page.getByRole('link', { name: 'View in the policy editor' }).click();
    await page.waitForURL(/\/userns-builds\/edit$/);
    await page.getByTestId('policy-read-only').waitFor();
    expect(await page.getByTestId('policy-read-only').textContent()).toContain(
      'You may not update the BuildPolicy "cluster"',
    );
    expect(await page.getByLabel('Enabled: builds run in a user namespace').isDisabled()).toBe(
      true,
    );
    expect(await page.getByRole('button', { name: 'Add namespace' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('tab', { name: 'OpenShift build defaults and overrides' }).click();
    await page.getByTestId('cluster-read-only').waitFor();
    expect(await page.getByLabel('Always pull builder images (forcePull)').isDisabled()).toBe(true);
    await screenshot(page, 'policy-editor-auditor');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

test('Cluster Settings lead to the policy: global config and the Builds configuration group', async () => {
  await withPage(h, 'admin', async ({ page, errors }) => {
    await page.goto(`${h.stack.consoleUrl}/settings/cluster`);
    // console.global-config is gated on the CRD's flag, which discovery sets.
    await page
      .locator('[data-test-id="global-config-userns-builds-policy"]')
      .getByRole('link')
      .waitFor();
    await page.getByRole('link', { name: 'Cluster configuration' }).click();
    await page.getByRole('tab', { name: 'Builds' }).waitFor();
    const item = page.locator('[data-test="cluster-configuration-item userns-builds-default"]');
    await item.getByRole('combobox').waitFor();
    expect(await item.getByRole('combobox').isDisabled()).toBe(false);
    await screenshot(page, 'cluster-configuration-builds-admin');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Open the policy editor' }).click();
    await page.waitForURL(/\/userns-builds\/edit$/);
    expect(errors).toEqual([]);
  });
});
