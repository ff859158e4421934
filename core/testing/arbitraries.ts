// fast-check generators for policies and build pods, built from the fixtures so every generated
// pod is a plausible variation of something OpenShift really creates.
import fc from 'fast-check';
import {
  BUILD_NAME_LABEL,
  CRIO_BUILDER_ANNOTATION,
  CRIO_DEVICES_ANNOTATION,
  CRIO_USERNS_ANNOTATION,
  DECISION_ANNOTATION,
  DECISION_SOURCE_ANNOTATION,
} from '../constants';
import type { PlanInput } from '../plan';
import { effectivePolicy } from '../policy';
import type { BuildPolicySpec, EnvVar, StringMap } from '../types';
import { BUILD_POD_FIXTURES, loadPod, withStrategyEnv, type PodFixture } from './fixtures';

const NAMESPACES = ['myapp', 'team-b', 'openshift-builds', 'kube-system'];

/** Keys a pod may meet: the ones that matter, and odd ones that need JSON Pointer escaping. */
export const annotationKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    CRIO_USERNS_ANNOTATION,
    CRIO_DEVICES_ANNOTATION,
    CRIO_BUILDER_ANNOTATION,
    DECISION_ANNOTATION,
    DECISION_SOURCE_ANNOTATION,
    'openshift.io/build.name',
    'team.example.com/cost-centre',
  ),
  fc.string({
    unit: fc.constantFrom('a', 'z', '/', '~', '.', '-', '0', '1'),
    minLength: 1,
    maxLength: 12,
  }),
);

export const annotationValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    'auto',
    'auto:size=65536',
    'auto:size=131072;map-to-root=true',
    'auto:uidmapping=0:0:65536',
    'auto:gidmapping=0:0:1',
    'auto:uidmapping=0:1:65536',
    'auto:uidmapping=0:100000:65536',
    'keep-id',
    'host',
    '/dev/fuse',
    '/dev/fuse:rwm',
    '/dev/kvm:rwm',
    '/dev/kmem:rwm,/dev/mem:rwm',
    'true',
  ),
  fc.string({ maxLength: 20 }),
);

export const annotations: fc.Arbitrary<StringMap> = fc.dictionary(annotationKey, annotationValue, {
  maxKeys: 5,
});

export const policySpec: fc.Arbitrary<BuildPolicySpec> = fc.record(
  {
    userNamespaces: fc.record(
      {
        default: fc.constantFrom('Enabled', 'Disabled'),
        override: fc.constantFrom('Required', 'None'),
        mode: fc.constantFrom('CRIOAnnotation', 'HostUsers', 'Both'),
        exemptNamespaces: fc.subarray(NAMESPACES),
      },
      { requiredKeys: [] },
    ),
    buildDefaults: fc.record({ annotations }),
    buildOverrides: fc.record({ annotations }),
    passthroughAnnotations: fc.uniqueArray(annotationKey, { maxLength: 5 }),
    runtimeEvidence: fc.constantFrom('Enabled', 'Disabled'),
  },
  { requiredKeys: [] },
);

const rarely = fc.integer({ min: 0, max: 9 }).map((n) => n === 0);

const privilegedEnv: fc.Arbitrary<EnvVar[]> = fc.oneof(
  fc.constant<EnvVar[]>([]),
  fc
    .array(fc.constantFrom('true', 'false', '1', '0', 'False', '2', 'yes', ''), {
      minLength: 1,
      maxLength: 3,
    })
    .map((values) => values.map((value) => ({ name: 'BUILD_PRIVILEGED', value }))),
);

/** A whole plan input: a fixture pod varied at random, a policy (or none), and Build metadata. */
export const planInput: fc.Arbitrary<PlanInput> = fc
  .record({
    fixture: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom<PodFixture>(...BUILD_POD_FIXTURES) },
      { weight: 1, arbitrary: fc.constant<PodFixture>('not-build-pod') },
    ),
    spec: fc.option(policySpec, { nil: undefined }),
    // Weighted so most runs reach the interesting paths, yet every exit is still visited.
    namespace: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('myapp', 'team-b') },
      { weight: 1, arbitrary: fc.constantFrom(...NAMESPACES) },
    ),
    env: privilegedEnv,
    podAnnotations: fc.option(annotations, { nil: undefined }),
    dropLabel: rarely,
    nullContexts: fc.boolean(),
    hostNamespaces: fc.oneof(
      { weight: 4, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.subarray(['hostNetwork', 'hostPID', 'hostIPC'] as const) },
    ),
    hostUsers: fc.constantFrom(undefined, true, false),
    buildMeta: fc.option(fc.record({ annotations }), { nil: undefined }),
    buildConfigMeta: fc.option(fc.record({ annotations }), { nil: undefined }),
  })
  .map((r) => {
    const pod = loadPod(r.fixture);
    if (r.fixture !== 'not-build-pod') withStrategyEnv(pod, r.env);
    if (r.podAnnotations === undefined) delete pod.metadata.annotations;
    else pod.metadata.annotations = { ...pod.metadata.annotations, ...r.podAnnotations };
    if (r.dropLabel) delete pod.metadata.labels?.[BUILD_NAME_LABEL];
    if (r.nullContexts) {
      for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])])
        c.securityContext = null;
    }
    for (const field of r.hostNamespaces) pod.spec[field] = true;
    if (r.hostUsers !== undefined) pod.spec.hostUsers = r.hostUsers;
    return {
      policy: r.spec && effectivePolicy(r.spec),
      pod,
      namespace: r.namespace,
      buildMeta: r.buildMeta,
      buildConfigMeta: r.buildConfigMeta,
    };
  });
