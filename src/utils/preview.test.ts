import { BUILD_PRIVILEGED_ENV, effectivePolicy } from '@userns-builds/core';
import type { BuildPolicySpec } from '@userns-builds/core';
import fullPolicy from '../__fixtures__/build-policy-full.json';
import requiredPolicy from '../__fixtures__/build-policy-required.json';
import emptySpecPolicy from '../__fixtures__/build-policy-empty-spec.json';
import { buildPreview, previewBuild, previewNamespace } from './preview';
import type { PreviewRow } from './preview';

const policyOf = (fixture: { spec: unknown }) => effectivePolicy(fixture.spec as BuildPolicySpec);

/** choice -> [runs in a user namespace, which rule decided] */
const outcomes = (rows: PreviewRow[]) =>
  Object.fromEntries(
    rows.map((r) => [r.choice, [r.decision.userNamespaces, r.decision.source] as const]),
  );

describe('buildPreview', () => {
  it('without a policy shows what OpenShift does alone', () => {
    expect(outcomes(buildPreview(undefined))).toEqual({
      Unset: [false, 'NoPolicy'],
      PrivilegedFalse: [true, 'NoPolicy'],
      PrivilegedTrue: [false, 'NoPolicy'],
    });
  });

  it('with every default (Disabled, no override) lets the build choose, else privileged', () => {
    expect(outcomes(buildPreview(policyOf(emptySpecPolicy)))).toEqual({
      Unset: [false, 'Default'],
      PrivilegedFalse: [true, 'Build'],
      PrivilegedTrue: [false, 'Build'],
    });
  });

  it('with default Enabled runs silent builds in a user namespace; the build can still opt out', () => {
    expect(outcomes(buildPreview(policyOf(fullPolicy)))).toEqual({
      Unset: [true, 'Default'],
      PrivilegedFalse: [true, 'Build'],
      PrivilegedTrue: [false, 'Build'],
    });
  });

  it('with override Required puts every build in a user namespace', () => {
    expect(outcomes(buildPreview(policyOf(requiredPolicy)))).toEqual({
      Unset: [true, 'Override'],
      PrivilegedFalse: [true, 'Override'],
      PrivilegedTrue: [true, 'Override'],
    });
  });

  it('previews each BUILD_PRIVILEGED form in the strategy env', () => {
    const envs = buildPreview(undefined).map((r) => r.env);
    expect(envs).toEqual([
      [],
      [{ name: BUILD_PRIVILEGED_ENV, value: 'false' }],
      [{ name: BUILD_PRIVILEGED_ENV, value: 'true' }],
    ]);
  });
});

describe('previewNamespace', () => {
  it('uses a namespace the policy does not exempt', () => {
    expect(previewNamespace(undefined)).toBe('example-project');
    // The full fixture exempts "example-project" itself.
    expect(previewNamespace(policyOf(fullPolicy))).toBe('example-project-2');
    const policy = policyOf({
      spec: { userNamespaces: { exemptNamespaces: ['example-project', 'example-project-2'] } },
    });
    expect(previewNamespace(policy)).toBe('example-project-3');
  });
});

describe('previewBuild', () => {
  it('is a docker-strategy build carrying the env', () => {
    const env = [{ name: BUILD_PRIVILEGED_ENV, value: '0' }];
    expect(previewBuild(env).spec.strategy).toEqual({ type: 'Docker', dockerStrategy: { env } });
  });
});
