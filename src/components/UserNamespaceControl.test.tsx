import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { k8sPatch, useAccessReview } from '@openshift-console/dynamic-plugin-sdk';
import { deepClone } from 'fast-json-patch';
import dockerBC from '../__fixtures__/buildconfig-docker.json';
import sourceBC from '../__fixtures__/buildconfig-source-unprivileged.json';
import jenkinsBC from '../__fixtures__/buildconfig-jenkins.json';
import fullPolicy from '../__fixtures__/build-policy-full.json';
import requiredPolicy from '../__fixtures__/build-policy-required.json';
import { serverError } from '../__fixtures__/errors';
import { watchByKind } from '../__fixtures__/watch';
import { BuildConfigModel } from '../models';
import type { BuildConfigLike } from '../utils/buildconfig-toggle';
import { UserNamespaceControl } from './UserNamespaceControl';

const patch = jest.mocked(k8sPatch);
const accessReview = jest.mocked(useAccessReview);
const fresh = (bc: unknown) => deepClone(bc) as BuildConfigLike;

const radio = (name: RegExp) => screen.getByRole('radio', { name });
const http = (code: number, message: string) => Object.assign(new Error(message), { code });

beforeEach(() => {
  patch.mockReset();
  patch.mockImplementation((o) => Promise.resolve(o.resource));
  accessReview.mockReset();
  accessReview.mockReturnValue([true, false]);
  watchByKind({ BuildPolicy: [deepClone(fullPolicy), true] });
});

describe('UserNamespaceControl', () => {
  it('asks whether the user may patch this BuildConfig', () => {
    render(<UserNamespaceControl buildConfig={fresh(dockerBC)} />);
    expect(accessReview).toHaveBeenCalledWith({
      group: 'build.openshift.io',
      resource: 'buildconfigs',
      verb: 'patch',
      name: 'web',
      namespace: 'team-a',
    });
  });

  it('checks the current setting and previews the next build pod', () => {
    render(<UserNamespaceControl buildConfig={fresh(dockerBC)} />);
    expect(radio(/^Follow the cluster policy/)).toBeChecked();
    expect(radio(/^User namespace/)).not.toBeChecked();
    const preview = screen.getByText('Next build pod').closest('[data-test="userns-next-build"]');
    expect(within(preview as HTMLElement).getByText('User namespace')).toBeInTheDocument();
    expect(
      screen.getByText('The build does not choose, so the cluster default applies.'),
    ).toBeInTheDocument();
    // core's own reasons, translated.
    expect(
      within(screen.getByRole('list', { name: 'Why' })).getByText(
        'The build does not choose, and the cluster default is user namespaces (spec.userNamespaces.default: Enabled).',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('OpenShift creates the pod privileged, as root on the node.', {
        exact: false,
      }),
    ).toBeInTheDocument();
    const diffs = screen.getAllByText((_, el) => el?.getAttribute('data-test') === 'userns-diff');
    expect(diffs[0]).toHaveTextContent('- privileged: true');
    expect(diffs[0]).toHaveTextContent('+ privileged: false');
    expect(screen.getByText('containers[docker-build].securityContext')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it('previews the choice before saving, then saves it with a JSON patch that tests first', async () => {
    render(<UserNamespaceControl buildConfig={fresh(dockerBC)} />);
    fireEvent.click(radio(/^Privileged/));
    expect(
      screen.getByText(
        "The build's own BUILD_PRIVILEGED takes precedence over the cluster default.",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('containers[docker-build].securityContext')).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved. The next build uses it.');
    expect(patch).toHaveBeenCalledTimes(1);
    expect(patch.mock.calls[0]![0]).toEqual({
      model: BuildConfigModel,
      resource: fresh(dockerBC),
      data: [
        {
          op: 'test',
          path: '/spec/strategy/dockerStrategy',
          value: { dockerfilePath: 'Dockerfile' },
        },
        {
          op: 'add',
          path: '/spec/strategy/dockerStrategy/env',
          value: [{ name: 'BUILD_PRIVILEGED', value: 'true' }],
        },
      ],
    });
  });

  it('Cancel drops the choice and sends nothing', () => {
    render(<UserNamespaceControl buildConfig={fresh(sourceBC)} />);
    expect(radio(/^User namespace/)).toBeChecked();
    fireEvent.click(radio(/^Follow the cluster policy/));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(radio(/^User namespace/)).toBeChecked();
    expect(patch).not.toHaveBeenCalled();
  });

  it('on a conflict keeps the choice, shows what the server has, and reapplies it on request', async () => {
    patch.mockRejectedValueOnce(http(422, 'the server rejected our request: test failed'));
    const seen = fresh(sourceBC);
    const { rerender } = render(<UserNamespaceControl buildConfig={seen} />);
    fireEvent.click(radio(/^Privileged/));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const conflict = await screen.findByText('Someone else changed this BuildConfig');
    const alert = conflict.closest('[data-test="userns-conflict"]') as HTMLElement;
    // Meanwhile the watch brings the other edit: they removed BUILD_PRIVILEGED.
    const theirs = fresh(sourceBC);
    theirs.spec!.strategy!.sourceStrategy!.env = [{ name: 'NPM_MIRROR', value: 'https://other' }];
    theirs.metadata.resourceVersion = '1306';
    rerender(<UserNamespaceControl buildConfig={theirs} />);
    expect(alert).toHaveTextContent('It now says: Follow the cluster policy');
    // The user's choice is still selected, not replaced by the server's.
    expect(radio(/^Privileged/)).toBeChecked();
    await act(async () => {
      fireEvent.click(
        within(alert).getByRole('button', { name: 'Apply my change to the current version' }),
      );
    });
    expect(patch).toHaveBeenCalledTimes(2);
    expect(patch.mock.calls[1]![0].data).toEqual([
      {
        op: 'test',
        path: '/spec/strategy/sourceStrategy/env',
        value: [{ name: 'NPM_MIRROR', value: 'https://other' }],
      },
      {
        op: 'add',
        path: '/spec/strategy/sourceStrategy/env/-',
        value: { name: 'BUILD_PRIVILEGED', value: 'true' },
      },
    ]);
    await screen.findByText('Saved. The next build uses it.');
  });

  it('shows any other failure with the server message', async () => {
    patch.mockRejectedValueOnce(serverError());
    render(<UserNamespaceControl buildConfig={fresh(dockerBC)} />);
    fireEvent.click(radio(/^User namespace/));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('The BuildConfig could not be saved')).toBeInTheDocument();
    expect(screen.getByText('Internal Server Error')).toBeInTheDocument();
    expect(radio(/^User namespace/)).toBeChecked();
  });

  it('is read-only, with the reason, for a user who may not patch it', () => {
    accessReview.mockReturnValue([false, false]);
    render(<UserNamespaceControl buildConfig={fresh(dockerBC)} />);
    expect(screen.getByText('Read only')).toBeInTheDocument();
    expect(
      screen.getByText(
        'You may not patch BuildConfig web in namespace team-a, so its user namespace setting cannot be changed here.',
      ),
    ).toBeInTheDocument();
    for (const r of screen.getAllByRole('radio')) expect(r).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();
    // The preview is still there: reading is allowed.
    expect(screen.getByText('Next build pod')).toBeInTheDocument();
  });

  it('is disabled while the access review is pending, without claiming read-only', () => {
    accessReview.mockReturnValue([false, true]);
    render(<UserNamespaceControl buildConfig={fresh(dockerBC)} />);
    for (const r of screen.getAllByRole('radio')) expect(r).toBeDisabled();
    expect(screen.queryByText('Read only')).not.toBeInTheDocument();
  });

  it('says the choice is moot under override: Required, and why', () => {
    watchByKind({ BuildPolicy: [deepClone(requiredPolicy), true] });
    render(<UserNamespaceControl buildConfig={fresh(dockerBC)} />);
    expect(screen.getByText('The cluster policy requires user namespaces')).toBeInTheDocument();
    fireEvent.click(radio(/^Privileged/));
    expect(
      screen.getByText('The policy requires user namespaces for every build.'),
    ).toBeInTheDocument();
  });

  it('says an exempt namespace leaves builds to OpenShift', () => {
    const bc = fresh(dockerBC);
    bc.metadata.namespace = 'legacy-builds';
    render(<UserNamespaceControl buildConfig={bc} />);
    expect(
      screen.getByText('Namespace legacy-builds is exempt from the build policy'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/It is listed in spec.userNamespaces.exemptNamespaces/),
    ).toBeInTheDocument();
  });

  it('says when there is no policy at all', () => {
    watchByKind({ BuildPolicy: [{}, true, Object.assign(new Error('not found'), { code: 404 })] });
    render(<UserNamespaceControl buildConfig={fresh(dockerBC)} />);
    expect(screen.getByText('There is no build policy')).toBeInTheDocument();
  });

  it('offers no switch for a Jenkins pipeline, and says why', () => {
    render(<UserNamespaceControl buildConfig={fresh(jenkinsBC)} />);
    expect(screen.getByText('This BuildConfig has no user namespace switch')).toBeInTheDocument();
    for (const r of screen.getAllByRole('radio')) expect(r).toBeDisabled();
    expect(screen.queryByText('Next build pod')).not.toBeInTheDocument();
  });

  it('still switches when the policy cannot be read, without a preview', async () => {
    watchByKind({ BuildPolicy: [{}, false, serverError()] });
    render(<UserNamespaceControl buildConfig={fresh(dockerBC)} />);
    expect(
      screen.getByText('The build policy could not be read, so there is no preview'),
    ).toBeInTheDocument();
    fireEvent.click(radio(/^User namespace/));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(patch).toHaveBeenCalledTimes(1));
  });
});
