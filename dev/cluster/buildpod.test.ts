// The emulator's build pod against the pods OpenShift made in core/fixtures (docs/architecture.md#openshift-build-pods): same
// containers, security contexts, annotations, labels, owner, env names and volumes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_ENV, type Build, type Container, type Pod } from '@userns-builds/core';
import { buildPodFor, isPrivileged } from './buildpod';

const FIXTURES = [
  'docker-privileged',
  'docker-unprivileged',
  'source',
  'source-extract',
  'docker-extract',
  'custom',
];

function load(name: string): { pod: Pod; build: Build } {
  const pod = JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'core', 'fixtures', `${name}.json`), 'utf8'),
  ) as Pod;
  const encoded = pod.spec.containers[0]!.env!.find((e) => e.name === BUILD_ENV)!.value!;
  const build = JSON.parse(encoded) as Build;
  build.metadata.uid = pod.metadata.ownerReferences![0]!.uid;
  return { pod, build };
}

const shape = (c: Container) => ({
  name: c.name,
  securityContext: c.securityContext,
  mounts: ((c.volumeMounts as { name: string }[] | undefined) ?? []).map((m) => m.name),
});
const envNames = (pod: Pod) =>
  [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) =>
    (c.env ?? []).map((e) => e.name),
  );

describe.each(FIXTURES)('the %s build pod', (name) => {
  const { pod: real, build } = load(name);
  const pushSecret = (real.spec.imagePullSecrets as { name: string }[] | undefined)?.[0]?.name;
  const made = buildPodFor({ build, ...(pushSecret ? { pushSecret } : {}) });

  it('has the same metadata', () => {
    expect(made.metadata.name).toBe(real.metadata.name);
    expect(made.metadata.labels).toEqual(real.metadata.labels);
    expect(made.metadata.annotations).toEqual(real.metadata.annotations);
    expect(made.metadata.ownerReferences).toEqual(real.metadata.ownerReferences);
  });

  it('has the same containers, security contexts and mounts', () => {
    expect((made.spec.initContainers ?? []).map(shape)).toEqual(
      (real.spec.initContainers ?? []).map(shape),
    );
    expect(made.spec.containers.map(shape)).toEqual(real.spec.containers.map(shape));
  });

  // The emulator may add env the fixtures leave out (SOURCE_REF, whitelisted strategy env).
  it('sets at least the env the real pod has, in its order', () => {
    const made_ = envNames(made);
    envNames(real).forEach((names, i) => {
      expect(made_[i]!.filter((n) => names.includes(n))).toEqual(names);
    });
  });

  it('carries the Build in BUILD', () => {
    const encoded = JSON.parse(
      made.spec.containers[0]!.env!.find((e) => e.name === BUILD_ENV)!.value!,
    ) as Build;
    expect(encoded.spec).toEqual(build.spec);
    expect(encoded.metadata.name).toBe(build.metadata.name);
  });
});

describe('BUILD_PRIVILEGED', () => {
  const withValue = (value: string | undefined): Pick<Build, 'spec'> => ({
    spec: {
      strategy: {
        type: 'Docker',
        dockerStrategy: { env: value === undefined ? [] : [{ name: 'BUILD_PRIVILEGED', value }] },
      },
    },
  });

  it.each([
    [undefined, true],
    ['true', true],
    ['false', false],
    ['0', false],
    ['1', true],
    ['7', true],
    ['F', false],
    ['garbage', true],
  ])('%s means privileged=%s', (value, privileged) => {
    expect(isPrivileged(withValue(value))).toBe(privileged);
  });
});
