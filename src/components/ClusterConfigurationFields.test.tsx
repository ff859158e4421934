import { act, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { k8sUpdate, useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import disabledPolicy from '../__fixtures__/build-policy-disabled.json';
import { conflictError, notFoundError } from '../__fixtures__/errors';
import { BuildPolicyModel, policyEditorPath } from '../models';
import { DefaultField, EditorLinkField, OverrideField } from './ClusterConfigurationFields';

const watch = jest.mocked(useK8sWatchResource);
const update = jest.mocked(k8sUpdate);

const watchReturns = (data: unknown, loaded: boolean, error?: unknown) =>
  watch.mockReturnValue([data as K8sResourceCommon, loaded, error]);

beforeEach(() => {
  watch.mockReset();
  update.mockReset();
});

describe('cluster configuration fields', () => {
  it('saves the default at once, with the resourceVersion read', async () => {
    watchReturns(disabledPolicy, true);
    update.mockResolvedValue(disabledPolicy);
    render(<DefaultField readonly={false} />);
    const select = screen.getByLabelText('Default for builds that do not choose');
    expect(select).toHaveValue('Disabled');
    expect(screen.getByText('Disabled: builds run privileged')).toBeInTheDocument();
    fireEvent.change(select, { target: { value: 'Enabled' } });
    await act(async () => undefined);
    expect(update).toHaveBeenCalledWith({
      model: BuildPolicyModel,
      data: expect.objectContaining({
        metadata: expect.objectContaining({ resourceVersion: '100' }),
        spec: { userNamespaces: expect.objectContaining({ default: 'Enabled' }) },
      }),
    });
  });

  it('says when the policy changed meanwhile', async () => {
    watchReturns(disabledPolicy, true);
    update.mockRejectedValue(conflictError());
    render(<OverrideField readonly={false} />);
    fireEvent.change(screen.getByLabelText('Override'), { target: { value: 'Required' } });
    await act(async () => undefined);
    expect(
      screen.getByText('The policy changed meanwhile; nothing was saved. Try again.'),
    ).toBeInTheDocument();
  });

  it('is read-only when the console says so', () => {
    watchReturns(disabledPolicy, true);
    render(<OverrideField readonly />);
    expect(screen.getByLabelText('Override')).toBeDisabled();
  });

  it('points to the editor when there is no policy yet', () => {
    watchReturns(undefined, false, notFoundError());
    render(<DefaultField readonly={false} />);
    expect(
      screen.getByText('No build policy yet: create it in the policy editor.'),
    ).toBeInTheDocument();
    render(
      <MemoryRouter>
        <EditorLinkField readonly />
      </MemoryRouter>,
    );
    expect(screen.getByRole('link', { name: 'View in the policy editor' })).toHaveAttribute(
      'href',
      policyEditorPath,
    );
  });
});
