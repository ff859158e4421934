import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { useAccessReview, useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import fullPolicy from '../__fixtures__/build-policy-full.json';
import requiredPolicy from '../__fixtures__/build-policy-required.json';
import { forbiddenError, noModelError, notFoundError, serverError } from '../__fixtures__/errors';
import { buildPolicyCreatePath, buildPolicyYamlPath, policyEditorPath } from '../models';
import PolicyOverviewPage from './PolicyOverviewPage';

const watch = jest.mocked(useK8sWatchResource);
const accessReview = jest.mocked(useAccessReview);

const watchReturns = (data: unknown, loaded: boolean, error?: unknown) =>
  watch.mockReturnValue([data as K8sResourceCommon, loaded, error]);

/** Grants the verbs listed, denies the rest. */
const allow = (...verbs: string[]) =>
  accessReview.mockImplementation((attrs) => [verbs.includes(attrs.verb ?? ''), false]);

const renderPage = () =>
  render(
    <MemoryRouter>
      <PolicyOverviewPage />
    </MemoryRouter>,
  );

/** The preview table's three rows as [the build says, how it runs]. */
const previewRows = () =>
  ['Unset', 'PrivilegedFalse', 'PrivilegedTrue'].map((choice) => {
    const cells = within(screen.getByTestId(`preview-${choice}`)).getAllByRole('cell');
    return [cells[0]!.textContent, cells[1]!.textContent];
  });

beforeEach(() => {
  watch.mockReset();
  accessReview.mockReset();
  allow('create', 'update');
});

describe('PolicyOverviewPage', () => {
  it('watches the cluster BuildPolicy by group, version and kind', () => {
    watchReturns({}, false);
    renderPage();
    expect(watch).toHaveBeenCalledWith({
      groupVersionKind: { group: 'userns.builds.dev', version: 'v1alpha1', kind: 'BuildPolicy' },
      name: 'cluster',
      isList: false,
    });
    expect(document.title).toBe('User namespace builds');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('User namespace builds');
  });

  it('shows a spinner while loading', () => {
    watchReturns({}, false);
    renderPage();
    expect(screen.getByRole('progressbar')).toHaveAccessibleName('Loading the build policy');
    expect(screen.queryByRole('grid')).not.toBeInTheDocument();
  });

  it('shows the effective policy and its preview when loaded', () => {
    watchReturns(fullPolicy, true);
    renderPage();
    expect(screen.getByText('Enabled: builds run in a user namespace')).toBeInTheDocument();
    expect(screen.getByText('None: a build may choose with BUILD_PRIVILEGED')).toBeInTheDocument();
    expect(screen.getByText('CRI-O annotation and pod spec hostUsers: false')).toBeInTheDocument();
    expect(screen.getByText('legacy-builds')).toBeInTheDocument();
    expect(
      screen.getByText('io.kubernetes.cri-o.userns-mode=auto:size=131072'),
    ).toBeInTheDocument();
    expect(screen.getByText('example.com/cost-center=builds')).toBeInTheDocument();
    expect(screen.getByText('example.com/team')).toBeInTheDocument();
    expect(previewRows()).toEqual([
      ['Nothing (no BUILD_PRIVILEGED)', 'User namespace'],
      ['BUILD_PRIVILEGED=false', 'User namespace'],
      ['BUILD_PRIVILEGED=true', 'Privileged'],
    ]);
    expect(screen.getByRole('link', { name: 'Edit policy YAML' })).toHaveAttribute(
      'href',
      buildPolicyYamlPath,
    );
    expect(screen.getByRole('link', { name: 'Edit policy' })).toHaveAttribute(
      'href',
      policyEditorPath,
    );
  });

  it('fills defaults the spec leaves out and previews an override', () => {
    watchReturns(requiredPolicy, true);
    renderPage();
    expect(screen.getByText('Disabled: builds run privileged')).toBeInTheDocument();
    expect(
      screen.getByText('Required: every build runs in a user namespace, whatever it asks for'),
    ).toBeInTheDocument();
    expect(screen.getByText('CRI-O annotation (io.kubernetes.cri-o.userns-mode)')).toBeVisible();
    // Exempt namespaces, both annotation lists and passthrough are empty.
    expect(screen.getAllByText('None')).toHaveLength(4);
    expect(previewRows().map(([, how]) => how)).toEqual([
      'User namespace',
      'User namespace',
      'User namespace',
    ]);
    expect(
      screen.getAllByText('The policy requires user namespaces for every build.'),
    ).toHaveLength(3);
  });

  it('offers editing only to users who may update the policy', () => {
    allow('create');
    watchReturns(fullPolicy, true);
    renderPage();
    expect(screen.getByText('Effective policy')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Edit policy YAML' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Edit policy' })).not.toBeInTheDocument();
    // The editor still opens, read-only, for everyone who can read the policy.
    expect(screen.getByRole('link', { name: 'View in the policy editor' })).toHaveAttribute(
      'href',
      policyEditorPath,
    );
    expect(accessReview).toHaveBeenCalledWith({
      group: 'userns.builds.dev',
      resource: 'buildpolicies',
      verb: 'update',
      name: 'cluster',
    });
  });

  it("explains OpenShift's default when there is no policy (404), with a create link", () => {
    watchReturns({}, false, notFoundError());
    renderPage();
    expect(screen.getByRole('heading', { name: 'No build policy yet' })).toBeInTheDocument();
    expect(screen.getByText(/Builds follow OpenShift's default/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Create build policy' })).toHaveAttribute(
      'href',
      buildPolicyCreatePath,
    );
    expect(previewRows()).toEqual([
      ['Nothing (no BUILD_PRIVILEGED)', 'Privileged'],
      ['BUILD_PRIVILEGED=false', 'User namespace'],
      ['BUILD_PRIVILEGED=true', 'Privileged'],
    ]);
    expect(
      screen.getByText('No policy: OpenShift runs builds privileged by default.'),
    ).toBeInTheDocument();
  });

  it('hides the create link from users who may not create a policy', () => {
    allow('update');
    watchReturns({}, false, notFoundError());
    renderPage();
    expect(screen.getByRole('heading', { name: 'No build policy yet' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Create build policy' })).not.toBeInTheDocument();
  });

  it('says when the BuildPolicy API is not installed, with nothing to create', () => {
    watchReturns({}, true, noModelError());
    renderPage();
    expect(
      screen.getByRole('heading', { name: 'The BuildPolicy API is not installed' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/Builds follow OpenShift's default/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Create build policy' })).not.toBeInTheDocument();
  });

  it('shows a load error with the server message', () => {
    watchReturns({}, false, serverError());
    renderPage();
    expect(screen.getByText('The build policy could not be loaded')).toBeInTheDocument();
    expect(screen.getByText('Internal Server Error')).toBeInTheDocument();
    expect(screen.queryByText('What happens to a build')).not.toBeInTheDocument();
  });

  it('says so when the user may not read the policy', () => {
    watchReturns({}, false, forbiddenError());
    renderPage();
    expect(
      screen.getByText('You do not have permission to read the build policy'),
    ).toBeInTheDocument();
  });
});

describe('PolicyOverviewPage enforcement', () => {
  /** Answers each watch by kind: the BuildPolicy, the policy and the binding. */
  const watchByKind = (answers: Record<string, [unknown, boolean, unknown?]>) =>
    watch.mockImplementation((resource) => {
      const kind = resource?.groupVersionKind?.kind ?? '';
      const [data, loaded, error] = answers[kind] ?? [undefined, false, undefined];
      return [data as K8sResourceCommon, loaded, error];
    });
  const installed = {
    ValidatingAdmissionPolicy: [
      {
        metadata: { name: 'userns-builds-required' },
        spec: { paramKind: { apiVersion: 'userns.builds.dev/v1alpha1', kind: 'BuildPolicy' } },
      },
      true,
    ],
    ValidatingAdmissionPolicyBinding: [
      {
        metadata: { name: 'userns-builds-required' },
        spec: {
          policyName: 'userns-builds-required',
          validationActions: ['Deny'],
          paramRef: { name: 'cluster', parameterNotFoundAction: 'Allow' },
        },
      },
      true,
    ],
  } satisfies Record<string, [unknown, boolean]>;

  it('watches the refusing policy and its binding by name', () => {
    watchByKind({ BuildPolicy: [requiredPolicy, true], ...installed });
    renderPage();
    expect(watch).toHaveBeenCalledWith({
      groupVersionKind: {
        group: 'admissionregistration.k8s.io',
        version: 'v1',
        kind: 'ValidatingAdmissionPolicyBinding',
      },
      name: 'userns-builds-required',
      isList: false,
    });
  });

  it('says enforcement is active, and does not warn, when Required is enforced', () => {
    watchByKind({ BuildPolicy: [requiredPolicy, true], ...installed });
    renderPage();
    const card = screen.getByTestId('enforcement-status');
    expect(within(card).getByText('Active')).toBeInTheDocument();
    expect(within(card).getByText(/even while the userns-builds backend is down/)).toBeVisible();
    expect(screen.queryByTestId('enforcement-warning')).not.toBeInTheDocument();
  });

  it('warns when Required is set and enforcement is not installed', () => {
    watchByKind({
      BuildPolicy: [requiredPolicy, true],
      ValidatingAdmissionPolicy: [undefined, false, notFoundError()],
      ValidatingAdmissionPolicyBinding: [undefined, false, notFoundError()],
    });
    renderPage();
    expect(
      within(screen.getByTestId('enforcement-status')).getByText('Not installed'),
    ).toBeVisible();
    expect(screen.getByTestId('enforcement-warning')).toHaveTextContent(
      'Required is not guaranteed without enforcement',
    );
  });

  it('does not warn without Required, and says why a binding does not enforce', () => {
    const [binding] = installed.ValidatingAdmissionPolicyBinding;
    watchByKind({
      BuildPolicy: [fullPolicy, true],
      ValidatingAdmissionPolicy: installed.ValidatingAdmissionPolicy,
      ValidatingAdmissionPolicyBinding: [
        { ...binding, spec: { ...binding.spec, validationActions: ['Warn'] } },
        true,
      ],
    });
    renderPage();
    const card = screen.getByTestId('enforcement-status');
    expect(within(card).getByText('Installed, not active')).toBeVisible();
    expect(
      within(card).getByText('The binding does not deny (spec.validationActions lacks Deny).'),
    ).toBeVisible();
    expect(screen.queryByTestId('enforcement-warning')).not.toBeInTheDocument();
  });
});
