import { render, waitFor, within } from '@testing-library/react';
import { consoleFetchText } from '@openshift-console/dynamic-plugin-sdk';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deepClone } from 'fast-json-patch';
import { notFoundError } from '../__fixtures__/errors';
import { watchByKind } from '../__fixtures__/watch';
import BuildUserNamespaceTab from './BuildUserNamespaceTab';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../../core/fixtures', name), 'utf8');
const log = () => fixture('build-userns.log');
const pod = () => {
  const p = JSON.parse(fixture('docker-unprivileged.json'));
  p.metadata.annotations = {
    ...p.metadata.annotations,
    'userns.builds.dev/decision-source': 'Build',
    'userns.builds.dev/user-namespaces': 'true',
  };
  p.spec.nodeName = 'worker-2';
  p.status = { phase: 'Succeeded' };
  return p;
};

const build = (annotations: Record<string, string> = {}) => ({
  metadata: { name: 'ruby-hello-1', namespace: 'myapp', uid: 'uid-ruby-hello-1', annotations },
});

const field = (test: string) => document.querySelector(`[data-test="${test}"]`) as HTMLElement;

beforeEach(() => {
  jest.mocked(consoleFetchText).mockReset();
});

describe('BuildUserNamespaceTab', () => {
  it('shows the live verdict with the decision source, UID map, node and a link to the pod', async () => {
    watchByKind({ Pod: [pod(), true] });
    jest.mocked(consoleFetchText).mockResolvedValue(log());
    render(<BuildUserNamespaceTab obj={build() as never} />);
    await within(field('userns-tab-verdict')).findByText('User namespace (verified)');
    expect(field('userns-tab-source')).toHaveTextContent(
      'This page, from the build pod and its log',
    );
    expect(field('userns-tab-decision')).toHaveTextContent(
      "User namespace The build's own BUILD_PRIVILEGED",
    );
    expect(field('userns-tab-uid-map')).toHaveTextContent(/container 0 → host \d+ \(\d+ IDs\)/);
    expect(field('userns-tab-node')).toHaveTextContent('worker-2');
    expect(within(field('userns-tab-pod')).getByRole('link')).toHaveAttribute(
      'href',
      `/k8s/ns/myapp/pods/${pod().metadata.name}`,
    );
  });

  it('puts a recorded verdict first, and still shows the pod facts while the pod exists', async () => {
    watchByKind({ Pod: [pod(), true] });
    jest
      .mocked(consoleFetchText)
      .mockResolvedValue(
        'I1120 10:14:19.874010       1 builder.go:395] Started in node (default) kernel user namespace.\n',
      );
    render(
      <BuildUserNamespaceTab
        obj={
          build({
            'userns.builds.dev/verdict': 'UserNamespaced',
            'userns.builds.dev/evidence': 'recorded line',
            'userns.builds.dev/recorded-for': 'uid-ruby-hello-1',
          }) as never
        }
      />,
    );
    expect(
      within(field('userns-tab-verdict')).getByText('User namespace (verified)'),
    ).toBeInTheDocument();
    expect(field('userns-tab-evidence')).toHaveTextContent('recorded line');
    expect(field('userns-tab-source')).toHaveTextContent('The verdict recorded on the Build');
    await waitFor(() =>
      expect(field('userns-tab-uid-map')).toHaveTextContent(
        "None: the builder ran in the node's own user namespace",
      ),
    );
  });

  it('after the pod is pruned says so, and judges from nothing', () => {
    watchByKind({ Pod: [{}, true, notFoundError()] });
    render(<BuildUserNamespaceTab obj={build() as never} />);
    expect(within(field('userns-tab-verdict')).getByText('Unknown')).toBeInTheDocument();
    expect(field('userns-tab-pod')).toHaveTextContent('Gone (pruned), or not created yet');
    expect(field('userns-tab-decision')).toHaveTextContent('Unknown: the build pod is gone');
    expect(field('userns-tab-uid-map')).toHaveTextContent('Not in the build log');
    expect(consoleFetchText).not.toHaveBeenCalled();
  });

  it('names a pod the webhook did not stamp', async () => {
    const p = pod();
    delete p.metadata.annotations['userns.builds.dev/decision-source'];
    watchByKind({ Pod: [p, true] });
    jest.mocked(consoleFetchText).mockResolvedValue(deepClone(log()));
    render(<BuildUserNamespaceTab obj={build() as never} />);
    await within(field('userns-tab-verdict')).findByText('User namespace (verified)');
    expect(field('userns-tab-decision')).toHaveTextContent(
      'Not stamped: the admission webhook did not change this pod',
    );
  });
});
