// The per-BuildConfig user namespace switch in a real browser: a developer turns a BuildConfig
// off, starts a build and sees it privileged; turns it on from the kebab action's modal, starts
// another and sees it user-namespaced, both with their verdicts; the auditor sees it read-only.
import type { Page } from 'playwright-core';
import {
  actionEnabled,
  allActionsDisabled,
  createBuildConfig,
  kubeAs,
  POLICY_PATH,
  screenshot,
  seriousA11yViolations,
  useStack,
  withPage,
} from './harness';

const NS = 'team-a';
const BC = 'e2e-toggle';

const h = useStack({
  // Two builds run to completion in one scenario.
  testTimeoutMs: 240_000,
  setUp: async () => {
    const created = await createBuildConfig(h, 'admin', 'bc-docker.yaml', {
      name: BC,
      namespace: NS,
    });
    expect(created.status).toBe(201);
    // The policy lets builds choose, and passes one annotation key through.
    const policy = await kubeAs(h, 'admin', 'PATCH', POLICY_PATH, {
      spec: {
        userNamespaces: { default: 'Enabled', override: 'None', mode: 'CRIOAnnotation' },
        passthroughAnnotations: ['io.kubernetes.cri-o.userns-mode'],
      },
    });
    expect(policy.status).toBe(200);
  },
});

const bcUrl = () => `${h.stack.consoleUrl}/k8s/ns/${NS}/buildconfigs/${BC}`;

/** Starts a build from the BuildConfig's Actions menu; waits for it to finish; returns its name. */
const startBuild = async (page: Page): Promise<string> => {
  await page.goto(bcUrl());
  await page.getByRole('button', { name: 'Actions' }).click();
  expect(await actionEnabled(page, 'start-build')).toBe(true);
  await page.getByRole('menuitem', { name: 'Start build' }).click();
  await page.waitForURL(new RegExp(`/k8s/ns/${NS}/builds/${BC}-\\d+$`));
  await page
    .locator('[data-test="status-text"]', { hasText: 'Complete' })
    .waitFor({ timeout: 60_000 });
  return page.url().split('/').pop()!;
};

const verdictOnBuildPage = (page: Page) =>
  page
    .locator('[data-test-id="details-item-userns-builds-user-namespace"]')
    .locator('[data-test="userns-verdict"]');

test('a developer switches a BuildConfig off, then on, and each build runs as chosen', async () => {
  await withPage(h, 'developer', async ({ page, errors, failed }) => {
    // Off, on the User namespace tab.
    await page.goto(bcUrl());
    await page.getByRole('tab', { name: 'User namespace' }).click();
    await page.waitForURL(/\/user-namespace$/);
    const follow = page.getByRole('radio', { name: /^Follow the cluster policy/ });
    await follow.waitFor();
    expect(await follow.isChecked()).toBe(true);
    // check() waits until the radio is enabled, i.e. the access review said yes.
    await page.getByRole('radio', { name: /^Privileged/ }).check();
    // The preview shows the decision before saving.
    await page
      .getByText("The build's own BUILD_PRIVILEGED takes precedence over the cluster default.")
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. The next build uses it.').waitFor();
    await screenshot(page, 'buildconfig-toggle-tab-developer');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The patch changed only the env: BUILD_PRIVILEGED=true next to BUILD_LOGLEVEL.
    const saved = await kubeAs(
      h,
      'admin',
      'GET',
      `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs/${BC}`,
    );
    const spec = saved.body.spec as { strategy: { dockerStrategy: { env: unknown[] } } };
    expect(spec.strategy.dockerStrategy.env).toEqual([
      { name: 'BUILD_LOGLEVEL', value: '2' },
      { name: 'BUILD_PRIVILEGED', value: 'true' },
    ]);

    const first = await startBuild(page);
    await verdictOnBuildPage(page).filter({ hasText: 'Privileged' }).waitFor({ timeout: 30_000 });

    // On, from the kebab action's modal.
    await page.goto(bcUrl());
    await page.getByRole('button', { name: 'Actions' }).click();
    expect(await actionEnabled(page, 'userns-builds-edit-user-namespace')).toBe(true);
    await page.getByRole('menuitem', { name: 'Edit user namespace' }).click();
    const modal = page.getByRole('dialog', { name: `User namespace for ${BC}` });
    await modal.waitFor();
    expect(await modal.getByRole('radio', { name: /^Privileged/ }).isChecked()).toBe(true);
    await modal.getByRole('radio', { name: /^User namespace/ }).check();
    await modal.getByText('The admission webhook then changes it:').waitFor();
    await screenshot(page, 'buildconfig-toggle-modal-developer');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await modal.getByText('Saved. The next build uses it.').waitFor();
    await modal.getByRole('button', { name: 'Close' }).last().click();

    const second = await startBuild(page);
    await verdictOnBuildPage(page)
      .filter({ hasText: 'User namespace (verified)' })
      .waitFor({ timeout: 30_000 });

    // The Build's own User namespace tab has every piece of evidence.
    await page.getByRole('tab', { name: 'User namespace' }).click();
    await page
      .locator('[data-test="userns-tab-uid-map"]')
      .getByText(/container 0 → host \d+/)
      .waitFor({ timeout: 30_000 });
    await page
      .locator('[data-test="userns-tab-decision"]')
      .getByText("The build's own BUILD_PRIVILEGED")
      .waitFor();
    await page
      .locator('[data-test="userns-tab-pod"]')
      .getByRole('link', { name: `${second}-build` })
      .waitFor();
    await screenshot(page, 'build-user-namespace-tab-developer');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Both builds, newest first, with their verdicts, on the BuildConfig's tab.
    await page.goto(`${bcUrl()}/user-namespace`);
    const table = page.getByRole('grid', { name: 'Recent builds' });
    await table.waitFor();
    const row = (name: string) =>
      table.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    await row(second).getByText('User namespace (verified)').waitFor({ timeout: 30_000 });
    await row(first).getByText('Privileged').waitFor({ timeout: 30_000 });

    // A passthrough value core would drop says why before saving.
    const mode = page.getByRole('textbox', { name: 'io.kubernetes.cri-o.userns-mode' });
    await mode.fill('auto:uidmapping=0:0:65536');
    await page.getByText(/Build pods will not get this value: .*host UID 0/).waitFor();
    await screenshot(page, 'buildconfig-toggle-tab-after-developer');
    expect(await seriousA11yViolations(page)).toEqual([]);
    // A new build's pod may not exist yet when its page first asks for it (a 404, as in the
    // console); that is the only failure allowed, and only its own log line goes with it.
    const podNotYet = new RegExp(
      `^404 GET /api/kubernetes/api/v1/namespaces/${NS}/pods/${BC}-\\d+-build$`,
    );
    expect(failed.filter((f) => !podNotYet.test(f))).toEqual([]);
    const notFoundLines = errors.filter((e) => /status of 404/.test(e));
    expect(notFoundLines.length).toBeLessThanOrEqual(failed.length);
    expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  });
});

test('an edit made meanwhile by someone else is a conflict shown to the user, never overwritten', async () => {
  const path = `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs/${BC}`;
  await withPage(h, 'developer', async ({ page, errors }) => {
    await page.goto(`${bcUrl()}/user-namespace`);
    const follow = page.getByRole('radio', { name: /^Follow the cluster policy/ });
    await follow.check();
    // Someone else edits the strategy env after the page showed it.
    const theirs = await kubeAs(
      h,
      'admin',
      'PATCH',
      path,
      [
        {
          op: 'add',
          path: '/spec/strategy/dockerStrategy/env/-',
          value: { name: 'THEIRS', value: '1' },
        },
      ],
      'application/json-patch+json',
    );
    expect(theirs.status).toBe(200);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const conflict = page.locator('[data-test="userns-conflict"]');
    await conflict.getByText('Someone else changed this BuildConfig').waitFor();
    // Their edit is intact, and the user's choice is still on screen.
    const between = await kubeAs(h, 'admin', 'GET', path);
    const env = () =>
      (between.body.spec as { strategy: { dockerStrategy: { env: { name: string }[] } } }).strategy
        .dockerStrategy.env;
    expect(env().map((e) => e.name)).toContain('THEIRS');
    expect(env().map((e) => e.name)).toContain('BUILD_PRIVILEGED');
    expect(await follow.isChecked()).toBe(true);
    await screenshot(page, 'buildconfig-toggle-conflict-developer');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await conflict.getByRole('button', { name: 'Apply my change to the current version' }).click();
    await page.getByText('Saved. The next build uses it.').waitFor();
    const after = await kubeAs(h, 'admin', 'GET', path);
    expect(
      (after.body.spec as { strategy: { dockerStrategy: { env: unknown[] } } }).strategy
        .dockerStrategy.env,
    ).toEqual([
      { name: 'BUILD_LOGLEVEL', value: '2' },
      { name: 'THEIRS', value: '1' },
    ]);
    // Chromium logs the refused PATCH itself; nothing else may go wrong.
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
  });
});

test('the auditor sees the switch read-only, with the reason, and no enabled action', async () => {
  await withPage(h, 'auditor', async ({ page, errors }) => {
    await page.goto(`${bcUrl()}/user-namespace`);
    await page.getByText('Read only').waitFor({ timeout: 30_000 });
    await page
      .getByText(`You may not patch BuildConfig ${BC} in namespace ${NS}`, { exact: false })
      .waitFor();
    for (const radio of await page.getByRole('radio').all())
      expect(await radio.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    expect(
      await page.getByRole('textbox', { name: 'io.kubernetes.cri-o.userns-mode' }).isDisabled(),
    ).toBe(true);
    await screenshot(page, 'buildconfig-toggle-tab-auditor');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Edit user namespace' }).waitFor();
    await allActionsDisabled(page);
    expect(errors).toEqual([]);
  });
});
