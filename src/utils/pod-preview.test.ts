import { applyPatch, deepClone } from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { effectivePolicy, planPodMutation } from '@userns-builds/core';
import type { BuildPolicy, Pod } from '@userns-builds/core';
import dockerBC from '../__fixtures__/buildconfig-docker.json';
import sourceBC from '../__fixtures__/buildconfig-source-unprivileged.json';
import customBC from '../__fixtures__/buildconfig-custom-messy-env.json';
import jenkinsBC from '../__fixtures__/buildconfig-jenkins.json';
import fullPolicy from '../__fixtures__/build-policy-full.json';
import passthroughPolicy from '../__fixtures__/build-policy-passthrough.json';
import type { BuildConfigLike } from './buildconfig-toggle';
import { withChoice } from './buildconfig-toggle';
import { nextBuildPod, podChangeDiff, podPreview } from './pod-preview';

const fresh = (bc: unknown) => deepClone(bc) as BuildConfigLike;
const policy = (p: unknown) => effectivePolicy((p as BuildPolicy).spec);
const lines = (title: string, diff: ReturnType<typeof podChangeDiff>) =>
  diff.find((s) => s.title === title)?.lines.map((l) => `${l.sign} ${l.text}`);

describe('nextBuildPod', () => {
  it('makes the pod OpenShift makes: build container per strategy, privileged unless BUILD_PRIVILEGED=false', () => {
    const docker = nextBuildPod(fresh(dockerBC))!;
    expect(docker.metadata.name).toBe('web-5-build');
    expect(docker.metadata.labels).toEqual({ 'openshift.io/build.name': 'web-5' });
    expect(docker.spec.containers).toEqual([
      {
        name: 'docker-build',
        securityContext: {
          privileged: true,
          runAsUser: 0,
          runAsGroup: 0,
          seccompProfile: { type: 'Unconfined' },
        },
      },
    ]);
    const source = nextBuildPod(fresh(sourceBC))!;
    expect(source.spec.containers[0]!.name).toBe('sti-build');
    expect(source.spec.containers[0]!.securityContext?.privileged).toBe(false);
    expect(source.spec.initContainers?.map((c) => c.name)).toEqual(['extract-image-content']);
    expect(source.metadata.annotations?.['io.kubernetes.cri-o.userns-mode']).toBe(
      'auto:size=65536',
    );
    expect(nextBuildPod(fresh(customBC))!.spec.containers[0]!.name).toBe('custom-build');
    expect(nextBuildPod(fresh(jenkinsBC))).toBeUndefined();
  });
});

describe('podPreview', () => {
  it('shows the security context the webhook replaces, line by line', () => {
    const preview = podPreview(policy(fullPolicy), fresh(dockerBC))!;
    expect(preview.plan.decision.source).toBe('Default');
    expect(preview.openShiftUnprivileged).toBe(false);
    expect(lines('containers[docker-build].securityContext', preview.diff)).toEqual([
      '- privileged: true',
      '+ privileged: false',
      '- runAsUser: 0',
      '- runAsGroup: 0',
      '  seccompProfile.type: "Unconfined"',
      '+ capabilities.add: ["CAP_SETFCAP"]',
      '+ capabilities.drop: ["CAP_KILL","CAP_MKNOD"]',
    ]);
    // Mode Both: hostUsers too; the policy's default userns-mode size yields to OpenShift's shape.
    expect(lines('spec', preview.diff)).toEqual(['+ hostUsers: false']);
    expect(lines('metadata.annotations', preview.diff)).toEqual([
      '+ io.openshift.builder: ""',
      '+ io.kubernetes.cri-o.userns-mode: "auto:size=65536"',
      '+ io.kubernetes.cri-o.Devices: "/dev/fuse:rwm"',
      '+ example.com/cost-center: "builds"',
      '+ userns.builds.dev/user-namespaces: "true"',
      '+ userns.builds.dev/decision-source: "Default"',
    ]);
  });

  it('an opted-out build keeps its privileged context; only the stamp is added', () => {
    const preview = podPreview(policy(fullPolicy), withChoice(fresh(dockerBC), 'Off'))!;
    expect(preview.plan.decision).toMatchObject({ source: 'Build', userNamespaces: false });
    expect(preview.diff.map((s) => s.title)).toEqual(['metadata.annotations']);
    expect(lines('metadata.annotations', preview.diff)).toContain(
      '+ userns.builds.dev/user-namespaces: "false"',
    );
  });

  it('has no operations without a policy', () => {
    const preview = podPreview(undefined, fresh(sourceBC))!;
    expect(preview.plan.decision.source).toBe('NoPolicy');
    expect(preview.openShiftUnprivileged).toBe(true);
    expect(preview.diff).toEqual([]);
  });

  it('passes the BuildConfig annotations the policy allows, and reports what it drops', () => {
    const bc = fresh(sourceBC);
    bc.metadata.annotations = {
      'example.com/team': 'payments',
      'io.kubernetes.cri-o.userns-mode': 'auto:uidmapping=0:0:65536',
    };
    const preview = podPreview(policy(passthroughPolicy), bc)!;
    expect(lines('metadata.annotations', preview.diff)).toContain('+ example.com/team: "payments"');
    expect(preview.plan.dropped).toEqual([
      expect.objectContaining({ key: 'io.kubernetes.cri-o.userns-mode', from: 'BuildConfig' }),
    ]);
  });
});

describe('podChangeDiff', () => {
  it('covers every operation of a plan: applying the diff\'s "+" side matches applying the plan', () => {
    const bc = fresh(dockerBC);
    const pod = nextBuildPod(bc)!;
    const plan = planPodMutation({ policy: policy(fullPolicy), pod, namespace: 'team-a' });
    const after = applyPatch(deepClone(pod) as Pod, plan.operations as Operation[]).newDocument;
    const added = podChangeDiff(pod, plan.operations)
      .find((s) => s.title === 'metadata.annotations')!
      .lines.filter((l) => l.sign !== '-')
      .map((l) => l.text.split(': ')[0]);
    expect(added.sort()).toEqual(
      Object.keys(after.metadata.annotations ?? {})
        .filter((k) => !(k in (pod.metadata.annotations ?? {})))
        .sort(),
    );
  });

  it('shows removals and annotation maps added whole', () => {
    const pod = nextBuildPod(fresh(dockerBC))!;
    delete pod.metadata.annotations;
    pod.spec.hostUsers = true;
    expect(
      podChangeDiff(pod, [
        { op: 'add', path: '/metadata/annotations', value: { 'a/b': 'x' } },
        { op: 'remove', path: '/spec/hostUsers' },
      ]),
    ).toEqual([
      { title: 'metadata.annotations', lines: [{ sign: '+', text: 'a/b: "x"' }] },
      { title: 'spec', lines: [{ sign: '-', text: 'hostUsers: true' }] },
    ]);
  });
});
