import { render, renderHook, screen } from '@testing-library/react';
import {
  useAccessReview,
  useK8sWatchResource,
  useOverlay,
} from '@openshift-console/dynamic-plugin-sdk';
import { deepClone } from 'fast-json-patch';
import dockerBC from '../__fixtures__/buildconfig-docker.json';
import fullPolicy from '../__fixtures__/build-policy-full.json';
import { watchByKind } from '../__fixtures__/watch';
import { UserNamespaceModal } from '../components/UserNamespaceModal';
import { EDIT_USER_NAMESPACE_ACTION, useBuildConfigActions } from './useBuildConfigActions';

beforeEach(() => {
  jest.mocked(useAccessReview).mockReturnValue([true, false]);
  watchByKind({
    BuildPolicy: [deepClone(fullPolicy), true],
    BuildConfig: [deepClone(dockerBC), true],
  });
});

it('offers one action, guarded by a patch access review, that opens the modal for this BuildConfig', () => {
  const { result } = renderHook(() => useBuildConfigActions(deepClone(dockerBC)));
  const [actions, loaded, error] = result.current;
  expect([loaded, error]).toEqual([true, undefined]);
  expect(actions).toHaveLength(1);
  const action = actions[0]!;
  expect(action).toMatchObject({
    id: EDIT_USER_NAMESPACE_ACTION,
    label: 'Edit user namespace',
    disabledTooltip: 'You may not patch this BuildConfig.',
    accessReview: {
      group: 'build.openshift.io',
      resource: 'buildconfigs',
      verb: 'patch',
      name: 'web',
      namespace: 'team-a',
    },
  });
  if (typeof action.cta !== 'function') throw new Error('the action opens a modal');
  action.cta();
  const launch = jest.mocked(useOverlay).mock.results[0]!.value as jest.Mock;
  expect(launch).toHaveBeenCalledWith(UserNamespaceModal, { namespace: 'team-a', name: 'web' });
});

it('offers nothing before the BuildConfig is known', () => {
  const { result } = renderHook(() => useBuildConfigActions(undefined));
  expect(result.current[0]).toEqual([]);
});

describe('UserNamespaceModal', () => {
  it('watches the BuildConfig and shows the same control, closing on request', () => {
    const close = jest.fn();
    render(<UserNamespaceModal namespace="team-a" name="web" closeOverlay={close} />);
    expect(jest.mocked(useK8sWatchResource)).toHaveBeenCalledWith({
      groupVersionKind: { group: 'build.openshift.io', version: 'v1', kind: 'BuildConfig' },
      namespace: 'team-a',
      name: 'web',
      isList: false,
    });
    expect(screen.getByRole('dialog', { name: 'User namespace for web' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: /^Follow the cluster policy/ })).toBeChecked();
    // The footer's Close (the header has an icon button with the same name).
    screen.getAllByRole('button', { name: 'Close' }).at(-1)!.click();
    expect(close).toHaveBeenCalled();
  });

  it('says when the BuildConfig cannot be read', () => {
    watchByKind({ BuildConfig: [{}, true, new Error('buildconfigs "web" not found')] });
    render(<UserNamespaceModal namespace="team-a" name="web" closeOverlay={jest.fn()} />);
    expect(screen.getByText('The BuildConfig could not be read')).toBeInTheDocument();
    expect(screen.getByText('buildconfigs "web" not found')).toBeInTheDocument();
  });
});
