import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { Link, MemoryRouter, useLocation } from 'react-router';
import {
  k8sCreate,
  k8sGet,
  k8sUpdate,
  useAccessReview,
  useK8sWatchResource,
} from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import disabledPolicy from '../../__fixtures__/build-policy-disabled.json';
import buildConfigs from '../../__fixtures__/buildconfigs-impact.json';
import clusterBuild from '../../__fixtures__/cluster-build.json';
import { conflictError, noModelError, notFoundError, serverError } from '../../__fixtures__/errors';
import { BuildPolicyModel, ClusterBuildModel } from '../../models';
import PolicyEditorPage from './PolicyEditorPage';

// Each case renders the whole page (both forms, the impact table); the shared CI machine is slow.
jest.setTimeout(30_000);

const watch = jest.mocked(useK8sWatchResource);
const accessReview = jest.mocked(useAccessReview);
const update = jest.mocked(k8sUpdate);
const create = jest.mocked(k8sCreate);
const get = jest.mocked(k8sGet);

type WatchResult = [unknown, boolean, unknown];
let watched: Record<string, WatchResult>;

/** What each watch returns, by kind ("Build" is the cluster build configuration). */
const setWatched = (overrides: Record<string, WatchResult> = {}) => {
  watched = {
    BuildPolicy: [disabledPolicy, true, undefined],
    Build: [clusterBuild, true, undefined],
    BuildConfig: [buildConfigs, true, undefined],
    Namespace: [
      [{ metadata: { name: 'team-a' } }, { metadata: { name: 'team-b' } }],
      true,
      undefined,
    ],
    ...overrides,
  };
};

/** Grants the verbs listed, denies the rest. */
const allow = (...verbs: string[]) =>
  accessReview.mockImplementation((attrs) => [verbs.includes(attrs.verb ?? ''), false]);

const Where = () => <output aria-label="location">{useLocation().pathname}</output>;

const renderPage = () =>
  render(
    <MemoryRouter initialEntries={['/userns-builds/edit']}>
      <PolicyEditorPage />
      <Link to="/elsewhere">Leave</Link>
      <Where />
    </MemoryRouter>,
  );

const settle = () => act(async () => undefined);
const saveButton = () => screen.getByRole('button', { name: /^(Save|Create and save)$/ });
const policyChanges = () => within(screen.getByLabelText('BuildPolicy changes'));
const totals = () => screen.getByTestId('impact-totals').textContent;

/** Clicks Save and lets the writes and their answers settle. */
const saveAndSettle = async () => {
  fireEvent.click(saveButton());
  await settle();
};

/** The edit most saving cases start from: the page, its default switched to Enabled, saved. */
const enableAndSave = async () => {
  renderPage();
  fireEvent.click(screen.getByLabelText('Enabled: builds run in a user namespace'));
  await saveAndSettle();
};

/** Exactly one update was sent: `model`'s "cluster" at the resourceVersion read, with `spec`. */
const expectOneUpdate = (model: unknown, resourceVersion: string, spec: unknown) => {
  expect(update).toHaveBeenCalledTimes(1);
  expect(update).toHaveBeenCalledWith({
    model,
    data: expect.objectContaining({
      metadata: expect.objectContaining({ name: 'cluster', resourceVersion }),
      spec,
    }),
  });
};

beforeEach(() => {
  setWatched();
  watch.mockReset();
  watch.mockImplementation(
    (res) =>
      (watched[res?.groupVersionKind?.kind ?? ''] ?? [undefined, false, undefined]) as [
        K8sResourceCommon,
        boolean,
        unknown,
      ],
  );
  accessReview.mockReset();
  allow('get', 'list', 'create', 'update');
  update.mockReset();
  create.mockReset();
  get.mockReset();
});

describe('PolicyEditorPage: the BuildPolicy form', () => {
  it('shows the policy as it is, with nothing to save', () => {
    renderPage();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Edit build policy');
    expect(screen.getByLabelText('Disabled: builds run privileged')).toBeChecked();
    expect(screen.getByLabelText('None: a build may choose with BUILD_PRIVILEGED')).toBeChecked();
    expect(screen.getByLabelText('Exempt namespace 1')).toHaveValue('legacy-builds');
    // Neither resource has changes yet.
    expect(screen.getAllByText('No changes')).toHaveLength(2);
    expect(saveButton()).toBeDisabled();
    expect(totals()).toBe(
      'Of 4 BuildConfigs, the next builds of 1 will run in a user namespace (0), 3 will stay privileged (0) and 0 will be blocked (0).',
    );
  });

  it('shows the change and its impact before saving', () => {
    renderPage();
    fireEvent.click(screen.getByLabelText('Enabled: builds run in a user namespace'));
    expect(policyChanges().getByText('spec.userNamespaces.default')).toBeInTheDocument();
    expect(policyChanges().getByText('Disabled → Enabled')).toBeInTheDocument();
    expect(totals()).toBe(
      'Of 4 BuildConfigs, the next builds of 2 will run in a user namespace (+1), 2 will stay privileged (-1) and 0 will be blocked (0).',
    );
    const teamA = within(screen.getByTestId('impact-team-a')).getAllByRole('cell');
    expect(teamA.map((c) => c.textContent)).toEqual([
      'team-a',
      '1 (+1)',
      '1 (-1)',
      '0',
      expect.stringMatching(/^The build (does not choose|sets BUILD_PRIVILEGED=true)/),
    ]);
    expect(saveButton()).toBeEnabled();
  });

  it('names the releases each mode needs', () => {
    renderPage();
    expect(screen.getByText(/Needs OpenShift 4.x \(every supported release\)/)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('How the node is asked for a user namespace'), {
      target: { value: 'HostUsers' },
    });
    expect(screen.getByText(/Needs OpenShift 4.20 or later and CRI-O 1.33 or later/)).toBeVisible();
    expect(policyChanges().getByText('added: HostUsers')).toBeInTheDocument();
  });

  it('validates with core as the user types and blocks saving', () => {
    renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'Add namespace' }));
    fireEvent.change(screen.getByLabelText('Exempt namespace 2'), { target: { value: 'Bad_NS' } });
    expect(screen.getByText(/^\[1\]: namespace name/)).toBeInTheDocument();
    expect(screen.getByText('Fix the errors in the policy to see its impact.')).toBeInTheDocument();
    expect(saveButton()).toBeDisabled();
    expect(screen.getByText('The build policy has errors.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Exempt namespace 2'), { target: { value: 'team-b' } });
    expect(screen.queryByText(/^\[1\]: namespace name/)).not.toBeInTheDocument();
    expect(saveButton()).toBeEnabled();
  });

  it('refuses an annotation key that reserves our prefix, and one key twice', () => {
    renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'Add default annotation' }));
    fireEvent.change(screen.getByLabelText('Default annotation 1 key'), {
      target: { value: 'userns.builds.dev/x' },
    });
    expect(screen.getByText(/reserved for the decision stamp/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Add default annotation' }));
    fireEvent.change(screen.getByLabelText('Default annotation 2 key'), {
      target: { value: 'userns.builds.dev/x' },
    });
    expect(
      screen.getByText('The key "userns.builds.dev/x" is already listed.'),
    ).toBeInTheDocument();
  });

  it('offers the userns-mode presets and explains the refused ones', () => {
    renderPage();
    fireEvent.click(
      screen.getAllByRole('button', { name: 'User namespace annotation presets' })[0]!,
    );
    expect(screen.getAllByText(/keep-id is refused/)[0]).toBeVisible();
    expect(screen.getAllByText(/onto host ID 0 .* is refused/)[0]).toBeVisible();
    fireEvent.change(screen.getAllByLabelText('Number of IDs')[0]!, { target: { value: '0' } });
    expect(screen.getByText('The size must be a whole number from 1 to 4294967295.')).toBeVisible();
    fireEvent.change(screen.getAllByLabelText('Number of IDs')[0]!, {
      target: { value: '131072' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Use map-to-root' }));
    expect(screen.getByLabelText('Default annotation 1 key')).toHaveValue(
      'io.kubernetes.cri-o.userns-mode',
    );
    expect(screen.getByLabelText('Default annotation 1 value')).toHaveValue(
      'auto:size=131072;map-to-root=true',
    );
  });

  it('keeps the YAML and the form in sync both ways', () => {
    renderPage();
    fireEvent.click(screen.getByLabelText('Enabled: builds run in a user namespace'));
    const view = within(screen.getByRole('group', { name: 'Build policy view' }));
    fireEvent.click(view.getByRole('button', { name: 'YAML' }));
    const yaml = screen.getByLabelText('BuildPolicy YAML');
    expect((yaml as HTMLTextAreaElement).value).toContain('default: Enabled');
    expect((yaml as HTMLTextAreaElement).value).not.toContain('resourceVersion');

    fireEvent.change(yaml, { target: { value: 'spec: [' } });
    expect(screen.getByText(/^The YAML is not applied:/)).toBeInTheDocument();
    expect(saveButton()).toBeDisabled();

    const text = (yaml as HTMLTextAreaElement).value;
    fireEvent.change(yaml, {
      target: {
        value: `apiVersion: userns.builds.dev/v1alpha1\nkind: BuildPolicy\nmetadata:\n  name: cluster\nspec:\n  userNamespaces:\n    default: Enabled\n    override: Required\n`,
      },
    });
    expect(text).not.toBe('');
    fireEvent.click(view.getByRole('button', { name: 'Form' }));
    expect(
      screen.getByLabelText('Required: every build runs in a user namespace, whatever it asks for'),
    ).toBeChecked();
    expect(screen.queryByLabelText('Exempt namespace 1')).not.toBeInTheDocument();
    expect(policyChanges().getByText('spec.userNamespaces.exemptNamespaces')).toBeInTheDocument();
  });
});

describe('PolicyEditorPage: saving', () => {
  it('saves with the resourceVersion it read and says so', async () => {
    const saved = {
      ...disabledPolicy,
      metadata: { ...disabledPolicy.metadata, resourceVersion: '101' },
    };
    update.mockResolvedValue(saved);
    await enableAndSave();
    expectOneUpdate(
      BuildPolicyModel,
      '100',
      expect.objectContaining({
        userNamespaces: {
          default: 'Enabled',
          override: 'None',
          exemptNamespaces: ['legacy-builds'],
        },
      }),
    );
    expect(screen.getByText('Saved')).toBeInTheDocument();
  });

  it('on a 409 shows the server change beside the edit, keeps the edit, and reapplies it', async () => {
    const theirs = {
      ...disabledPolicy,
      metadata: { ...disabledPolicy.metadata, resourceVersion: '105' },
      spec: { ...disabledPolicy.spec, passthroughAnnotations: ['example.com/team'] },
    };
    update.mockRejectedValueOnce(conflictError());
    get.mockResolvedValue(theirs);
    await enableAndSave();
    expect(get).toHaveBeenCalledWith({ model: BuildPolicyModel, name: 'cluster' });
    expect(screen.getByText('The build policy changed on the server')).toBeInTheDocument();
    const server = within(screen.getByLabelText('Changed on the server'));
    expect(server.getByText('spec.passthroughAnnotations')).toBeInTheDocument();
    const mine = within(screen.getByLabelText('Your edit'));
    expect(mine.getByText('spec.userNamespaces.default')).toBeInTheDocument();
    // Nothing is lost: the form still shows the edit, and saving waits for a decision.
    expect(screen.getByLabelText('Enabled: builds run in a user namespace')).toBeChecked();
    expect(saveButton()).toBeDisabled();

    fireEvent.click(screen.getByRole('button', { name: 'Reapply my changes on the new version' }));
    expect(screen.queryByText('The build policy changed on the server')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Passthrough key 1')).toHaveValue('example.com/team');
    expect(
      policyChanges()
        .getAllByRole('term')
        .map((t) => t.textContent),
    ).toEqual(['spec.userNamespaces.default']);

    update.mockResolvedValueOnce({
      ...theirs,
      metadata: { ...theirs.metadata, resourceVersion: '106' },
    });
    await saveAndSettle();
    expect(update).toHaveBeenLastCalledWith({
      model: BuildPolicyModel,
      data: expect.objectContaining({
        metadata: expect.objectContaining({ resourceVersion: '105' }),
        spec: expect.objectContaining({
          passthroughAnnotations: ['example.com/team'],
          userNamespaces: expect.objectContaining({ default: 'Enabled' }),
        }),
      }),
    });
  });

  it('can discard the edit for the server version after a 409', async () => {
    const theirs = {
      ...disabledPolicy,
      metadata: { ...disabledPolicy.metadata, resourceVersion: '105' },
      spec: { userNamespaces: { default: 'Disabled', override: 'Required' } },
    };
    update.mockRejectedValueOnce(conflictError());
    get.mockResolvedValue(theirs);
    await enableAndSave();
    fireEvent.click(screen.getByRole('button', { name: 'Discard my changes' }));
    expect(screen.getByLabelText('Disabled: builds run privileged')).toBeChecked();
    expect(
      screen.getByLabelText('Required: every build runs in a user namespace, whatever it asks for'),
    ).toBeChecked();
  });

  it('shows any other save error and keeps the edit', async () => {
    update.mockRejectedValueOnce(serverError());
    await enableAndSave();
    expect(
      screen.getByText('The build policy was not saved: Internal Server Error'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Enabled: builds run in a user namespace')).toBeChecked();
    expect(saveButton()).toBeEnabled();
  });

  it('creates the policy when there is none', async () => {
    setWatched({ BuildPolicy: [undefined, false, notFoundError()] });
    create.mockResolvedValue({ ...disabledPolicy });
    renderPage();
    expect(screen.getByText('No build policy yet')).toBeInTheDocument();
    expect(screen.getByLabelText('Enabled: builds run in a user namespace')).toBeChecked();
    fireEvent.click(screen.getByRole('button', { name: 'Create and save' }));
    await settle();
    expect(update).not.toHaveBeenCalled();
    const sent = create.mock.calls[0]![0] as { model: unknown; data: K8sResourceCommon };
    expect(sent.model).toBe(BuildPolicyModel);
    expect(sent.data.metadata).toEqual({ name: 'cluster' });
    expect((sent.data as { spec: unknown }).spec).toMatchObject({
      userNamespaces: { default: 'Enabled', override: 'None', mode: 'CRIOAnnotation' },
    });
  });

  it('says how to install the CRD when the API is missing', () => {
    setWatched({ BuildPolicy: [undefined, true, noModelError()] });
    renderPage();
    expect(screen.getByText('The BuildPolicy API is not installed')).toBeInTheDocument();
    expect(screen.getByText('oc apply -f deploy/crd/buildpolicy.yaml')).toBeInTheDocument();
    expect(screen.queryByText('Impact before saving')).not.toBeInTheDocument();
    expect(saveButton()).toBeDisabled();
  });
});

describe('PolicyEditorPage: leaving and permissions', () => {
  afterEach(() => jest.restoreAllMocks());

  it('asks before leaving with unsaved changes, and stays when told to', () => {
    const confirm = jest.spyOn(window, 'confirm').mockReturnValue(false);
    renderPage();
    fireEvent.click(screen.getByRole('link', { name: 'Leave' }));
    expect(confirm).not.toHaveBeenCalled();
    expect(screen.getByLabelText('location')).toHaveTextContent('/elsewhere');
  });

  it('keeps the user on the page unless they confirm', () => {
    const confirm = jest.spyOn(window, 'confirm').mockReturnValue(false);
    renderPage();
    fireEvent.click(screen.getByLabelText('Enabled: builds run in a user namespace'));
    fireEvent.click(screen.getByRole('link', { name: 'Leave' }));
    expect(confirm).toHaveBeenCalledWith(
      'You have unsaved changes to the build policy. Leave this page and lose them?',
    );
    expect(screen.getByLabelText('location')).toHaveTextContent('/userns-builds/edit');
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);

    confirm.mockReturnValue(true);
    fireEvent.click(screen.getByRole('link', { name: 'Leave' }));
    expect(screen.getByLabelText('location')).toHaveTextContent('/elsewhere');
  });

  it('is read-only, with the reason, for users who may not update', () => {
    allow('get', 'list');
    renderPage();
    expect(screen.getByTestId('policy-read-only')).toHaveTextContent(
      'You may not update the BuildPolicy "cluster" (verb update on buildpolicies.userns.builds.dev), so this form is read-only.',
    );
    expect(screen.getByTestId('cluster-read-only')).toHaveTextContent(
      /may not update the Build "cluster"/,
    );
    expect(screen.getByLabelText('Enabled: builds run in a user namespace')).toBeDisabled();
    expect(screen.getByLabelText('How the node is asked for a user namespace')).toBeDisabled();
    expect(screen.getByLabelText('Exempt namespace 1')).toHaveAttribute('readonly');
    expect(screen.queryByRole('button', { name: 'Add namespace' })).not.toBeInTheDocument();
    expect(saveButton()).toBeDisabled();
    expect(accessReview).toHaveBeenCalledWith({
      group: 'userns.builds.dev',
      resource: 'buildpolicies',
      verb: 'update',
      name: 'cluster',
    });
  });
});

describe('PolicyEditorPage: the cluster Build configuration', () => {
  const openTab = () =>
    fireEvent.click(screen.getByRole('tab', { name: 'OpenShift build defaults and overrides' }));

  it('edits every field as a form and says BUILD_PRIVILEGED there changes nothing', async () => {
    update.mockImplementation(({ data }) => Promise.resolve(data));
    renderPage();
    openTab();
    expect(screen.getByText('OpenShift applies env after the security context')).toBeVisible();
    expect(screen.getByLabelText('HTTP proxy', { selector: '#default-proxy-http' })).toHaveValue(
      'http://proxy.example.com:3128',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add environment variable' }));
    fireEvent.change(screen.getByLabelText('Environment variable 2 name'), {
      target: { value: 'BUILD_PRIVILEGED' },
    });
    expect(screen.getByText(/BUILD_PRIVILEGED here has no effect/)).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText('Always pull builder images (forcePull)'));
    fireEvent.change(screen.getByLabelText('Memory limit'), { target: { value: '2Gi' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add toleration' }));
    fireEvent.change(screen.getByLabelText('Toleration 1 key'), { target: { value: 'builds' } });
    const changes = within(screen.getByLabelText('Cluster build changes'));
    expect(changes.getAllByRole('term').map((t) => t.textContent)).toEqual([
      'spec.buildDefaults.env',
      'spec.buildDefaults.resources',
      'spec.buildOverrides.forcePull',
      'spec.buildOverrides.tolerations',
    ]);
    await saveAndSettle();
    expectOneUpdate(ClusterBuildModel, '310', {
      buildDefaults: {
        env: [
          { name: 'HTTP_TIMEOUT', value: '30' },
          { name: 'BUILD_PRIVILEGED', value: '' },
        ],
        defaultProxy: { httpProxy: 'http://proxy.example.com:3128' },
        resources: { limits: { memory: '2Gi' } },
      },
      buildOverrides: {
        nodeSelector: { 'node-role.kubernetes.io/builds': '' },
        forcePull: true,
        tolerations: [{ operator: 'Exists', key: 'builds' }],
      },
    });
  });
});
