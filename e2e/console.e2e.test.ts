// The product as `npm start` runs it, in a real browser: the plugin loads the way console 4.22
// loads it, its pages render and are accessible, and RBAC shows through the UI.
import {
  actionEnabled,
  allActionsDisabled,
  createBuildConfig,
  kubeAs,
  screenshot,
  seriousA11yViolations,
  useStack,
  withPage,
} from './harness';

const h = useStack();

test('the plugin loads with no console errors; its nav item and page render', async () => {
  await withPage(h, 'admin', async ({ page, errors }) => {
    await page.goto(`${h.stack.consoleUrl}/dashboards`);
    const nav = page.getByRole('link', { name: 'User namespace builds' });
    await nav.waitFor();
    // The plugin's nav item sits in the console's Builds section, as its extension asks.
    const buildsSection = page
      .locator('section, li')
      .filter({ has: page.getByRole('button', { name: 'Builds', exact: true }) });
    await expect(
      buildsSection.getByRole('link', { name: 'User namespace builds' }).count(),
    ).resolves.toBe(1);
    await nav.click();
    await page.waitForURL(/\/userns-builds$/);
    await page.getByRole('heading', { level: 1, name: 'User namespace builds' }).waitFor();
    // The admin may update the policy, so the page offers to edit it (the auditor test relies on
    // this to mean something when the button is absent).
    await page.getByRole('link', { name: 'Edit policy YAML' }).waitFor();
    expect(await page.getByText(/unsupported extension:/).count()).toBe(0);
    expect(await page.getByText('failed to load').count()).toBe(0);
    await screenshot(page, 'plugin-overview-admin');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

test('the host, not the plugin, provides every shared module the plugin uses', async () => {
  await withPage(h, 'admin', async ({ page }) => {
    await page.goto(`${h.stack.consoleUrl}/userns-builds`);
    await page.getByRole('heading', { level: 1, name: 'User namespace builds' }).waitFor();
    // Each shared module's loaded version must come from the shell; a plugin-provided copy means
    // a second React, SDK or PatternFly in the page.
    const fromPlugin = await page.evaluate(() => {
      const scope = window.__DEV_CONSOLE_SHARE_SCOPE__ as Record<
        string,
        Record<string, { from: string; loaded?: number; eager?: boolean }>
      >;
      return Object.entries(scope).flatMap(([name, versions]) =>
        Object.entries(versions)
          .filter(([, v]) => v.loaded && v.from !== 'userns-builds-dev-console')
          .map(([version, v]) => `${name}@${version} from ${v.from}`),
      );
    });
    expect(fromPlugin).toEqual([]);
  });
});

test('BuildConfig list and details pages render with their tabs, accessibly', async () => {
  await withPage(h, 'developer', async ({ page, errors }) => {
    await page.goto(`${h.stack.consoleUrl}/k8s/ns/team-a/buildconfigs`);
    await page.getByRole('heading', { level: 1, name: 'BuildConfigs' }).waitFor();
    const first = page.getByRole('table').getByRole('link').first();
    await first.waitFor();
    await screenshot(page, 'buildconfigs-list-developer');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await first.click();
    await page.getByRole('heading', { level: 2, name: 'BuildConfig details' }).waitFor();
    await page.getByRole('tab', { name: 'YAML' }).waitFor();
    await screenshot(page, 'buildconfig-details-developer');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

test('a developer starts a build of a user-namespace BuildConfig and sees it run to completion', async () => {
  const created = await createBuildConfig(h, 'admin', 'bc-source-unprivileged.yaml', {
    name: 'e2e-userns',
    namespace: 'team-a',
  });
  expect(created.status).toBe(201);

  await withPage(h, 'developer', async ({ page, errors }) => {
    await page.goto(`${h.stack.consoleUrl}/k8s/ns/team-a/buildconfigs/e2e-userns`);
    await page.getByRole('button', { name: 'Actions' }).click();
    const start = page.getByRole('menuitem', { name: 'Start build' });
    // Enabled once the SelfSubjectAccessReview says yes (disabled while it is pending).
    expect(await actionEnabled(page, 'start-build', 30_000)).toBe(true);
    await start.click();
    await page.waitForURL(/\/k8s\/ns\/team-a\/builds\/e2e-userns-\d+$/);
    // The watch carries the build through its phases without a reload.
    await page
      .locator('[data-test="status-text"]', { hasText: 'Complete' })
      .waitFor({ timeout: 60_000 });
    // The plugin's details item reads the build pod's log and verifies the user namespace from
    // the builder's own "Started in kernel user namespace" line.
    const item = page.locator('[data-test-id="details-item-userns-builds-user-namespace"]');
    await item.getByRole('term').filter({ hasText: 'User namespace' }).waitFor();
    await item
      .locator('[data-test="userns-verdict"]', { hasText: 'User namespace (verified)' })
      .waitFor({ timeout: 30_000 });
    await item.getByText(/^Builder log: .*Started in kernel user namespace/).waitFor();
    await screenshot(page, 'build-details-developer');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  // The build pod ran user-namespaced: OpenShift's BUILD_PRIVILEGED=false shape (docs/architecture.md#openshift-build-pods).
  const pods = await kubeAs(
    h,
    'admin',
    'GET',
    '/api/v1/namespaces/team-a/pods?labelSelector=openshift.io%2Fbuild.name%3De2e-userns-1',
  );
  expect(pods.body.items).toHaveLength(1);
  expect(pods.body.items?.[0]?.metadata.annotations?.['io.kubernetes.cri-o.userns-mode']).toBe(
    'auto:size=65536',
  );
});

test('the auditor can look but cannot edit: write actions are disabled', async () => {
  await withPage(h, 'auditor', async ({ page, errors }) => {
    await page.goto(`${h.stack.consoleUrl}/k8s/all-namespaces/buildconfigs`);
    await page.getByRole('heading', { level: 1, name: 'BuildConfigs' }).waitFor();
    await page.getByRole('table').getByRole('link').first().waitFor();
    expect(await page.getByRole('link', { name: /^Create / }).count()).toBe(0);
    await page.getByRole('table').getByRole('link').first().click();
    await page.getByRole('button', { name: 'Actions' }).click();
    const items = page.getByRole('menuitem');
    await items.first().waitFor();
    // Every action reviews access; wait until the reviews have answered, then none is enabled.
    await allActionsDisabled(page);
    expect(await items.count()).toBeGreaterThan(0);
    await screenshot(page, 'buildconfig-actions-auditor');
    await page.keyboard.press('Escape');
    // The plugin asks (SelfSubjectAccessReview) whether the user may update the policy, and
    // offers "Edit policy YAML" only on a yes.
    const updateReview = page.waitForResponse((r) => {
      const body = r.request().postData() ?? '';
      return (
        r.url().endsWith('/selfsubjectaccessreviews') &&
        body.includes('"resource":"buildpolicies"') &&
        body.includes('"verb":"update"')
      );
    });
    await page.goto(`${h.stack.consoleUrl}/userns-builds`);
    await page.getByRole('heading', { level: 1, name: 'User namespace builds' }).waitFor();
    await page.getByRole('heading', { name: 'Effective policy' }).waitFor();
    const review = (await (await updateReview).json()) as { status?: { allowed?: boolean } };
    expect(review.status?.allowed).toBe(false);
    // Let React render the answer before looking for the button.
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
    );
    expect(await page.getByRole('link', { name: 'Edit policy YAML' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Edit policy YAML' }).count()).toBe(0);
    await screenshot(page, 'plugin-overview-auditor');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
