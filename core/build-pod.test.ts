import { buildFromPod, notABuildPodReason, untrustedCreatorReason } from './build-pod';
import { BUILD_CONTROLLER_USER } from './constants';
import { buildOf, loadPod, type BuildPodFixture } from './testing/fixtures';
import type { Pod } from './types';

const setBuildEnv = (pod: Pod, value: string | undefined) => {
  for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
    c.env = (c.env ?? []).map((e) => (e.name === 'BUILD' ? { name: 'BUILD', value } : e));
  }
  return pod;
};

describe('buildFromPod', () => {
  it.each<[BuildPodFixture, string]>([
    ['docker-privileged', 'Docker'],
    ['source-extract', 'Source'],
    ['custom', 'Custom'],
  ])('decodes the Build a %s pod carries', (fixture, type) => {
    const build = buildFromPod(loadPod(fixture));
    expect(build?.spec.strategy.type).toBe(type);
    expect(build?.metadata.name).toBe(
      loadPod(fixture).metadata.labels?.['openshift.io/build.name'],
    );
  });

  it.each([
    '{not json',
    '"a string"',
    '[]',
    'null',
    '{"spec":{}}',
    '{"spec":{"strategy":"Docker"}}',
  ])('tolerates a BUILD value of %j', (value) => {
    expect(buildFromPod(setBuildEnv(loadPod('docker-privileged'), value))).toBeUndefined();
  });

  it('tolerates a BUILD env var set through valueFrom', () => {
    expect(buildFromPod(setBuildEnv(loadPod('source'), undefined))).toBeUndefined();
  });

  it('falls back to an init container when the build container lost its copy', () => {
    const pod = loadPod('docker-extract');
    const expected = buildOf(pod);
    pod.spec.containers[0]!.env = [];
    expect(buildFromPod(pod)).toEqual(expected);
  });

  it('tolerates a pod with no usable spec', () => {
    expect(buildFromPod({ metadata: {}, spec: {} } as unknown as Pod)).toBeUndefined();
    expect(
      buildFromPod({ metadata: {}, spec: { containers: 'x' } } as unknown as Pod),
    ).toBeUndefined();
  });
});

describe('notABuildPodReason', () => {
  it('accepts every build pod fixture', () => {
    expect(notABuildPodReason(loadPod('custom'))).toBeUndefined();
  });

  it('names what is missing', () => {
    expect(notABuildPodReason(loadPod('not-build-pod'))).toMatch(/openshift.io\/build.name label/);
    const pod = loadPod('source');
    pod.spec.containers = [];
    expect(notABuildPodReason(pod)).toMatch(/no build container/);
  });
});

describe('untrustedCreatorReason', () => {
  const trusted = [BUILD_CONTROLLER_USER];

  it('trusts the build controller', () => {
    expect(untrustedCreatorReason({ username: BUILD_CONTROLLER_USER }, trusted)).toBeUndefined();
  });

  it.each<[string, unknown, RegExp]>([
    [
      'another user',
      { username: 'developer' },
      /created by "developer", not by the build controller/,
    ],
    ['a look-alike', { username: `${BUILD_CONTROLLER_USER} ` }, /not by the build controller/],
    ['a group, not a user', { username: 'x', groups: [BUILD_CONTROLLER_USER] }, /"x"/],
    ['no username', {}, /an unnamed user/],
    ['no userInfo', undefined, /an unnamed user/],
    ['a username that is not a string', { username: 7 }, /an unnamed user/],
  ])('refuses %s', (_name, userInfo, why) => {
    expect(untrustedCreatorReason(userInfo, trusted)).toMatch(why);
  });

  it('trusts exactly the configured list', () => {
    expect(untrustedCreatorReason({ username: 'ci-bot' }, ['ci-bot'])).toBeUndefined();
    expect(untrustedCreatorReason({ username: BUILD_CONTROLLER_USER }, ['ci-bot'])).toBeDefined();
    expect(untrustedCreatorReason({ username: BUILD_CONTROLLER_USER }, [])).toBeDefined();
  });
});
