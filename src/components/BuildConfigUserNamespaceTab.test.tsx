import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import {
  consoleFetchText,
  k8sPatch,
  useAccessReview,
  useK8sWatchResource,
} from '@openshift-console/dynamic-plugin-sdk';
import { deepClone } from 'fast-json-patch';
import dockerBC from '../__fixtures__/buildconfig-docker.json';
import sourceBC from '../__fixtures__/buildconfig-source-unprivileged.json';
import passthroughPolicy from '../__fixtures__/build-policy-passthrough.json';
import fullPolicy from '../__fixtures__/build-policy-full.json';
import { watchByKind } from '../__fixtures__/watch';
import type { BuildConfigLike } from '../utils/buildconfig-toggle';
import BuildConfigUserNamespaceTab from './BuildConfigUserNamespaceTab';
import BuildConfigUserNamespaceItem from './BuildConfigUserNamespaceItem';

const patch = jest.mocked(k8sPatch);
const accessReview = jest.mocked(useAccessReview);
const fresh = (bc: unknown) => deepClone(bc) as BuildConfigLike;

const build = (n: number, annotations: Record<string, string> = {}, phase = 'Complete') => ({
  metadata: {
    name: `api-${n}`,
    namespace: 'team-a',
    uid: `uid-${n}`,
    annotations: {
      'openshift.io/build-config.name': 'api',
      'openshift.io/build.number': String(n),
      ...annotations,
    },
  },
  status: { phase },
});

const renderTab = (bc: BuildConfigLike) =>
  render(
    <MemoryRouter>
      <BuildConfigUserNamespaceTab obj={bc as never} />
    </MemoryRouter>,
  );

beforeEach(() => {
  patch.mockReset();
  patch.mockImplementation((o) => Promise.resolve(o.resource));
  accessReview.mockReset();
  accessReview.mockReturnValue([true, false]);
  jest.mocked(consoleFetchText).mockReset();
  jest.mocked(consoleFetchText).mockResolvedValue('');
  watchByKind({
    BuildPolicy: [deepClone(passthroughPolicy), true],
    Build: [
      [
        build(11, {
          'userns.builds.dev/verdict': 'Privileged',
          'userns.builds.dev/evidence':
            'Builder log: Started in node (default) kernel user namespace',
          'userns.builds.dev/recorded-for': 'uid-11',
        }),
        build(12, {
          'userns.builds.dev/verdict': 'UserNamespaced',
          'userns.builds.dev/evidence': 'Builder log: ok',
          'userns.builds.dev/recorded-for': 'uid-12',
        }),
      ],
      true,
    ],
  });
});

describe('BuildConfigUserNamespaceTab', () => {
  it('lists the last builds newest first, linking to each Build with its verdict', () => {
    renderTab(fresh(sourceBC));
    expect(jest.mocked(useK8sWatchResource)).toHaveBeenCalledWith({
      groupVersionKind: { group: 'build.openshift.io', version: 'v1', kind: 'Build' },
      namespace: 'team-a',
      isList: true,
      selector: { matchLabels: { 'openshift.io/build-config.name': 'api' } },
    });
    const rows = within(screen.getByRole('grid', { name: 'Recent builds' }))
      .getAllByRole('row')
      .slice(1);
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ['api-12', 'Complete', 'User namespace (verified)'],
      ['api-11', 'Complete', 'Privileged'],
    ]);
    expect(within(rows[0]!).getByRole('link', { name: 'api-12' })).toHaveAttribute(
      'href',
      '/k8s/ns/team-a/builds/api-12',
    );
  });

  it("shows the allowed passthrough keys with their values, and core's reason before saving a value it drops", async () => {
    renderTab(fresh(sourceBC));
    const team = screen.getByRole('textbox', { name: 'example.com/team' });
    expect(team).toHaveValue('payments');
    const mode = screen.getByRole('textbox', { name: 'io.kubernetes.cri-o.userns-mode' });
    expect(mode).toHaveValue('');
    fireEvent.change(mode, { target: { value: 'auto:uidmapping=0:0:65536' } });
    expect(
      screen.getByText(
        /^Build pods will not get this value: uidmapping 0:0:65536 maps container UIDs onto host UID 0/,
      ),
    ).toBeInTheDocument();
    fireEvent.change(mode, { target: { value: 'auto:size=65536;map-to-root=true' } });
    expect(screen.queryByText(/^Build pods will not get this value/)).not.toBeInTheDocument();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save annotations' }));
    });
    expect(patch.mock.calls[0]![0].data).toEqual([
      { op: 'test', path: '/metadata/annotations', value: { 'example.com/team': 'payments' } },
      {
        op: 'add',
        path: '/metadata/annotations/io.kubernetes.cri-o.userns-mode',
        value: 'auto:size=65536;map-to-root=true',
      },
    ]);
    expect(screen.getAllByText('Saved. The next build uses it.')).toHaveLength(1);
  });

  it('keeps an annotation edit through a conflict and reapplies it on the current version', async () => {
    patch.mockRejectedValueOnce(Object.assign(new Error('test failed'), { code: 422 }));
    const { rerender } = renderTab(fresh(sourceBC));
    fireEvent.change(screen.getByRole('textbox', { name: 'example.com/team' }), {
      target: { value: 'search' },
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save annotations' }));
    });
    const theirs = fresh(sourceBC);
    theirs.metadata.annotations = { 'example.com/team': 'platform', other: 'x' };
    rerender(
      <MemoryRouter>
        <BuildConfigUserNamespaceTab obj={theirs as never} />
      </MemoryRouter>,
    );
    const alert = screen
      .getByText('Someone else changed this BuildConfig')
      .closest('[data-test="userns-conflict"]') as HTMLElement;
    expect(alert).toHaveTextContent('example.com/team=platform');
    expect(screen.getByRole('textbox', { name: 'example.com/team' })).toHaveValue('search');
    await act(async () => {
      fireEvent.click(
        within(alert).getByRole('button', { name: 'Apply my change to the current version' }),
      );
    });
    expect(patch.mock.calls[1]![0].data).toEqual([
      {
        op: 'test',
        path: '/metadata/annotations',
        value: { 'example.com/team': 'platform', other: 'x' },
      },
      { op: 'replace', path: '/metadata/annotations/example.com~1team', value: 'search' },
    ]);
  });

  it('is read-only for a user who may not patch: inputs disabled, nothing to save', () => {
    accessReview.mockReturnValue([false, false]);
    renderTab(fresh(sourceBC));
    expect(screen.getByRole('textbox', { name: 'example.com/team' })).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Save annotations' })).not.toBeInTheDocument();
    expect(screen.getByText('Read only')).toBeInTheDocument();
  });

  it('in an exempt namespace says the allowed keys are not copied, and drops no reasons', () => {
    const bc = fresh(sourceBC);
    bc.metadata.namespace = 'legacy-builds';
    renderTab(bc);
    expect(
      screen.getByText(
        'The cluster policy allows these keys, but it does not apply in this namespace, so nothing is copied to build pods.',
      ),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByRole('textbox', { name: 'io.kubernetes.cri-o.userns-mode' }), {
      target: { value: 'auto:uidmapping=0:0:65536' },
    });
    expect(screen.queryByText(/^Build pods will not get this value/)).not.toBeInTheDocument();
  });

  it('says when the policy passes no annotations', () => {
    watchByKind({
      BuildPolicy: [{ ...deepClone(fullPolicy), spec: { passthroughAnnotations: [] } }, true],
      Build: [[], true],
    });
    renderTab(fresh(dockerBC));
    expect(
      screen.getByText('The cluster policy passes no BuildConfig annotations to build pods.'),
    ).toBeInTheDocument();
    expect(screen.getByText('No builds yet.')).toBeInTheDocument();
  });
});

describe('BuildConfigUserNamespaceItem', () => {
  const renderItem = (bc: BuildConfigLike) =>
    render(
      <MemoryRouter>
        <BuildConfigUserNamespaceItem obj={bc as never} />
      </MemoryRouter>,
    );

  it('shows how the next build runs, by whose choice, and links to the tab', () => {
    watchByKind({ BuildPolicy: [deepClone(fullPolicy), true] });
    renderItem(fresh(dockerBC));
    expect(screen.getByText('User namespace')).toBeInTheDocument();
    expect(
      screen.getByText('The build does not choose, so the cluster default applies.'),
    ).toBeInTheDocument();
    expect(screen.getByText(/^Setting:/)).toHaveTextContent(
      'Setting: Follow the cluster policy Change',
    );
    expect(screen.getByRole('link', { name: 'Change' })).toHaveAttribute(
      'href',
      '/k8s/ns/team-a/buildconfigs/web/user-namespace',
    );
  });

  it('follows the BuildConfig: opted out reads privileged', () => {
    watchByKind({ BuildPolicy: [deepClone(fullPolicy), true] });
    const bc = fresh(dockerBC);
    bc.spec!.strategy!.dockerStrategy!.env = [{ name: 'BUILD_PRIVILEGED', value: 'true' }];
    renderItem(bc);
    expect(screen.getByText('Privileged')).toBeInTheDocument();
    expect(screen.getByText(/^Setting:/)).toHaveTextContent('Setting: Privileged Change');
  });
});
