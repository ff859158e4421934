import { Pod as PodModel } from 'kubernetes-models/v1';
import {
  CRIO_BUILDER_ANNOTATION,
  CRIO_DEVICES_ANNOTATION,
  CRIO_USERNS_ANNOTATION,
  DECISION_ANNOTATION,
  DECISION_SOURCE_ANNOTATION,
} from './constants';
import { planPodMutation, unprivilegedSecurityContext, type PlanInput } from './plan';
import { effectivePolicy } from './policy';
import {
  applyOperations,
  loadPod,
  loadPrecedenceCases,
  withBuild,
  withStrategyEnv,
  type BuildPodFixture,
} from './testing/fixtures';
import type { BuildPolicySpec, Container, Pod } from './types';

const ENABLED: BuildPolicySpec = { userNamespaces: { default: 'Enabled' } };
const DISABLED: BuildPolicySpec = { userNamespaces: { default: 'Disabled' } };

function planFor(pod: Pod, spec: BuildPolicySpec | undefined, extra: Partial<PlanInput> = {}) {
  return planPodMutation({
    policy: spec && effectivePolicy(spec),
    pod,
    namespace: 'myapp',
    ...extra,
  });
}

/** Plans, applies, and checks the two things every plan must satisfy: validity and idempotence. */
function mutate(pod: Pod, spec: BuildPolicySpec | undefined, extra: Partial<PlanInput> = {}) {
  const plan = planFor(pod, spec, extra);
  const after = applyOperations(pod, plan.operations);
  expect(planFor(after, spec, extra).operations).toEqual([]);
  expect(() => new PodModel(after as never).validate()).not.toThrow();
  return { plan, after };
}

const byName = (list: Container[] | undefined, name: string) => list?.find((c) => c.name === name);

// Which containers OpenShift gives the build security context, per fixture (docs/architecture.md#openshift-build-pods).
const STRATEGIES: { fixture: BuildPodFixture; shaped: string[]; minimal: string[] }[] = [
  {
    fixture: 'docker-privileged',
    shaped: ['docker-build'],
    minimal: ['git-clone', 'manage-dockerfile'],
  },
  {
    fixture: 'docker-extract',
    shaped: ['docker-build', 'extract-image-content'],
    minimal: ['git-clone', 'manage-dockerfile'],
  },
  { fixture: 'source', shaped: ['sti-build'], minimal: ['git-clone', 'manage-dockerfile'] },
  {
    fixture: 'source-extract',
    shaped: ['sti-build', 'extract-image-content'],
    minimal: ['git-clone', 'manage-dockerfile'],
  },
  { fixture: 'custom', shaped: ['custom-build'], minimal: [] },
];

describe.each(STRATEGIES)('planPodMutation for $fixture', ({ fixture, shaped, minimal }) => {
  const all = (pod: Pod) => [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];

  it('gives exactly the BUILD_PRIVILEGED=false shape to the build containers only', () => {
    const before = loadPod(fixture);
    const { plan, after } = mutate(before, ENABLED);
    expect(plan.decision).toMatchObject({ userNamespaces: true, source: 'Default' });
    for (const name of shaped) {
      expect(byName(all(after), name)?.securityContext).toStrictEqual(
        unprivilegedSecurityContext(),
      );
    }
    for (const name of minimal) {
      expect(byName(all(after), name)).toEqual(byName(all(before), name));
    }
    expect(after.metadata.annotations).toMatchObject({
      [CRIO_BUILDER_ANNOTATION]: '',
      [CRIO_USERNS_ANNOTATION]: 'auto:size=65536',
      [CRIO_DEVICES_ANNOTATION]: '/dev/fuse:rwm',
      [DECISION_ANNOTATION]: 'true',
      [DECISION_SOURCE_ANNOTATION]: 'Default',
    });
    expect(after.spec.hostUsers).toBeUndefined();
  });

  it('changes nothing but the stamp when the decision is privileged', () => {
    const before = loadPod(fixture);
    const { plan, after } = mutate(before, DISABLED);
    expect(plan.decision.userNamespaces).toBe(false);
    expect(plan.operations.map((o) => o.path)).toEqual([
      '/metadata/annotations/userns.builds.dev~1user-namespaces',
      '/metadata/annotations/userns.builds.dev~1decision-source',
    ]);
    expect(after.spec).toEqual(before.spec);
  });

  it('adds hostUsers: false and no CRI-O annotations in HostUsers mode', () => {
    const { after } = mutate(loadPod(fixture), {
      userNamespaces: { override: 'Required', mode: 'HostUsers' },
    });
    expect(after.spec.hostUsers).toBe(false);
    expect(after.metadata.annotations).not.toHaveProperty(CRIO_USERNS_ANNOTATION);
    expect(after.metadata.annotations).not.toHaveProperty(CRIO_BUILDER_ANNOTATION);
    for (const name of shaped) {
      expect(byName(all(after), name)?.securityContext).toStrictEqual(
        unprivilegedSecurityContext(),
      );
    }
  });

  it('does both in Both mode', () => {
    const { after } = mutate(loadPod(fixture), {
      userNamespaces: { default: 'Enabled', mode: 'Both' },
    });
    expect(after.spec.hostUsers).toBe(false);
    expect(after.metadata.annotations?.[CRIO_USERNS_ANNOTATION]).toBe('auto:size=65536');
  });

  it('leaves exempt and policy-less pods untouched', () => {
    const exempt = planFor(loadPod(fixture), {
      userNamespaces: { override: 'Required', exemptNamespaces: ['myapp'] },
    });
    expect(exempt.operations).toEqual([]);
    const none = planFor(
      withStrategyEnv(loadPod(fixture), [{ name: 'BUILD_PRIVILEGED', value: 'false' }]),
      undefined,
    );
    expect(none.operations).toEqual([]);
    expect(none.decision).toMatchObject({ source: 'NoPolicy', userNamespaces: true });
  });
});

const UNTOUCHED = ['NotBuildPod', 'Exempt', 'NoPolicy'];

describe.each(STRATEGIES)('every precedence path for $fixture', ({ fixture, shaped }) => {
  it.each(loadPrecedenceCases())('$name', (c) => {
    const before = withStrategyEnv(loadPod(fixture), c.env);
    const extra = { namespace: c.namespace ?? 'myapp' };
    const { plan, after } = mutate(before, c.spec ?? undefined, extra);
    expect(plan.decision).toMatchObject({ source: c.source, userNamespaces: c.userNamespaces });
    if (UNTOUCHED.includes(c.source)) {
      expect(plan.operations).toEqual([]);
      return;
    }
    const all = [...after.spec.containers, ...(after.spec.initContainers ?? [])];
    const original = [...before.spec.containers, ...(before.spec.initContainers ?? [])];
    for (const name of shaped) {
      expect(byName(all, name)?.securityContext).toEqual(
        c.userNamespaces ? unprivilegedSecurityContext() : byName(original, name)?.securityContext,
      );
    }
    expect(after.metadata.annotations?.[DECISION_ANNOTATION]).toBe(String(c.userNamespaces));
    expect(after.metadata.annotations?.[DECISION_SOURCE_ANNOTATION]).toBe(c.source);
    expect(after.metadata.annotations?.[CRIO_USERNS_ANNOTATION]).toBe(
      c.userNamespaces ? 'auto:size=65536' : undefined,
    );
  });
});

describe('planPodMutation', () => {
  it('turns a privileged docker build into what OpenShift itself makes for BUILD_PRIVILEGED=false', () => {
    const openshift = loadPod('docker-unprivileged');
    const { after } = mutate(loadPod('docker-privileged'), ENABLED);
    const securityContexts = (pod: Pod) =>
      [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => [
        c.name,
        c.securityContext,
      ]);
    expect(securityContexts(after)).toEqual(securityContexts(openshift));
    for (const key of [CRIO_BUILDER_ANNOTATION, CRIO_USERNS_ANNOTATION, CRIO_DEVICES_ANNOTATION]) {
      expect(after.metadata.annotations?.[key]).toBe(openshift.metadata.annotations?.[key]);
    }
  });

  it('only stamps a pod OpenShift already made unprivileged', () => {
    const plan = planFor(loadPod('docker-unprivileged'), DISABLED);
    expect(plan.decision).toMatchObject({ userNamespaces: true, source: 'Build' });
    expect(plan.operations.map((o) => o.op)).toEqual(['add', 'add']);
  });

  it('never makes an unprivileged pod privileged, even when the decision is privileged', () => {
    const before = withStrategyEnv(loadPod('docker-unprivileged'), []);
    const { plan, after } = mutate(before, DISABLED);
    expect(plan.decision.userNamespaces).toBe(false);
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata.annotations?.[CRIO_USERNS_ANNOTATION]).toBe('auto:size=65536');
  });

  it('plans nothing for a pod that is not a build pod', () => {
    const plan = planFor(loadPod('not-build-pod'), { userNamespaces: { override: 'Required' } });
    expect(plan).toMatchObject({ operations: [], dropped: [], warnings: [] });
    expect(plan.decision.source).toBe('NotBuildPod');
  });

  it('adds the whole annotations object in one operation when the pod has none', () => {
    const pod = loadPod('custom');
    delete pod.metadata.annotations;
    const { plan, after } = mutate(pod, ENABLED);
    const annotationOps = plan.operations.filter((o) => o.path.startsWith('/metadata'));
    expect(annotationOps).toEqual([
      {
        op: 'add',
        path: '/metadata/annotations',
        value: {
          [CRIO_BUILDER_ANNOTATION]: '',
          [CRIO_USERNS_ANNOTATION]: 'auto:size=65536',
          [CRIO_DEVICES_ANNOTATION]: '/dev/fuse:rwm',
          [DECISION_ANNOTATION]: 'true',
          [DECISION_SOURCE_ANNOTATION]: 'Default',
        },
      },
    ]);
    expect(after.metadata.annotations?.[DECISION_ANNOTATION]).toBe('true');
  });

  it('leaves a build container that is not privileged as it is: null, missing or restricted', () => {
    const pod = loadPod('source-extract');
    pod.spec.containers[0]!.securityContext = null;
    delete pod.spec.initContainers![1]!.securityContext;
    const { plan, after } = mutate(pod, ENABLED);
    expect(plan.operations.filter((o) => o.path.includes('securityContext'))).toEqual([]);
    expect(after.spec.containers[0]!.securityContext).toBeNull();
    expect(after.spec.initContainers![1]).not.toHaveProperty('securityContext');
  });

  // Anyone may label a pod as a build pod: OpenShift's unprivileged shape must never replace a
  // context tighter than itself (it has seccomp Unconfined and only drops KILL and MKNOD).
  it('keeps a restricted docker-build context instead of widening it', () => {
    const restricted = {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' as const },
    };
    const pod = loadPod('docker-privileged');
    pod.spec.containers[0]!.securityContext = structuredClone(restricted);
    for (const spec of [ENABLED, { userNamespaces: { override: 'Required' as const } }]) {
      const { after } = mutate(pod, spec);
      expect(after.spec.containers[0]!.securityContext).toStrictEqual(restricted);
    }
  });

  it('replaces a privileged context even when it carries more than OpenShift sets', () => {
    const pod = loadPod('docker-privileged');
    pod.spec.containers[0]!.securityContext = { privileged: true, runAsNonRoot: false };
    const { after } = mutate(pod, ENABLED);
    expect(after.spec.containers[0]!.securityContext).toStrictEqual(unprivilegedSecurityContext());
  });

  it('escapes / and ~ in annotation keys as JSON Pointer requires', () => {
    const { plan, after } = mutate(loadPod('docker-privileged'), {
      ...DISABLED,
      buildOverrides: { annotations: { 'example.com/odd~key/x': 'v' } },
    });
    expect(plan.operations.map((o) => o.path)).toContain(
      '/metadata/annotations/example.com~1odd~0key~1x',
    );
    expect(after.metadata.annotations?.['example.com/odd~key/x']).toBe('v');
  });

  it('replaces an existing hostUsers: true', () => {
    const pod = loadPod('source');
    pod.spec.hostUsers = true;
    const { plan, after } = mutate(pod, {
      userNamespaces: { default: 'Enabled', mode: 'HostUsers' },
    });
    expect(plan.operations).toContainEqual({
      op: 'replace',
      path: '/spec/hostUsers',
      value: false,
    });
    expect(after.spec.hostUsers).toBe(false);
  });

  describe.each(['hostNetwork', 'hostPID', 'hostIPC'] as const)('with %s', (field) => {
    it.each(['HostUsers', 'Both'] as const)('is blocked in %s mode, naming the field', (mode) => {
      const pod = loadPod('docker-privileged');
      pod.spec[field] = true;
      const { plan, after } = mutate(pod, { userNamespaces: { default: 'Enabled', mode } });
      expect(plan.blocked?.reason).toContain(`spec.${field}`);
      expect(after.spec).toEqual(pod.spec);
      expect(after.metadata.annotations).not.toHaveProperty(CRIO_USERNS_ANNOTATION);
      expect(after.metadata.annotations?.[DECISION_ANNOTATION]).toBe('false');
    });

    it('is not blocked in CRIOAnnotation mode', () => {
      const pod = loadPod('docker-privileged');
      pod.spec[field] = true;
      const plan = planFor(pod, ENABLED);
      expect(plan.blocked).toBeUndefined();
      expect(plan.operations.length).toBeGreaterThan(2);
    });
  });
});

describe('annotation layers', () => {
  const spec: BuildPolicySpec = {
    userNamespaces: { default: 'Disabled' },
    buildDefaults: {
      annotations: {
        'a.example/own': 'default',
        'a.example/d': 'default',
        'a.example/p': 'default',
      },
    },
    passthroughAnnotations: ['a.example/p', 'a.example/o', 'a.example/bc'],
    buildOverrides: { annotations: { 'a.example/o': 'override' } },
  };

  it("stacks the pod's own < defaults < passthrough < overrides", () => {
    const pod = loadPod('source');
    pod.metadata.annotations!['a.example/own'] = 'pod';
    const { after } = mutate(pod, spec, {
      buildMeta: { annotations: { 'a.example/p': 'build', 'a.example/o': 'build' } },
      buildConfigMeta: {
        annotations: { 'a.example/bc': 'buildconfig', 'a.example/p': 'buildconfig' },
      },
    });
    expect(after.metadata.annotations).toMatchObject({
      'a.example/own': 'pod',
      'a.example/d': 'default',
      'a.example/p': 'build',
      'a.example/o': 'override',
      'a.example/bc': 'buildconfig',
    });
  });

  it("reads passthrough from the Build in the pod's BUILD env var when no metadata is given", () => {
    const pod = withBuild(loadPod('custom'), (b) => {
      b.metadata.annotations = { ...b.metadata.annotations, 'a.example/p': 'from-env' };
    });
    const { after } = mutate(pod, spec);
    expect(after.metadata.annotations?.['a.example/p']).toBe('from-env');
  });

  it('does not let a default replace what the userns shape set', () => {
    const { after } = mutate(loadPod('docker-privileged'), {
      userNamespaces: { default: 'Enabled' },
      buildDefaults: { annotations: { [CRIO_USERNS_ANNOTATION]: 'auto:size=131072' } },
    });
    expect(after.metadata.annotations?.[CRIO_USERNS_ANNOTATION]).toBe('auto:size=65536');
  });

  it('lets an override replace it', () => {
    const { plan, after } = mutate(loadPod('docker-privileged'), {
      userNamespaces: { default: 'Enabled' },
      buildOverrides: { annotations: { [CRIO_USERNS_ANNOTATION]: 'auto:size=131072' } },
    });
    expect(after.metadata.annotations?.[CRIO_USERNS_ANNOTATION]).toBe('auto:size=131072');
    expect(plan.warnings).toEqual([]);
  });

  it('keeps its own stamp even if an unvalidated override tries to set it', () => {
    const { after } = mutate(loadPod('source'), {
      ...DISABLED,
      buildOverrides: { annotations: { [DECISION_ANNOTATION]: 'true' } },
    });
    expect(after.metadata.annotations?.[DECISION_ANNOTATION]).toBe('false');
  });
});

describe('warnings about a userns-mode annotation from the policy', () => {
  it('warns that CRI-O ignores it on a pod without io.openshift.builder', () => {
    const plan = planFor(loadPod('docker-privileged'), {
      userNamespaces: { default: 'Enabled', mode: 'HostUsers' },
      buildOverrides: { annotations: { [CRIO_USERNS_ANNOTATION]: 'auto' } },
    });
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toMatch(/spec.buildOverrides.*io.openshift.builder/);
  });

  it('ignores one that is not valid syntax, and says so', () => {
    const { plan, after } = mutate(loadPod('docker-privileged'), {
      userNamespaces: { default: 'Disabled' },
      buildDefaults: {
        annotations: { [CRIO_USERNS_ANNOTATION]: 'private', [CRIO_BUILDER_ANNOTATION]: '' },
      },
    });
    expect(plan.warnings).toEqual([
      expect.stringMatching(
        /^Ignored spec.buildDefaults annotation io.kubernetes.cri-o.userns-mode: userns-mode "private"/,
      ),
    ]);
    expect(after.metadata.annotations).not.toHaveProperty(CRIO_USERNS_ANNOTATION);
  });
});

// Anyone who can create a pod can give it CRI-O annotations; the webhook's builder annotation is
// what makes CRI-O honour them, so on a pod that ends up with it, only safe values may remain.
describe("the pod's own CRI-O annotations", () => {
  const HOSTILE = {
    [CRIO_USERNS_ANNOTATION]: 'auto:uidmapping=0:0:65536',
    [CRIO_DEVICES_ANNOTATION]: '/dev/kmem:rwm,/dev/mem:rwm',
  };
  const hostile = (extra: Record<string, string> = {}) => {
    const pod = loadPod('docker-privileged');
    pod.metadata.annotations = { ...pod.metadata.annotations, ...HOSTILE, ...extra };
    return pod;
  };

  it.each<[string, BuildPolicySpec]>([
    ['a default', ENABLED],
    ['the override', { userNamespaces: { override: 'Required' } }],
    ['the override in Both mode', { userNamespaces: { override: 'Required', mode: 'Both' } }],
  ])('are replaced by the safe values when %s decides user namespaces', (_name, spec) => {
    const { plan, after } = mutate(hostile(), spec);
    expect(after.metadata.annotations).toMatchObject({
      [CRIO_BUILDER_ANNOTATION]: '',
      [CRIO_USERNS_ANNOTATION]: 'auto:size=65536',
      [CRIO_DEVICES_ANNOTATION]: '/dev/fuse:rwm',
      [DECISION_ANNOTATION]: 'true',
    });
    expect(plan.dropped.map((d) => [d.from, d.key, d.value])).toEqual([
      ['Pod', CRIO_USERNS_ANNOTATION, 'auto:uidmapping=0:0:65536'],
      ['Pod', CRIO_DEVICES_ANNOTATION, '/dev/kmem:rwm,/dev/mem:rwm'],
    ]);
    expect(plan.warnings).toEqual([
      expect.stringMatching(
        /^Replaced the pod's own io.kubernetes.cri-o.userns-mode: .*host UID 0/,
      ),
      expect.stringMatching(/^Replaced the pod's own io.kubernetes.cri-o.Devices: .*\/dev\/fuse/),
    ]);
  });

  it('are replaced by the policy default where the userns shape does not set one', () => {
    const { after } = mutate(hostile({ [CRIO_BUILDER_ANNOTATION]: '' }), {
      ...DISABLED,
      buildDefaults: { annotations: { [CRIO_USERNS_ANNOTATION]: 'auto:size=131072' } },
    });
    expect(after.metadata.annotations?.[CRIO_USERNS_ANNOTATION]).toBe('auto:size=131072');
  });

  it('keep-id on a root build is replaced, as is a mapping onto host IDs below 65536', () => {
    for (const value of ['keep-id', 'auto:uidmapping=0:1:65536']) {
      const { after } = mutate(hostile({ [CRIO_USERNS_ANNOTATION]: value }), ENABLED);
      expect(after.metadata.annotations?.[CRIO_USERNS_ANNOTATION]).toBe('auto:size=65536');
    }
  });

  it('are made safe on a pod that already carries the builder annotation, whatever the decision', () => {
    const pod = hostile({ [CRIO_BUILDER_ANNOTATION]: '' });
    for (const spec of [
      DISABLED,
      { userNamespaces: { default: 'Enabled' as const, mode: 'HostUsers' as const } },
    ]) {
      const { after } = mutate(pod, spec);
      expect(after.metadata.annotations).toMatchObject({
        [CRIO_USERNS_ANNOTATION]: 'auto:size=65536',
        [CRIO_DEVICES_ANNOTATION]: '/dev/fuse:rwm',
      });
    }
  });

  it('are left alone where CRI-O ignores them: no builder annotation before or after', () => {
    const { plan, after } = mutate(hostile(), DISABLED);
    expect(after.metadata.annotations).toMatchObject(HOSTILE);
    expect(after.metadata.annotations).not.toHaveProperty(CRIO_BUILDER_ANNOTATION);
    expect(plan.dropped).toEqual([]);
  });

  it("keep safe values of their own, which are not the policy's to change", () => {
    const pod = hostile({
      [CRIO_USERNS_ANNOTATION]: 'auto:size=131072',
      [CRIO_DEVICES_ANNOTATION]: '/dev/fuse',
    });
    const { plan, after } = mutate(pod, ENABLED);
    expect(after.metadata.annotations).toMatchObject({
      [CRIO_USERNS_ANNOTATION]: 'auto:size=131072',
      [CRIO_DEVICES_ANNOTATION]: '/dev/fuse',
    });
    expect(plan.warnings).toEqual([]);
  });

  it('the same rules apply to unvalidated policy maps: unsafe entries are ignored with a warning', () => {
    const { plan, after } = mutate(loadPod('docker-privileged'), {
      ...ENABLED,
      buildOverrides: {
        annotations: { [CRIO_USERNS_ANNOTATION]: 'keep-id', [CRIO_DEVICES_ANNOTATION]: '/dev/kvm' },
      },
    });
    expect(after.metadata.annotations).toMatchObject({
      [CRIO_USERNS_ANNOTATION]: 'auto:size=65536',
      [CRIO_DEVICES_ANNOTATION]: '/dev/fuse:rwm',
    });
    expect(plan.dropped.map((d) => d.from)).toEqual(['buildOverrides', 'buildOverrides']);
    expect(plan.warnings[0]).toMatch(
      /^Ignored spec.buildOverrides annotation io.kubernetes.cri-o.userns-mode/,
    );
  });
});
