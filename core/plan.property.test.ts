import fc from 'fast-check';
import { Pod as PodModel } from 'kubernetes-models/v1';
import { CRIO_DEVICES_ANNOTATION, CRIO_USERNS_ANNOTATION } from './constants';
import { planPodMutation, type PlanInput } from './plan';
import { planInput } from './testing/arbitraries';
import { applyOperations } from './testing/fixtures';
import type { Container, Pod } from './types';
import { devicesHazard, usernsModeHazard } from './userns-mode';

function planAndApply(input: PlanInput) {
  const plan = planPodMutation(input);
  const after = applyOperations(input.pod, plan.operations);
  return { plan, after };
}

const allContainers = (pod: Pod): Container[] => [
  ...pod.spec.containers,
  ...(pod.spec.initContainers ?? []),
];

// The only places a plan may write: everything else in a build pod belongs to OpenShift.
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

  it('never grants privilege', () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const { after } = planAndApply(input);
        const before = allContainers(input.pod);
        allContainers(after).forEach((container, i) => {
          if (before[i]?.securityContext?.privileged !== true) {
            expect(container.securityContext?.privileged).not.toBe(true);
          }
        });
        if (input.pod.spec.hostUsers === false) expect(after.spec.hostUsers).toBe(false);
        for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
          expect(after.spec[field]).toBe(input.pod.spec[field]);
        }
      }),
    );
  });

  it('lets no Build or BuildConfig annotation map onto host root or add devices', () => {
    fc.assert(
      fc.property(planInput, (input) => {
        const { after } = planAndApply(input);
        const checks = [
          [CRIO_USERNS_ANNOTATION, usernsModeHazard],
          [CRIO_DEVICES_ANNOTATION, devicesHazard],
        ] as const;
        for (const [key, hazard] of checks) {
          const value = after.metadata.annotations?.[key];
          if (value === undefined || hazard(value) === undefined) continue;
          // A hazardous value may only be one the pod already had or the admin's own policy set.
          const trusted = [
            input.pod.metadata.annotations?.[key],
            input.policy?.buildDefaults.annotations[key],
            input.policy?.buildOverrides.annotations[key],
          ];
          expect(trusted).toContain(value);
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
