import { MemoryRouter } from 'react-router';
import { act, render, screen } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consoleFetchText, useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import unprivilegedPod from '../../core/fixtures/docker-unprivileged.json';
import { notFoundError, serverError } from '../__fixtures__/errors';
import refusedEvents from '../__fixtures__/events-build-refused.json';
import BuildUserNamespaceItem from './BuildUserNamespaceItem';

const watch = jest.mocked(useK8sWatchResource);
const fetchText = jest.mocked(consoleFetchText);
const usernsLog = readFileSync(join(__dirname, '../../core/fixtures/build-userns.log'), 'utf8');

const build = (annotations: Record<string, string> = {}): K8sResourceCommon => ({
  apiVersion: 'build.openshift.io/v1',
  kind: 'Build',
  metadata: {
    name: 'api-1',
    namespace: 'team-a',
    uid: 'uid-api-1',
    annotations: { 'openshift.io/build.pod-name': 'api-1-build', ...annotations },
  },
});
const podIn = (phase: string) =>
  ({ ...unprivilegedPod, status: { phase } }) as unknown as K8sResourceCommon;

const inRouter = (obj: K8sResourceCommon) => (
  <MemoryRouter>
    <BuildUserNamespaceItem obj={obj} />
  </MemoryRouter>
);
const renderItem = (obj: K8sResourceCommon) => render(inRouter(obj));

/** Lets pending fetch promises settle inside act(). */
const settle = () => act(async () => undefined);

beforeEach(() => {
  watch.mockReset();
  fetchText.mockReset();
  watch.mockReturnValue([undefined as unknown as K8sResourceCommon, false, undefined]);
  fetchText.mockResolvedValue('');
});

describe('BuildUserNamespaceItem', () => {
  it("watches the Build's pod and shows a spinner until it answers", () => {
    renderItem(build());
    expect(watch).toHaveBeenCalledWith({
      groupVersionKind: { version: 'v1', kind: 'Pod' },
      name: 'api-1-build',
      namespace: 'team-a',
      isList: false,
    });
    expect(screen.getByRole('progressbar')).toHaveAccessibleName('Checking the build pod');
    expect(fetchText).not.toHaveBeenCalled();
  });

  it('reads the start of the log of a started pod and shows the verified verdict', async () => {
    watch.mockReturnValue([podIn('Succeeded'), true, undefined]);
    fetchText.mockResolvedValue(usernsLog);
    renderItem(build());
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
    await settle();
    expect(fetchText).toHaveBeenCalledWith(
      '/api/kubernetes/api/v1/namespaces/team-a/pods/api-1-build/log?limitBytes=4096',
      expect.objectContaining({ signal: expect.any(AbortSignal) }),
    );
    expect(screen.getByText('User namespace (verified)')).toBeInTheDocument();
    expect(
      screen.getByText(/^Builder log: .*Started in kernel user namespace/),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All evidence' })).toHaveAttribute(
      'href',
      '/k8s/ns/team-a/builds/api-1/user-namespace',
    );
  });

  it('shows what the pod asked for while it is pending, then reads the log once it runs', async () => {
    watch.mockReturnValue([podIn('Pending'), true, undefined]);
    const { rerender } = renderItem(build());
    expect(screen.getByText('Requested')).toBeInTheDocument();
    expect(screen.getByText(/asked for a user namespace/)).toBeInTheDocument();
    expect(fetchText).not.toHaveBeenCalled();

    watch.mockReturnValue([podIn('Running'), true, undefined]);
    fetchText.mockResolvedValue('Cloning "https://example.com/api.git" ...\n');
    rerender(inRouter(build()));
    await settle();
    expect(fetchText).toHaveBeenCalledTimes(1);
    expect(screen.getByText('Requested')).toBeInTheDocument();

    // The phase changed: read again, keeping the last answer on screen meanwhile.
    watch.mockReturnValue([podIn('Succeeded'), true, undefined]);
    fetchText.mockResolvedValue(usernsLog);
    rerender(inRouter(build()));
    expect(screen.getByText('Requested')).toBeInTheDocument();
    await settle();
    expect(fetchText).toHaveBeenCalledTimes(2);
    expect(screen.getByText('User namespace (verified)')).toBeInTheDocument();
  });

  it('falls back to the pod spec when the log cannot be read', async () => {
    watch.mockReturnValue([podIn('Succeeded'), true, undefined]);
    fetchText.mockRejectedValue(serverError());
    renderItem(build());
    await settle();
    expect(screen.getByText('Requested')).toBeInTheDocument();
  });

  it('prefers the verdict recorded on the Build and asks for no pod', () => {
    renderItem(
      build({
        'userns.builds.dev/verdict': 'Privileged',
        'userns.builds.dev/evidence':
          'Builder log: I1120 10:14:19.874010 1 builder.go:395] Started in node (default) kernel user namespace',
        'userns.builds.dev/recorded-for': 'uid-api-1',
      }),
    );
    expect(watch).toHaveBeenCalledWith(null);
    expect(fetchText).not.toHaveBeenCalled();
    expect(screen.getByText('Privileged')).toBeInTheDocument();
    expect(screen.getByText(/Started in node \(default\) kernel user namespace/)).toBeVisible();
  });

  it('does not show a verdict a Rebuild copied from the Build it repeats; it judges the pod', () => {
    watch.mockReturnValue([undefined as unknown as K8sResourceCommon, true, notFoundError()]);
    renderItem(
      build({
        'userns.builds.dev/verdict': 'Privileged',
        'userns.builds.dev/evidence': 'Pod spec: container docker-build is privileged.',
        'userns.builds.dev/recorded-for': 'uid-of-the-build-it-repeats',
      }),
    );
    expect(watch).toHaveBeenCalledWith(expect.objectContaining({ name: 'api-1-build' }));
    expect(screen.queryByText('Privileged')).not.toBeInTheDocument();
    expect(screen.getByText('Unknown')).toBeInTheDocument();
  });

  it('says Unknown when the pod was pruned and nothing was recorded', () => {
    watch.mockReturnValue([undefined as unknown as K8sResourceCommon, true, notFoundError()]);
    renderItem(build());
    expect(screen.getByText('Unknown')).toBeInTheDocument();
    expect(screen.getByText('No build pod and no build log to judge from.')).toBeInTheDocument();
  });

  it('shows an error when the pod cannot be watched', () => {
    watch.mockReturnValue([undefined as unknown as K8sResourceCommon, false, serverError()]);
    renderItem(build());
    expect(screen.getByText('The build pod could not be read')).toBeInTheDocument();
    expect(screen.getByText('Internal Server Error')).toBeInTheDocument();
  });

  it("uses OpenShift's pod name when the Build has no pod-name annotation", () => {
    renderItem({ metadata: { name: 'web-2', namespace: 'team-b' } });
    expect(watch).toHaveBeenCalledWith(expect.objectContaining({ name: 'web-2-build' }));
  });
});

describe('BuildUserNamespaceItem for a refused build pod', () => {
  const refusedBuild = {
    ...build(),
    metadata: { name: 'api-2', namespace: 'team-a' },
    status: { phase: 'New', reason: 'CannotCreateBuildPod', message: 'Failed creating build pod.' },
  } as K8sResourceCommon;

  it("watches the Build's events and shows the API server's refusal", () => {
    watch.mockImplementation((resource) =>
      resource?.groupVersionKind?.kind === 'Event'
        ? [refusedEvents as unknown as K8sResourceCommon, true, undefined]
        : [undefined as unknown as K8sResourceCommon, true, notFoundError()],
    );
    renderItem(refusedBuild);
    expect(watch).toHaveBeenCalledWith({
      groupVersionKind: { version: 'v1', kind: 'Event' },
      namespace: 'team-a',
      fieldSelector: 'involvedObject.kind=Build,involvedObject.name=api-2',
      isList: true,
    });
    expect(screen.getByText('The API server refused the build pod')).toBeInTheDocument();
    // No pod exists to watch: asking for it would only earn a 404.
    expect(watch).not.toHaveBeenCalledWith(
      expect.objectContaining({ groupVersionKind: { version: 'v1', kind: 'Pod' } }),
    );
    expect(screen.getByText(/denied request: Build pod refused in namespace team-a/)).toBeVisible();
  });
});
