import {
  CRIO_BUILDER_ANNOTATION,
  CRIO_DEVICES_ANNOTATION,
  CRIO_USERNS_ANNOTATION,
  DECISION_ANNOTATION,
} from './constants';
import { planPodMutation } from './plan';
import { effectivePolicy } from './policy';
import { selectPassthrough } from './passthrough';
import { applyOperations, loadPod } from './testing/fixtures';
import type { BuildPolicySpec } from './types';

const ALLOW = [CRIO_USERNS_ANNOTATION, CRIO_DEVICES_ANNOTATION, 'team.example/cost-centre'];

describe('selectPassthrough', () => {
  it('copies only allowlisted keys, the Build winning over its BuildConfig', () => {
    const result = selectPassthrough(
      ALLOW,
      { annotations: { 'team.example/cost-centre': 'b', 'not.allowed/x': 'y' } },
      { annotations: { 'team.example/cost-centre': 'bc', [CRIO_USERNS_ANNOTATION]: 'auto' } },
    );
    expect(result.annotations).toEqual([
      [CRIO_USERNS_ANNOTATION, 'auto'],
      ['team.example/cost-centre', 'b'],
    ]);
    expect(result.dropped).toEqual([]);
  });

  it.each([
    ['Build', CRIO_USERNS_ANNOTATION, 'auto:uidmapping=0:0:65536', /host UID 0/],
    ['BuildConfig', CRIO_USERNS_ANNOTATION, 'auto:gidmapping=0:0:1', /host GID 0/],
    ['Build', CRIO_USERNS_ANNOTATION, 'auto:size=65536;uidmapping=1:0:1', /host UID 0/],
    ['Build', CRIO_USERNS_ANNOTATION, 'host', /container root is host root/],
    ['Build', CRIO_USERNS_ANNOTATION, 'keep-id', /a root build runs as host UID 0/],
    ['BuildConfig', CRIO_USERNS_ANNOTATION, 'auto:uidmapping=0:1:65536', /below 65536/],
    ['BuildConfig', CRIO_DEVICES_ANNOTATION, '/dev/fuse,/dev/mem', /more than \/dev\/fuse/],
    ['Build', CRIO_DEVICES_ANNOTATION, '/dev/kvm:rwm', /more than \/dev\/fuse/],
  ] as const)('drops a %s %s of %j with a reason', (from, key, value, why) => {
    const meta = { annotations: { [key]: value } };
    const result =
      from === 'Build'
        ? selectPassthrough(ALLOW, meta, undefined)
        : selectPassthrough(ALLOW, undefined, meta);
    expect(result.annotations).toEqual([]);
    expect(result.dropped).toEqual([{ key, value, from, reason: expect.stringMatching(why) }]);
    expect(result.dropped[0]!.reason).toMatch(/undo the isolation/);
  });

  it('keeps map-to-root, which maps to root only inside the namespace', () => {
    const value = 'auto:size=65536;map-to-root=true';
    const result = selectPassthrough(
      ALLOW,
      { annotations: { [CRIO_USERNS_ANNOTATION]: value } },
      undefined,
    );
    expect(result.annotations).toEqual([[CRIO_USERNS_ANNOTATION, value]]);
  });

  it('never passes through our own keys or io.openshift.builder, even when allowlisted', () => {
    const result = selectPassthrough(
      [DECISION_ANNOTATION, CRIO_BUILDER_ANNOTATION],
      { annotations: { [DECISION_ANNOTATION]: 'true', [CRIO_BUILDER_ANNOTATION]: '' } },
      undefined,
    );
    expect(result.annotations).toEqual([]);
    expect(result.dropped.map((d) => d.key)).toEqual([
      DECISION_ANNOTATION,
      CRIO_BUILDER_ANNOTATION,
    ]);
  });

  it('does not fall back to the BuildConfig when the Build value is dropped', () => {
    const result = selectPassthrough(
      ALLOW,
      { annotations: { [CRIO_DEVICES_ANNOTATION]: '/dev/kvm' } },
      { annotations: { [CRIO_DEVICES_ANNOTATION]: '/dev/fuse' } },
    );
    expect(result.annotations).toEqual([]);
    expect(result.dropped).toHaveLength(1);
  });
});

describe('passthrough in a plan never grants more than the policy', () => {
  const spec: BuildPolicySpec = {
    userNamespaces: { default: 'Enabled' },
    passthroughAnnotations: ALLOW,
  };

  it('keeps the safe userns-mode of OpenShift when a Build asks to map onto host root', () => {
    const pod = loadPod('docker-privileged');
    const plan = planPodMutation({
      policy: effectivePolicy(spec),
      pod,
      namespace: 'myapp',
      buildMeta: {
        annotations: {
          [CRIO_USERNS_ANNOTATION]: 'auto:uidmapping=0:0:65536',
          [CRIO_DEVICES_ANNOTATION]: '/dev/fuse:rwm,/dev/kvm:rwm',
        },
      },
    });
    const after = applyOperations(pod, plan.operations);
    expect(after.metadata.annotations?.[CRIO_USERNS_ANNOTATION]).toBe('auto:size=65536');
    expect(after.metadata.annotations?.[CRIO_DEVICES_ANNOTATION]).toBe('/dev/fuse:rwm');
    expect(plan.dropped.map((d) => d.key)).toEqual([
      CRIO_USERNS_ANNOTATION,
      CRIO_DEVICES_ANNOTATION,
    ]);
    expect(plan.warnings).toHaveLength(2);
  });

  it('passes a safe, bigger userns size through', () => {
    const pod = loadPod('source');
    const plan = planPodMutation({
      policy: effectivePolicy(spec),
      pod,
      namespace: 'myapp',
      buildConfigMeta: { annotations: { [CRIO_USERNS_ANNOTATION]: 'auto:size=131072' } },
    });
    const after = applyOperations(pod, plan.operations);
    expect(after.metadata.annotations?.[CRIO_USERNS_ANNOTATION]).toBe('auto:size=131072');
    expect(plan.dropped).toEqual([]);
  });
});
