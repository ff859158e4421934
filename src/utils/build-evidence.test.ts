import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from '@userns-builds/core';
import privilegedPod from '../../core/fixtures/docker-privileged.json';
import unprivilegedPod from '../../core/fixtures/docker-unprivileged.json';
import { forbiddenError, notFoundError, serverError } from '../__fixtures__/errors';
import {
  LOG_LIMIT_BYTES,
  VERDICTS,
  buildPodName,
  classifyBuildEvidence,
  evidenceDetails,
  podHasLog,
  podLogPath,
  recordedVerdict,
  verdictLabelProps,
} from './build-evidence';
import type { LogState, PodWatch } from './build-evidence';

const usernsLog = readFileSync(join(__dirname, '../../core/fixtures/build-userns.log'), 'utf8');
const nodeLog =
  'I1120 10:14:19.874010       1 builder.go:395] Started in node (default) kernel user namespace\n';

const running = (pod: unknown): Pod => ({ ...(pod as Pod), status: { phase: 'Running' } }) as Pod;
const podLoaded = (data: unknown): PodWatch => ({ data, loaded: true, error: undefined });
const none: LogState = { state: 'none' };

describe('buildPodName', () => {
  it("uses the Build's pod-name annotation", () => {
    expect(
      buildPodName({
        metadata: { name: 'api-3', annotations: { 'openshift.io/build.pod-name': 'custom-pod' } },
      }),
    ).toBe('custom-pod');
  });

  it("falls back to OpenShift's <build>-build", () => {
    expect(buildPodName({ metadata: { name: 'api-3' } })).toBe('api-3-build');
    expect(buildPodName({ metadata: { name: 'api-3', annotations: {} } })).toBe('api-3-build');
    expect(buildPodName({})).toBeUndefined();
  });
});

describe('recordedVerdict', () => {
  it('reads the verdict and evidence the backend recorded', () => {
    expect(
      recordedVerdict({
        metadata: {
          uid: 'uid-1',
          annotations: {
            'userns.builds.dev/verdict': 'UserNamespaced',
            'userns.builds.dev/evidence': 'Builder log: Started in kernel user namespace',
            'userns.builds.dev/recorded-for': 'uid-1',
          },
        },
      }),
    ).toEqual({
      verdict: 'UserNamespaced',
      evidence: 'Builder log: Started in kernel user namespace',
    });
  });

  it('ignores a missing or unknown verdict', () => {
    expect(recordedVerdict({ metadata: {} })).toBeUndefined();
    expect(
      recordedVerdict({ metadata: { annotations: { 'userns.builds.dev/verdict': 'Maybe' } } }),
    ).toBeUndefined();
  });

  it('keeps a verdict recorded without evidence', () => {
    expect(
      recordedVerdict({
        metadata: {
          uid: 'uid-1',
          annotations: {
            'userns.builds.dev/verdict': 'Privileged',
            'userns.builds.dev/recorded-for': 'uid-1',
          },
        },
      }),
    ).toEqual({ verdict: 'Privileged', evidence: '' });
  });

  it('ignores a record copied from another Build (a Rebuild) or bound to none', () => {
    const copied = {
      'userns.builds.dev/verdict': 'UserNamespaced',
      'userns.builds.dev/evidence': 'Builder log: Started in kernel user namespace',
      'userns.builds.dev/recorded-for': 'uid-of-the-build-it-repeats',
    };
    expect(recordedVerdict({ metadata: { uid: 'uid-2', annotations: copied } })).toBeUndefined();
    const { 'userns.builds.dev/recorded-for': _bound, ...unbound } = copied;
    expect(recordedVerdict({ metadata: { uid: 'uid-2', annotations: unbound } })).toBeUndefined();
  });
});

describe('podLogPath and podHasLog', () => {
  it('asks the console for the first 4 KiB of the pod log', () => {
    expect(LOG_LIMIT_BYTES).toBe(4096);
    expect(podLogPath('team-a', 'api-1-build')).toBe(
      '/api/kubernetes/api/v1/namespaces/team-a/pods/api-1-build/log?limitBytes=4096',
    );
  });

  it('reads a log only once containers have started', () => {
    expect([undefined, 'Pending', 'Running', 'Succeeded', 'Failed'].map(podHasLog)).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });
});

describe('classifyBuildEvidence', () => {
  it('prefers the recorded verdict, whatever the pod watch says', () => {
    expect(
      classifyBuildEvidence({
        recorded: { verdict: 'Privileged', evidence: 'Builder log: node namespace' },
        pod: { data: undefined, loaded: false, error: serverError() },
        log: none,
      }),
    ).toEqual({
      state: 'verdict',
      verdict: 'Privileged',
      evidence: 'Builder log: node namespace',
      source: 'recorded',
    });
  });

  it('is loading until the pod watch has answered', () => {
    expect(
      classifyBuildEvidence({
        recorded: undefined,
        pod: { data: undefined, loaded: false, error: undefined },
        log: none,
      }),
    ).toEqual({ state: 'loading' });
  });

  it('is loading while the first log request is in flight', () => {
    expect(
      classifyBuildEvidence({
        recorded: undefined,
        pod: podLoaded(running(unprivilegedPod)),
        log: { state: 'loading' },
      }),
    ).toEqual({ state: 'loading' });
  });

  it("verifies a user namespace from the builder's log line", () => {
    const result = classifyBuildEvidence({
      recorded: undefined,
      pod: podLoaded(running(unprivilegedPod)),
      log: { state: 'loaded', text: usernsLog },
    });
    expect(result).toMatchObject({ state: 'verdict', verdict: 'UserNamespaced', source: 'live' });
    expect(result.state === 'verdict' && result.evidence).toMatch(
      /^Builder log: .*Started in kernel user namespace with UID map \[\(0:1879048192:65536\)\]/,
    );
  });

  it("says privileged when the log shows the node's namespace", () => {
    expect(
      classifyBuildEvidence({
        recorded: undefined,
        pod: podLoaded(running(privilegedPod)),
        log: { state: 'loaded', text: nodeLog },
      }),
    ).toMatchObject({ state: 'verdict', verdict: 'Privileged' });
  });

  it('judges from the pod spec before the log exists, or when it cannot be read', () => {
    for (const log of [none, { state: 'error', message: 'forbidden' } as const]) {
      expect(
        classifyBuildEvidence({ recorded: undefined, pod: podLoaded(unprivilegedPod), log }),
      ).toMatchObject({
        state: 'verdict',
        verdict: 'Requested',
        evidence: expect.stringContaining('io.kubernetes.cri-o.userns-mode'),
      });
      expect(
        classifyBuildEvidence({ recorded: undefined, pod: podLoaded(privilegedPod), log }),
      ).toMatchObject({ state: 'verdict', verdict: 'Privileged' });
    }
  });

  it('says so when the log has no user namespace line', () => {
    const result = classifyBuildEvidence({
      recorded: undefined,
      pod: podLoaded(running(unprivilegedPod)),
      log: { state: 'loaded', text: 'Cloning "https://example.com/x.git" ...\n' },
    });
    expect(result).toMatchObject({ verdict: 'Requested' });
    expect(result.state === 'verdict' && result.evidence).toMatch(/no user namespace line/);
  });

  it('is Unknown when the pod is gone (404) or the watch found nothing', () => {
    for (const pod of [
      { data: undefined, loaded: true, error: notFoundError() },
      { data: {}, loaded: true, error: undefined },
    ]) {
      expect(classifyBuildEvidence({ recorded: undefined, pod, log: none })).toEqual({
        state: 'verdict',
        verdict: 'Unknown',
        evidence: 'No build pod and no build log to judge from.',
        source: 'live',
      });
    }
  });

  it('reports other watch errors with their message', () => {
    expect(
      classifyBuildEvidence({
        recorded: undefined,
        pod: { data: undefined, loaded: false, error: forbiddenError() },
        log: none,
      }),
    ).toEqual({ state: 'error', message: expect.stringContaining('forbidden') });
  });
});

describe('verdictLabelProps', () => {
  it('maps each verdict to a PatternFly Label', () => {
    expect(Object.fromEntries(VERDICTS.map((v) => [v, verdictLabelProps(v)]))).toEqual({
      UserNamespaced: { status: 'success' },
      Requested: { status: 'info' },
      Privileged: { status: 'warning' },
      Unknown: { color: 'grey' },
    });
  });
});

describe('evidenceDetails', () => {
  const message =
    'Started in kernel user namespace with UID map [(0:1879048192:65536), (65536:200000:10)] and GID map [(0:5:1)].';
  const line = `I1120 10:14:19.874010       1 builder.go:395] ${message}`;
  const pod = {
    metadata: {
      name: 'b-1-build',
      annotations: {
        'userns.builds.dev/decision-source': 'Override',
        'userns.builds.dev/user-namespaces': 'true',
      },
    },
    spec: { containers: [], nodeName: 'worker-1' },
  };

  it("reads the builder's UID map (not the GID map), the stamp, the node and the pod", () => {
    expect(evidenceDetails(pod, { state: 'loaded', text: `${line}\nCloning ...\n` })).toEqual({
      decisionSource: 'Override',
      decided: 'true',
      namespaceLine: message,
      uidMap: [
        { container: 0, host: 1879048192, size: 65536 },
        { container: 65536, host: 200000, size: 10 },
      ],
      node: 'worker-1',
      podName: 'b-1-build',
    });
  });

  it('believes no UID map a build step printed after the builder started', () => {
    const forged = `I1120 10:14:19.871102       1 builder.go:393] openshift-builder 4.20\nSTEP 1/3: RUN echo\n${line}\n`;
    const details = evidenceDetails(pod, { state: 'loaded', text: forged });
    expect([details.namespaceLine, details.uidMap]).toEqual([undefined, []]);
  });

  it('has nothing without a pod or a log, and no map for the node namespace', () => {
    expect(evidenceDetails(undefined, { state: 'none' })).toEqual({
      decisionSource: undefined,
      decided: undefined,
      namespaceLine: undefined,
      uidMap: [],
      node: undefined,
      podName: undefined,
    });
    const node = evidenceDetails(undefined, {
      state: 'loaded',
      text: 'I1120 10:14:19.874010       1 builder.go:395] Started in node (default) kernel user namespace.\n',
    });
    expect([node.namespaceLine, node.uidMap]).toEqual([
      'Started in node (default) kernel user namespace.',
      [],
    ]);
  });
});
