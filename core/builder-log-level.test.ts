import { builderLogLevelOperations } from './builder-log-level';
import { planPodMutation } from './plan';
import { effectivePolicy } from './policy';
import { applyOperations, buildOf, loadPod, withStrategyEnv } from './testing/fixtures';
import type { BuildPolicySpec, Pod } from './types';
import { validatePolicySpec } from './validate';

const plan = (pod: Pod, spec: BuildPolicySpec) =>
  planPodMutation({ policy: effectivePolicy(spec), pod, namespace: 'myapp' });
const evidence: BuildPolicySpec = { runtimeEvidence: 'Enabled' };
const envOps = (pod: Pod, spec: BuildPolicySpec) =>
  plan(pod, spec).operations.filter((o) => o.path.includes('/env'));

describe('runtimeEvidence: BUILD_LOGLEVEL=2 on the build container', () => {
  it.each(['docker-privileged', 'docker-unprivileged', 'source', 'source-extract'] as const)(
    'is added to %s when the build does not choose a level',
    (fixture) => {
      const pod = loadPod(fixture);
      expect(envOps(pod, evidence)).toEqual([
        {
          op: 'add',
          path: '/spec/containers/0/env/-',
          value: { name: 'BUILD_LOGLEVEL', value: '2' },
        },
      ]);
      const after = applyOperations(pod, plan(pod, evidence).operations);
      const env = after.spec.containers[0]!.env!;
      expect(env.filter((e) => e.name === 'BUILD_LOGLEVEL')).toEqual([
        { name: 'BUILD_LOGLEVEL', value: '2' },
      ]);
      // The BUILD env var is untouched: it is what the controller encoded.
      expect(env.find((e) => e.name === 'BUILD')?.value).toBe(
        pod.spec.containers[0]!.env!.find((e) => e.name === 'BUILD')?.value,
      );
      expect(plan(after, evidence).operations).toEqual([]);
    },
  );

  it('is off by default', () => {
    expect(effectivePolicy({}).runtimeEvidence).toBe('Disabled');
    expect(
      envOps(loadPod('docker-privileged'), { userNamespaces: { default: 'Enabled' } }),
    ).toEqual([]);
  });

  it("leaves the level a build chose, in its strategy env or its container's", () => {
    const chosen = withStrategyEnv(loadPod('docker-privileged'), [
      { name: 'BUILD_LOGLEVEL', value: '0' },
    ]);
    expect(envOps(chosen, evidence)).toEqual([]);
    // The custom fixture's Build sets BUILD_LOGLEVEL=2 in its strategy env.
    expect(buildOf(loadPod('custom')).spec.strategy.customStrategy?.env).toContainEqual({
      name: 'BUILD_LOGLEVEL',
      value: '2',
    });
    expect(envOps(loadPod('custom'), evidence)).toEqual([]);
    const inContainer = loadPod('source');
    inContainer.spec.containers[0]!.env!.push({ name: 'BUILD_LOGLEVEL', value: '5' });
    expect(envOps(inContainer, evidence)).toEqual([]);
  });

  it('creates the env list of a container that has none, and touches no other container', () => {
    const pod = loadPod('docker-privileged');
    delete pod.spec.containers[0]!.env;
    pod.spec.containers.push({ name: 'sidecar' });
    expect(builderLogLevelOperations(pod, undefined)).toEqual([
      {
        op: 'add',
        path: '/spec/containers/0/env',
        value: [{ name: 'BUILD_LOGLEVEL', value: '2' }],
      },
    ]);
  });

  it('is not planned for a pod the policy leaves alone', () => {
    const pod = loadPod('docker-privileged');
    expect(
      planPodMutation({ policy: effectivePolicy(evidence), pod, namespace: 'openshift-builds' })
        .operations,
    ).toEqual([]);
    expect(
      planPodMutation({
        policy: effectivePolicy(evidence),
        pod: loadPod('not-build-pod'),
        namespace: 'myapp',
      }).operations,
    ).toEqual([]);
  });

  it('is validated as an enum', () => {
    expect(validatePolicySpec({ runtimeEvidence: 'Enabled' })).toEqual({
      ok: true,
      spec: { runtimeEvidence: 'Enabled' },
    });
    expect(validatePolicySpec({ runtimeEvidence: 'Always' })).toEqual({
      ok: false,
      errors: [
        { path: 'spec.runtimeEvidence', message: 'must be one of Enabled, Disabled; got "Always"' },
      ],
    });
  });
});
