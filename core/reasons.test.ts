import { decide } from './decision';
import { notABuildPodReason } from './build-pod';
import { effectivePolicy } from './policy';
import { formatReason, REASON_KEYS, REASON_TEXT, reason } from './reasons';
import type { EnvVar } from './types';

const build = (env: EnvVar[]) => ({
  spec: { strategy: { type: 'Docker' as const, dockerStrategy: { env } } },
});

describe('decision reasons as message keys', () => {
  it('interpolates every {{parameter}} and leaves a missing one visible', () => {
    expect(formatReason(reason('ExemptNamespace', { namespace: 'legacy' }))).toBe(
      'Namespace "legacy" is exempt (spec.userNamespaces.exemptNamespaces), so its builds are left as OpenShift makes them.',
    );
    expect(formatReason(reason('ExemptNamespace'))).toContain('Namespace "{{namespace}}"');
    // A parameter value that looks like a placeholder is not expanded again.
    expect(formatReason(reason('UnparseablePrivileged', { value: '"{{value}}"' }))).toContain(
      'value "{{value}}" is neither',
    );
  });

  it('keeps reasons and messages in step for every decision source', () => {
    const policy = effectivePolicy({
      userNamespaces: { default: 'Enabled', exemptNamespaces: ['legacy'] },
    });
    const required = effectivePolicy({ userNamespaces: { override: 'Required' } });
    const cases = [
      decide({ policy: undefined, namespace: 'a', build: build([]) }),
      decide({ policy, namespace: 'legacy', build: build([]) }),
      decide({ policy, namespace: 'openshift-x', build: build([]) }),
      decide({
        policy: required,
        namespace: 'a',
        build: build([{ name: 'BUILD_PRIVILEGED', value: 'true' }]),
      }),
      decide({
        policy,
        namespace: 'a',
        build: build([{ name: 'BUILD_PRIVILEGED', value: 'no?' }]),
      }),
      decide({ policy, namespace: 'a', build: build([{ name: 'BUILD_PRIVILEGED', value: '0' }]) }),
      decide({ policy, namespace: 'a', build: undefined }),
      decide({ policy, namespace: 'a', pod: { metadata: {}, spec: { containers: [] } } }),
    ];
    const keys = new Set<string>();
    for (const d of cases) {
      expect(d.reasons).toEqual(d.messages.map(formatReason));
      d.messages.forEach((m) => keys.add(m.key));
    }
    expect([...keys].sort()).toEqual(
      [
        'BuildChoiceOverridden',
        'BuildChoiceWins',
        'BuildSetsPrivilegedFalse',
        'BuildUnreadable',
        'DefaultEnabled',
        'ExemptNamespace',
        'NoBuildNameLabel',
        'NoPolicy',
        'OpenShiftDefaultPrivileged',
        'OverrideRequired',
        'SystemNamespace',
        'UnparseablePrivileged',
      ].sort(),
    );
  });

  it('gives parameters, not pre-formatted text, to the translator', () => {
    const d = decide({
      policy: effectivePolicy({ userNamespaces: { exemptNamespaces: ['legacy'] } }),
      namespace: 'legacy',
      build: build([{ name: 'BUILD_PRIVILEGED', value: 'maybe' }]),
    });
    expect(d.messages).toEqual([
      { key: 'ExemptNamespace', params: { namespace: 'legacy' } },
      { key: 'OpenShiftDefaultPrivileged', params: {} },
      { key: 'UnparseablePrivileged', params: { value: '"maybe"' } },
    ]);
  });

  it('has English text for every key and formats notABuildPodReason from it', () => {
    expect(REASON_KEYS.length).toBe(Object.keys(REASON_TEXT).length);
    for (const key of REASON_KEYS) expect(REASON_TEXT[key].length).toBeGreaterThan(10);
    expect(
      notABuildPodReason({
        metadata: { labels: { 'openshift.io/build.name': 'b' } },
        spec: { containers: [{ name: 'x' }] },
      }),
    ).toBe(
      'The pod has no build container (docker-build, sti-build, custom-build), so it is not an OpenShift build pod.',
    );
  });
});
