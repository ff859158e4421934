// The failure report withPage() adds to a failed browser test: no browser needed to check it.
import { failureReport, withReport } from './harness';

const seen = {
  errors: ['Failed to load resource: the server responded with a status of 404'],
  failed: ['404 GET /api/kubernetes/api/v1/namespaces/team-a/pods/x-1-build'],
};

test('the report names the user, the address, every console error and failed response', () => {
  const report = failureReport('auditor', 'http://127.0.0.1:1/k8s', seen, '/tmp/shot.png');
  expect(report.split('\n')).toEqual([
    'page as auditor at http://127.0.0.1:1/k8s',
    '  console errors:',
    `    ${seen.errors[0]}`,
    '  failed responses:',
    `    ${seen.failed[0]}`,
    '  screenshot: /tmp/shot.png',
  ]);
});

test('a page that saw nothing wrong says so, rather than leaving the lists out', () => {
  const report = failureReport('admin', 'about:blank', { errors: [], failed: [] }, 'none');
  expect(report).toContain('console errors: none');
  expect(report).toContain('failed responses: none');
});

test('the report is appended to the same error, so its type and frames survive', () => {
  const original = new TypeError('locator.waitFor: Timeout 30000ms exceeded.');
  const reported = withReport(original, 'page as admin at about:blank');
  expect(reported).toBe(original);
  expect(reported.message).toBe(
    'locator.waitFor: Timeout 30000ms exceeded.\n\npage as admin at about:blank',
  );
});

test("the report is in the stack jest prints, even when the stack was read before (Playwright's errors)", () => {
  const original = new Error('locator.waitFor: Timeout 2000ms exceeded.');
  expect(original.stack).toMatch(/^Error: locator\.waitFor: Timeout 2000ms exceeded\.\n/);
  const reported = withReport(original, 'page as auditor at about:blank');
  expect(reported.stack).toMatch(
    /^Error: locator\.waitFor: Timeout 2000ms exceeded\.\n\npage as auditor at about:blank\n +at /,
  );
  // Once, not twice.
  expect(reported.stack!.split('page as auditor').length).toBe(2);
});

test('an error whose stack was never read gets the report once', () => {
  const reported = withReport(new Error('inner'), 'page as admin at about:blank');
  expect(reported.stack!.split('page as admin').length).toBe(2);
  expect(reported.stack).toMatch(/^Error: inner\n\npage as admin at about:blank\n +at /);
});

test('a thrown non-error becomes an error carrying both', () => {
  const reported = withReport('refused', 'page as developer at about:blank');
  expect(reported).toBeInstanceOf(Error);
  expect(reported.message).toBe('refused\n\npage as developer at about:blank');
});
