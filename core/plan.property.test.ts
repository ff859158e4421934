import fc from 'fast-check';
import { Pod as PodModel } from 'kubernetes-models/v1';
import {
  CRIO_BUILDER_ANNOTATION,
  CRIO_DEVICES_ANNOTATION,
  CRIO_USERNS_ANNOTATION,
  DECISION_ANNOTATION,
} from './constants';
import { planPodMutation, type PlanInput } from './plan';
import { planInput } from './testing/arbitraries';
import { applyOperations } from './testing/fixtures';
import type { Container, Pod } from './types';
import { crioAnnotationHazard } from './userns-mode';

function planAndApply(input: PlanInput) {
  const plan = planPodMutation(input);
  const after = applyOperations(input.pod, plan.operations);
  return { plan, after };
}

/** The patched pod's annotations, for a pod the plan is about; undefined for one it leaves alone. */
function oursAfter(input: PlanInput) {
  const { plan, after } = planAndApply(input);
  // A pod the webhook leaves alone keeps whatever it carried, a forged stamp included.
  if (!OURS.includes(plan.decision.source)) return undefined;
  return { plan, annotations: after.metadata.annotations ?? {} };
}

const allContainers = (pod: Pod): Container[] => [
  ...pod.spec.containers,
  ...(pod.spec.initContainers ?? []),
];

// The only places a plan may write: everything else in a build pod belongs to OpenShift.
const OURS = ['Override', 'Build', 'Default'];

const ALLOWED_PATH =
  /^\/metadata\/annotations(\/.+)?$|^\/spec\/hostUsers$|^\/spec\/(initContainers|containers)\/\d+\/securityContext$|^\/spec\/containers\/\d+\/env(\/-)?$/;

describe('planPodMutation, for arbitrary policies and pods', () => {
  it('applies cleanly with a validating RFC 6902 library and yields a valid Pod', () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const { after } = planAndApply(input);
        new PodModel(after as never).validate();
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: planning the patched pod yields no operations', () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const { after } = planAndApply(input);
        expect(planPodMutation({ ...input, pod: after }).operations).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('writes only annotations, hostUsers, build security contexts and BUILD_LOGLEVEL', () => {
    fc.assert(
      fc.property(planInput, (input) => {
        for (const op of planPodMutation(input).operations) {
          expect(op.path).toMatch(ALLOWED_PATH);
          if (!op.path.includes('/env')) continue;
          const entry = { name: 'BUILD_LOGLEVEL', value: '2' };
          expect(op).toEqual({
            op: 'add',
            path: op.path,
            value: op.path.endsWith('/-') ? entry : [entry],
          });
          expect(input.policy?.runtimeEvidence).toBe('Enabled');
        }
      }),
    );
  });

  it('never touches a pod that is not a build pod, nor one the policy must leave alone', () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const plan = planPodMutation(input);
        if (['NotBuildPod', 'Exempt', 'NoPolicy'].includes(plan.decision.source)) {
          expect(plan.operations).toEqual([]);
        }
        if (plan.decision.source === 'NotBuildPod')
          expect(plan.decision.userNamespaces).toBe(false);
      }),
    );
  });

  it('never grants privilege: a container that was not privileged keeps its context exactly', () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const { after } = planAndApply(input);
        const before = allContainers(input.pod);
        allContainers(after).forEach((container, i) => {
          if (before[i]?.securityContext?.privileged !== true) {
            expect(container.securityContext).toStrictEqual(before[i]?.securityContext);
          }
        });
        if (input.pod.spec.hostUsers === false) expect(after.spec.hostUsers).toBe(false);
        for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
          expect(after.spec[field]).toBe(input.pod.spec[field]);
        }
      }),
    );
  });

  // CRI-O reads userns-mode and Devices only on a pod with io.openshift.builder; on such a pod the
  // webhook's output must be safe whoever supplied the value: pod, Build, BuildConfig or policy.
  it('never leaves a builder pod it patches with an unsafe userns-mode or Devices value', () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const annotations = oursAfter(input)?.annotations;
        if (!annotations || !(CRIO_BUILDER_ANNOTATION in annotations)) return;
        for (const key of [CRIO_USERNS_ANNOTATION, CRIO_DEVICES_ANNOTATION]) {
          if (key in annotations)
            expect(crioAnnotationHazard(key, annotations[key])).toBeUndefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('stamps "true" only on a pod whose user namespace keeps host IDs below 65536 out', () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const ours = oursAfter(input);
        if (!ours || ours.annotations[DECISION_ANNOTATION] !== 'true') return;
        const { plan, annotations } = ours;
        expect(plan.decision.userNamespaces).toBe(true);
        if (!(CRIO_BUILDER_ANNOTATION in annotations)) return;
        expect(
          crioAnnotationHazard(
            CRIO_USERNS_ANNOTATION,
            annotations[CRIO_USERNS_ANNOTATION] ?? 'auto',
          ),
        ).toBeUndefined();
      }),
    );
  });

  it("lets an unsafe CRI-O value through only where CRI-O ignores it: the pod's own, no builder", () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const annotations = oursAfter(input)?.annotations;
        if (!annotations) return;
        for (const key of [CRIO_USERNS_ANNOTATION, CRIO_DEVICES_ANNOTATION]) {
          const value = annotations[key];
          if (value === undefined || crioAnnotationHazard(key, value) === undefined) continue;
          expect(annotations).not.toHaveProperty(CRIO_BUILDER_ANNOTATION);
          expect(value).toBe(input.pod.metadata.annotations?.[key]);
        }
      }),
    );
  });

  it('reports a userns decision as blocked, not applied, next to a host namespace', () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const plan = planPodMutation(input);
        if (plan.blocked) {
          expect(plan.decision.userNamespaces).toBe(true);
          expect(plan.operations.some((o) => o.path.includes('securityContext'))).toBe(false);
          expect(plan.operations.some((o) => o.path === '/spec/hostUsers')).toBe(false);
        }
      }),
    );
  });
});
