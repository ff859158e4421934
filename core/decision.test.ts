import { decide, parseBuildPrivileged, readBuildPrivileged } from './decision';
import { effectivePolicy } from './policy';
import { BUILD_NAME_LABEL } from './constants';
import {
  loadPod,
  loadPrecedenceCases,
  STRATEGY_FIXTURES,
  withStrategyEnv,
} from './testing/fixtures';
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

const enabled: BuildPolicySpec = { userNamespaces: { default: 'Enabled' } };
const disabled: BuildPolicySpec = { userNamespaces: { default: 'Disabled' } };

describe.each(STRATEGY_FIXTURES)('decide for a %s build pod', (fixture) => {
  it.each(loadPrecedenceCases())('$name', (c) => {
    const pod = withStrategyEnv(loadPod(fixture), c.env);
    const decision = decide({
      policy: c.spec === null ? undefined : effectivePolicy(c.spec),
      namespace: c.namespace ?? 'myapp',
      pod,
    });
    expect(decision.userNamespaces).toBe(c.userNamespaces);
    expect(decision.source).toBe(c.source);
    expect(decision.reasons[0]).toMatch(new RegExp(c.reason));
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

  it('ignores BUILD_PRIVILEGED in the container env: only the Build counts (docs/architecture.md#openshift-build-pods)', () => {
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

  it('survives a non-string namespace in an untrusted pod', () => {
    const pod = loadPod('docker-privileged');
    (pod.metadata as Record<string, unknown>).namespace = 42;
    const decision = decide({ policy: effectivePolicy(enabled), namespace: '', pod });
    expect(decision.source).toBe('Default');
    expect(decision.userNamespaces).toBe(true);
  });
});
