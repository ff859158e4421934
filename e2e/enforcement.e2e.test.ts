// Enforcement as `npm start` installs it, in a real browser: the overview says the API server
// enforces the policy, and with Required and the backend down a developer's build page shows why
// its pod was refused. The install's integrity policies are there too: a developer cannot rewrite
// a build's recorded verdict.
import {
  createBuildConfig,
  kubeAs,
  POLICY_PATH,
  screenshot,
  seriousA11yViolations,
  useStack,
  withPage,
} from './harness';

const h = useStack();

test('the overview shows enforcement installed and active', async () => {
  await withPage(h, 'admin', async ({ page, errors }) => {
    await page.goto(`${h.stack.consoleUrl}/userns-builds`);
    const card = page.locator('[data-testid="enforcement-status"]');
    await card.getByRole('heading', { name: 'Enforcement in the API server' }).waitFor();
    await card.locator('[data-testid="enforcement-state"]', { hasText: 'Active' }).waitFor();
    // The seeded policy does not say Required, so there is nothing to warn about.
    expect(await page.locator('[data-testid="enforcement-warning"]').count()).toBe(0);
    await screenshot(page, 'enforcement-overview-admin');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

test("a developer's edit of a recorded verdict is refused by the API server", async () => {
  const list = await kubeAs(
    h,
    'developer',
    'GET',
    '/apis/build.openshift.io/v1/namespaces/team-a/builds',
  );
  expect(list.status).toBe(200);
  const items = list.body.items as {
    metadata: { name: string; annotations?: Record<string, string> };
  }[];
  const recorded = items.find(
    (b) => b.metadata.annotations?.['userns.builds.dev/verdict'] === 'Privileged',
  );
  expect(recorded).toBeDefined();
  const path = `/apis/build.openshift.io/v1/namespaces/team-a/builds/${recorded?.metadata.name}`;
  const edit = await kubeAs(h, 'developer', 'PATCH', path, {
    metadata: { annotations: { 'userns.builds.dev/verdict': 'UserNamespaced' } },
  });
  expect(edit.status).toBe(403);
  expect(JSON.stringify(edit.body)).toContain('userns-builds-verdicts');
  const after = await kubeAs(h, 'developer', 'GET', path);
  expect(after.body.metadata.annotations['userns.builds.dev/verdict']).toBe('Privileged');
});

test("with Required and the backend down, the developer's build page shows the refusal", async () => {
  const policy = await kubeAs(h, 'admin', 'PATCH', POLICY_PATH, {
    spec: { userNamespaces: { override: 'Required', exemptNamespaces: [] } },
  });
  expect(policy.status).toBe(200);
  await h.stack.stopBackend();

  // A BuildConfig that asks for nothing: OpenShift makes its pod privileged.
  const created = await createBuildConfig(h, 'developer', 'bc-docker.yaml', {
    name: 'e2e-enforced',
    namespace: 'team-a',
  });
  expect(created.status).toBe(201);
  const started = await kubeAs(
    h,
    'developer',
    'POST',
    '/apis/build.openshift.io/v1/namespaces/team-a/buildconfigs/e2e-enforced/instantiate',
    {
      kind: 'BuildRequest',
      apiVersion: 'build.openshift.io/v1',
      metadata: { name: 'e2e-enforced' },
    },
  );
  expect(started.status).toBe(201);
  const build = started.body.metadata.name as string;

  await withPage(h, 'developer', async ({ page, errors }) => {
    await page.goto(`${h.stack.consoleUrl}/k8s/ns/team-a/builds/${build}`);
    // What the API says first, so a failure below is the page's, not the cluster's.
    let status: { phase?: string; reason?: string } = {};
    for (let i = 0; i < 100 && !status.reason; i++) {
      const got = await kubeAs(
        h,
        'developer',
        'GET',
        `/apis/build.openshift.io/v1/namespaces/team-a/builds/${build}`,
      );
      status = got.body.status ?? {};
      if (!status.reason) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toMatchObject({ phase: 'New', reason: 'CannotCreateBuildPod' });
    const item = page.locator('[data-test-id="details-item-userns-builds-user-namespace"]');
    const refusal = item.locator('[data-test="userns-refusal"]');
    await refusal.getByText('The API server refused the build pod').waitFor({ timeout: 60_000 });
    await refusal
      .getByText(/Build pod refused in namespace team-a: container .* is privileged/)
      .waitFor();
    await refusal.getByText(/Start the userns-builds backend/).waitFor();
    // The build waits for a pod, as openshift-controller-manager leaves it.
    await page.locator('[data-test="status-text"]', { hasText: 'New' }).waitFor();
    await screenshot(page, 'enforcement-build-refused-developer');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
