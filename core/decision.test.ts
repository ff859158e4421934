import { decide, parseBuildPrivileged, readBuildPrivileged, type DecisionSource } from './decision';
import { effectivePolicy } from './policy';
import { BUILD_NAME_LABEL } from './constants';
import { loadPod, withStrategyEnv, type BuildPodFixture } from './testing/fixtures';
import type { BuildPolicySpec, EnvVar } from './types';

const privileged = (value: string): EnvVar[] => [{ name: 'BUILD_PRIVILEGED', value }];

describe('parseBuildPrivileged', () => {
  it.each([
    ['1', true],
    ['t', true],
    ['T', true],
    ['TRUE', true],
    ['true', true],
    ['True', true],
    ['0', false],
    ['f', false],
    ['F', false],
    ['FALSE', false],
    ['false', false],
    ['False', false],
    ['2', true],
    ['-1', true],
    ['+7', true],
    ['00', false],
    ['-0', false],
  ])('reads %j as %s, like strconv.ParseBool then Atoi', (value, expected) => {
    expect(parseBuildPrivileged(privileged(value))).toBe(expected);
  });

  it.each(['', 'yes', 'no', 'tRuE', ' true', '1.0', '0x1', '99999999999999999999'])(
    'leaves %j unparsed, as Go does',
    (value) => {
      expect(parseBuildPrivileged(privileged(value))).toBeUndefined();
    },
  );

  it('is undefined without the variable', () => {
    expect(parseBuildPrivileged(undefined)).toBeUndefined();
    expect(parseBuildPrivileged([{ name: 'OTHER', value: 'false' }])).toBeUndefined();
  });

  it('lets the last parseable entry win and skips garbage, like securityContextForBuild', () => {
    const env = [...privileged('false'), ...privileged('true'), ...privileged('garbage')];
    expect(readBuildPrivileged(env)).toEqual({ value: true, unparseable: ['garbage'] });
  });

  it('treats a valueFrom entry as the empty string Go sees', () => {
    const env: EnvVar[] = [{ name: 'BUILD_PRIVILEGED', valueFrom: { configMapKeyRef: {} } }];
    expect(readBuildPrivileged(env)).toEqual({ value: undefined, unparseable: [''] });
  });
});

const STRATEGY_FIXTURES: BuildPodFixture[] = [
  'docker-privileged',
  'docker-extract',
  'source',
  'source-extract',
  'custom',
];

interface PrecedenceCase {
  name: string;
  spec: BuildPolicySpec | undefined;
  namespace?: string;
  env: EnvVar[];
  userNamespaces: boolean;
  source: DecisionSource;
  reason: RegExp;
}

const enabled: BuildPolicySpec = { userNamespaces: { default: 'Enabled' } };
const disabled: BuildPolicySpec = { userNamespaces: { default: 'Disabled' } };

const PRECEDENCE: PrecedenceCase[] = [
  {
    name: 'exempt namespace beats the default',
    spec: { userNamespaces: { default: 'Enabled', exemptNamespaces: ['myapp'] } },
    env: [],
    userNamespaces: false,
    source: 'Exempt',
    reason: /"myapp" is exempt/,
  },
  {
    name: 'exempt namespace beats the override, reporting what OpenShift does',
    spec: { userNamespaces: { override: 'Required', exemptNamespaces: ['myapp'] } },
    env: privileged('false'),
    userNamespaces: true,
    source: 'Exempt',
    reason: /exempt/,
  },
  {
    name: 'openshift-* is never touched',
    spec: { userNamespaces: { override: 'Required' } },
    namespace: 'openshift-builds',
    env: [],
    userNamespaces: false,
    source: 'Exempt',
    reason: /belongs to the platform/,
  },
  {
    name: 'kube-* is never touched',
    spec: enabled,
    namespace: 'kube-system',
    env: [],
    userNamespaces: false,
    source: 'Exempt',
    reason: /belongs to the platform/,
  },
  {
    name: 'override beats BUILD_PRIVILEGED=true',
    spec: { userNamespaces: { default: 'Disabled', override: 'Required' } },
    env: privileged('true'),
    userNamespaces: true,
    source: 'Override',
    reason: /requires user namespaces/,
  },
  {
    name: 'BUILD_PRIVILEGED=false beats the Disabled default',
    spec: disabled,
    env: privileged('false'),
    userNamespaces: true,
    source: 'Build',
    reason: /BUILD_PRIVILEGED=false/,
  },
  {
    name: 'BUILD_PRIVILEGED=1 beats the Enabled default',
    spec: enabled,
    env: privileged('1'),
    userNamespaces: false,
    source: 'Build',
    reason: /BUILD_PRIVILEGED=true/,
  },
  {
    name: 'Enabled default when the build does not choose',
    spec: enabled,
    env: [],
    userNamespaces: true,
    source: 'Default',
    reason: /default is user namespaces/,
  },
  {
    name: 'Disabled default when the build does not choose',
    spec: disabled,
    env: [],
    userNamespaces: false,
    source: 'Default',
    reason: /default is privileged/,
  },
  {
    name: 'an unparseable BUILD_PRIVILEGED counts as unset',
    spec: enabled,
    env: privileged('nope'),
    userNamespaces: true,
    source: 'Default',
    reason: /default is user namespaces/,
  },
  {
    name: 'no policy: BUILD_PRIVILEGED=false is what OpenShift honours',
    spec: undefined,
    env: privileged('false'),
    userNamespaces: true,
    source: 'NoPolicy',
    reason: /No BuildPolicy/,
  },
  {
    name: 'no policy: privileged by default',
    spec: undefined,
    env: [],
    userNamespaces: false,
    source: 'NoPolicy',
    reason: /No BuildPolicy/,
  },
];

describe.each(STRATEGY_FIXTURES)('decide for a %s build pod', (fixture) => {
  it.each(PRECEDENCE)('$name', (c) => {
    const pod = withStrategyEnv(loadPod(fixture), c.env);
    const decision = decide({
      policy: c.spec && effectivePolicy(c.spec),
      namespace: c.namespace ?? 'myapp',
      pod,
    });
    expect(decision.userNamespaces).toBe(c.userNamespaces);
    expect(decision.source).toBe(c.source);
    expect(decision.reasons[0]).toMatch(c.reason);
  });

  it('says it is not a build pod when the build label is missing, even with a policy', () => {
    const pod = loadPod(fixture);
    delete pod.metadata.labels?.[BUILD_NAME_LABEL];
    const decision = decide({ policy: effectivePolicy(enabled), namespace: 'myapp', pod });
    expect(decision).toMatchObject({ userNamespaces: false, source: 'NotBuildPod' });
    expect(decision.reasons[0]).toContain(BUILD_NAME_LABEL);
  });
});

describe('decide', () => {
  it('does not treat an ordinary pod as a build pod', () => {
    const decision = decide({
      policy: effectivePolicy({ userNamespaces: { override: 'Required' } }),
      namespace: 'myapp',
      pod: loadPod('not-build-pod'),
    });
    expect(decision).toMatchObject({ userNamespaces: false, source: 'NotBuildPod' });
  });

  it('needs a build container, not only the label', () => {
    const pod = loadPod('docker-privileged');
    pod.spec.containers[0]!.name = 'sidecar';
    expect(decide({ policy: undefined, namespace: 'myapp', pod }).source).toBe('NotBuildPod');
  });

  it('names the unparseable value in its reasons', () => {
    const pod = withStrategyEnv(loadPod('source'), privileged('maybe'));
    const decision = decide({ policy: effectivePolicy(disabled), namespace: 'myapp', pod });
    expect(decision.reasons.join(' ')).toContain('"maybe"');
  });

  it('prefers the Build it is given over the one in the pod', () => {
    const pod = withStrategyEnv(loadPod('docker-privileged'), privileged('true'));
    const build = {
      spec: { strategy: { type: 'Docker' as const, dockerStrategy: { env: privileged('false') } } },
    };
    const decision = decide({ policy: effectivePolicy(disabled), namespace: 'myapp', build, pod });
    expect(decision).toMatchObject({ userNamespaces: true, source: 'Build' });
  });

  it('previews a BuildConfig without any pod', () => {
    const build = {
      spec: { strategy: { type: 'Source' as const, sourceStrategy: { env: privileged('0') } } },
    };
    expect(decide({ policy: effectivePolicy(disabled), namespace: 'dev', build })).toMatchObject({
      userNamespaces: true,
      source: 'Build',
    });
  });

  it('ignores BUILD_PRIVILEGED in the container env: only the Build counts (DESIGN §2)', () => {
    const pod = loadPod('docker-privileged');
    pod.spec.containers[0]!.env!.push({ name: 'BUILD_PRIVILEGED', value: 'false' });
    const decision = decide({ policy: effectivePolicy(disabled), namespace: 'myapp', pod });
    expect(decision).toMatchObject({ userNamespaces: false, source: 'Default' });
  });

  it('falls back to the default, saying why, when the BUILD env var is garbage', () => {
    const pod = loadPod('custom');
    for (const env of pod.spec.containers[0]!.env!)
      if (env.name === 'BUILD') env.value = '{not json';
    const decision = decide({ policy: effectivePolicy(enabled), namespace: 'myapp', pod });
    expect(decision).toMatchObject({ userNamespaces: true, source: 'Default' });
    expect(decision.reasons.join(' ')).toMatch(/could not be read/);
  });

  it("falls back to the pod's namespace when the request has none", () => {
    const pod = loadPod('docker-privileged');
    pod.metadata.namespace = 'kube-public';
    expect(decide({ policy: effectivePolicy(enabled), namespace: '', pod }).source).toBe('Exempt');
  });
});
