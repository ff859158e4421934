// The enforcement policies' CEL must say what core/enforcement.ts says. Every pod here goes through
// both: the manifests as they are in this folder, evaluated by the emulator's
// ValidatingAdmissionPolicy evaluator (the CEL interpreter the CRD tests use), and core's
// enforcementFinding — as the webhook leaves the pod (planPodMutation applied), and as it arrives
// when the webhook is down.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import {
  BUILD_NAME_LABEL,
  CRIO_USERNS_ANNOTATION,
  effectivePolicy,
  ENFORCEMENT_POLICY_NAME,
  ENFORCEMENT_RULES,
  ENFORCEMENT_WARN_POLICY_NAME,
  enforcementFinding,
  planPodMutation,
  POLICY_GROUP,
  POLICY_KIND,
  POLICY_NAME,
  POLICY_VERSION,
  usernsModeHazard,
  type BuildPolicySpec,
  type EnforcementFinding,
  type Pod,
} from '@userns-builds/core';
import { annotationValue, planInput } from '../../core/testing/arbitraries';
import {
  applyOperations,
  BUILD_POD_FIXTURES,
  loadPod,
  type PodFixture,
} from '../../core/testing/fixtures';
import { evaluatePolicies, type PolicyOutcome } from '../../dev/cluster/policies';
import { Registry } from '../../dev/cluster/registry';
import type { KubeObject, ResourceDef } from '../../dev/cluster/types';
import { loadYaml } from '../crd/openapi';

const DIR = __dirname;
const ROOT = join(DIR, '..', '..');

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

function loadDocs(): Doc[] {
  return parseAllDocuments(readFileSync(join(DIR, 'enforcement.yaml'), 'utf8'))
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null);
}

const docs = loadDocs();
const policies = docs.filter((d) => d.kind === 'ValidatingAdmissionPolicy');
const bindings = docs.filter((d) => d.kind === 'ValidatingAdmissionPolicyBinding');
const REQUIRED = ENFORCEMENT_POLICY_NAME;
const DEFAULT = ENFORCEMENT_WARN_POLICY_NAME;
const byName = (list: Doc[], name: string): Doc => {
  const found = list.find((d) => d.metadata.name === name);
  if (!found) throw new Error(`enforcement.yaml has no ${name}`);
  return found;
};

const PODS: ResourceDef = new Registry().find('', 'v1', 'pods')!;
const BUILD_POLICIES: ResourceDef = {
  group: POLICY_GROUP,
  version: POLICY_VERSION,
  resource: 'buildpolicies',
  kind: POLICY_KIND,
  singular: 'buildpolicy',
  namespaced: false,
  verbs: ['get'],
};
const BUILD_CONTROLLER = {
  username: 'system:serviceaccount:openshift-infra:build-controller',
  uid: 'u',
  groups: ['system:serviceaccounts'],
};

/** The API server's view of a pod: typed decoding drops null fields. */
function decoded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v === null ? undefined : v))) as T;
}

/** The policies' verdict on a pod creation, under a BuildPolicy spec (null: none exists). */
function celOutcome(pod: Pod, namespace: string, spec: BuildPolicySpec | null): PolicyOutcome {
  const param = spec && {
    apiVersion: `${POLICY_GROUP}/${POLICY_VERSION}`,
    kind: POLICY_KIND,
    metadata: { name: POLICY_NAME },
    spec,
  };
  return evaluatePolicies(
    {
      def: PODS,
      operation: 'CREATE',
      namespace,
      name: pod.metadata.name ?? 'p',
      object: pod as unknown as KubeObject,
      user: BUILD_CONTROLLER,
      dryRun: false,
    },
    {
      policies: policies as unknown as KubeObject[],
      bindings: bindings as unknown as KubeObject[],
      namespaceObject: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace, labels: { 'kubernetes.io/metadata.name': namespace } },
      },
      paramResource: (apiVersion, kind) =>
        apiVersion === `${POLICY_GROUP}/${POLICY_VERSION}` && kind === POLICY_KIND
          ? BUILD_POLICIES
          : undefined,
      listParams: () => (param ? [param as unknown as KubeObject] : []),
    },
  );
}

/** The CEL outcome in core's terms: what the first failed validation of the bound policy says. */
function celFinding(outcome: PolicyOutcome): Omit<EnforcementFinding, 'reason'> | undefined {
  const problems = [
    ...(outcome.denied ? [{ ...outcome.denied, action: 'Deny' as const }] : []),
    ...outcome.audit
      .filter((d) => d.binding === DEFAULT)
      .map((d) => ({ ...d, action: 'Warn' as const })),
  ];
  const first = problems[0];
  if (!first) return undefined;
  if (first.validation === undefined) throw new Error(`CEL failed to evaluate: ${first.message}`);
  return { action: first.action, rule: ENFORCEMENT_RULES[first.validation]! };
}

function coreFinding(pod: Pod, namespace: string, spec: BuildPolicySpec | null) {
  const finding = enforcementFinding({
    policy: spec ? effectivePolicy(spec) : undefined,
    namespace,
    pod,
  });
  return finding && { action: finding.action, rule: finding.rule };
}

function expectAgreement(raw: Pod, namespace: string, spec: BuildPolicySpec | null) {
  const pod = decoded(raw);
  const outcome = celOutcome(pod, namespace, spec);
  const core = coreFinding(pod, namespace, spec);
  expect({ namespace, spec, pod: pod.metadata, cel: celFinding(outcome) }).toEqual({
    namespace,
    spec,
    pod: pod.metadata,
    cel: core,
  });
  // Warn and Deny never come from the same policy: Required is not Enabled-without-Required.
  if (outcome.denied) expect(outcome.warnings).toEqual([]);
  return { outcome, core };
}

/** Every policy shape: default × override × mode × the namespace exempt or not, and no policy. */
function policyShapes(namespace: string): (BuildPolicySpec | null)[] {
  const shapes: (BuildPolicySpec | null)[] = [null];
  for (const def of ['Enabled', 'Disabled'] as const)
    for (const override of ['Required', 'None'] as const)
      for (const mode of ['CRIOAnnotation', 'HostUsers', 'Both'] as const)
        for (const exempt of [[], [namespace]])
          shapes.push({
            userNamespaces: { default: def, override, mode, exemptNamespaces: exempt },
          });
  // The CRD fills these defaults in on a real server; the CEL must cope when they are missing.
  shapes.push({}, { userNamespaces: { override: 'Required' } });
  return shapes;
}

function backendFixturePods(): { name: string; pod: Pod; namespace: string }[] {
  const dir = join(ROOT, 'backend', 'fixtures');
  return readdirSync(dir)
    .filter((f) => f.startsWith('review-') && f.endsWith('.json'))
    .map((f) => {
      const review = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
        request: { namespace: string; object: Pod };
      };
      return { name: f, pod: review.request.object, namespace: review.request.namespace };
    });
}

describe('the manifests', () => {
  test('two policies, each with one binding of the same name, params from the BuildPolicy', () => {
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([DEFAULT, REQUIRED]);
    for (const p of policies) {
      expect(p.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(p.spec.paramKind).toEqual({
        apiVersion: `${POLICY_GROUP}/${POLICY_VERSION}`,
        kind: POLICY_KIND,
      });
      const b = byName(bindings, p.metadata.name);
      expect(b.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(b.spec.policyName).toBe(p.metadata.name);
      expect(b.spec.paramRef).toEqual({ name: POLICY_NAME, parameterNotFoundAction: 'Allow' });
      expect(b.spec.matchResources).toBeUndefined();
    }
    expect(byName(bindings, REQUIRED).spec.validationActions).toEqual(['Deny']);
    expect(byName(bindings, DEFAULT).spec.validationActions).toEqual(['Warn', 'Audit']);
    // Required must hold when the CEL cannot run; a warning is not worth blocking a build for.
    expect(byName(policies, REQUIRED).spec.failurePolicy).toBe('Fail');
    expect(byName(policies, DEFAULT).spec.failurePolicy).toBe('Ignore');
  });

  test('they select the build pods the webhook selects', () => {
    const mwc = loadYaml(join(ROOT, 'deploy', 'webhook', 'mutatingwebhookconfiguration.yaml')) as {
      webhooks: Record<string, unknown>[];
    };
    const hook = mwc.webhooks[0]!;
    for (const p of policies) {
      const m = p.spec.matchConstraints as Record<string, unknown>;
      expect(m.resourceRules).toEqual(hook.rules);
      expect(m.objectSelector).toEqual(hook.objectSelector);
      expect(m.namespaceSelector).toEqual(hook.namespaceSelector);
      expect(m.matchPolicy).toBe(hook.matchPolicy);
      expect(p.spec.matchConditions).toEqual(expect.arrayContaining(hook.matchConditions as []));
    }
  });

  test('both policies check the same things, in core’s order, each refusal with reason Forbidden', () => {
    const [required, warn] = [byName(policies, REQUIRED), byName(policies, DEFAULT)];
    type V = { expression: string; reason: string; messageExpression: string }[];
    const expressions = (p: Doc) => (p.spec.validations as V).map((v) => v.expression);
    expect(expressions(warn)).toEqual(expressions(required));
    expect((required.spec.validations as V).map((v) => v.reason)).toEqual(
      ENFORCEMENT_RULES.map(() => 'Forbidden'),
    );
    const names = (p: Doc) => (p.spec.variables as { name: string }[]).map((v) => v.name);
    expect(names(warn)).toEqual(names(required));
  });

  test('the userns-mode grammar is the CRD’s, character for character', () => {
    const crd = readFileSync(join(ROOT, 'deploy', 'crd', 'buildpolicy.yaml'), 'utf8');
    const grammar = /matches\('(\^auto[^']*)'\)/.exec(crd)?.[1];
    expect(grammar).toBeDefined();
    const policy = JSON.stringify(byName(policies, REQUIRED).spec.validations);
    expect(policy).toContain(`matches('${grammar!}')`);
  });
});

describe('the refusal', () => {
  test('names the namespace, the reason and both ways out, as a 403-worthy Forbidden', () => {
    const pod = loadPod('docker-privileged');
    const { outcome } = expectAgreement(pod, 'myapp', {
      userNamespaces: { override: 'Required' },
    });
    expect(outcome.denied).toMatchObject({
      policy: REQUIRED,
      binding: REQUIRED,
      reason: 'Forbidden',
    });
    const message = outcome.denied!.message;
    expect(message).toContain('namespace myapp');
    expect(message).toContain('container docker-build is privileged');
    expect(message).toMatch(/Start the userns-builds backend/);
    expect(message).toMatch(/exempt the namespace in spec\.userNamespaces\.exemptNamespaces/);
  });

  test('default Enabled warns the creator and records an audit entry, never denies', () => {
    const { outcome } = expectAgreement(loadPod('docker-privileged'), 'myapp', {
      userNamespaces: { default: 'Enabled' },
    });
    expect(outcome.denied).toBeUndefined();
    // One warning per failed validation, as the API server sends them.
    expect(outcome.warnings).toHaveLength(2);
    expect(outcome.warnings[0]).toMatch(
      /^Validation failed for ValidatingAdmissionPolicy 'userns-builds-default' with binding 'userns-builds-default': Build pod in namespace myapp runs without a user namespace: container docker-build is privileged/,
    );
    expect(outcome.warnings[1]).toMatch(/lacks the io\.kubernetes\.cri-o\.userns-mode annotation/);
    expect(outcome.audit.map((d) => d.validation)).toEqual([0, 1]);
  });

  test('the backend’s own namespace is never matched, whatever the pod', () => {
    const outcome = celOutcome(decoded(loadPod('docker-privileged')), 'userns-builds', {
      userNamespaces: { override: 'Required' },
    });
    expect(outcome).toEqual({ warnings: [], audit: [] });
  });
});

describe('CEL and core agree', () => {
  const fixtures: PodFixture[] = [...BUILD_POD_FIXTURES, 'not-build-pod'];

  test.each(fixtures)('core fixture %s, every policy shape, webhook down and up', (name) => {
    for (const namespace of ['myapp', 'openshift-builds', 'kube-system']) {
      for (const spec of policyShapes(namespace)) {
        const pod = loadPod(name);
        expectAgreement(pod, namespace, spec);
        const policy = spec ? effectivePolicy(spec) : undefined;
        const plan = planPodMutation({ policy, pod, namespace });
        const mutated = applyOperations(pod, plan.operations);
        const { core } = expectAgreement(mutated, namespace, spec);
        // The webhook's output passes, except where the plan itself says it could not convert.
        if (!plan.blocked) expect(core?.action).not.toBe('Deny');
      }
    }
  });

  test.each(backendFixturePods().map((f) => [f.name, f] as const))(
    'backend fixture %s, every policy shape, webhook down and up',
    (_name, { pod, namespace }) => {
      for (const spec of policyShapes(namespace)) {
        expectAgreement(pod, namespace, spec);
        const policy = spec ? effectivePolicy(spec) : undefined;
        const plan = planPodMutation({ policy, pod: structuredClone(pod), namespace });
        expectAgreement(applyOperations(pod, plan.operations), namespace, spec);
      }
    },
  );

  // fast-check's pods: fixtures varied at random (annotations, labels, null contexts, host
  // namespaces, hostUsers), with userns-mode values aimed at the grammar's edges.
  const usernsMode = fc.oneof(
    annotationValue,
    fc.constantFrom(
      'auto:size=0',
      'auto:size=4294967295',
      'auto:size=4294967296',
      'auto:size=00000000001',
      'auto:uidmapping=0:1:0',
      'auto:uidmapping=1:00:5',
      'auto:uidmapping=+u1:@0:1',
      'auto:uidmapping=1:4294967295:1,2:0',
      'auto:gidmapping=1:2:3;uidmapping=5:100000:65536',
      'auto:map-to-root=yes',
      'auto:',
      'auto;size=5',
    ),
    fc
      .tuple(
        fc.constantFrom('uid', 'gid'),
        fc.stringMatching(/^[+]?[ug]{0,2}\d{1,11}:@?\d{1,11}(:\d{1,11})?$/),
      )
      .map(([k, m]) => `auto:${k}mapping=${m}`),
  );
  const input = fc.record({
    plan: planInput,
    usernsMode: fc.option(usernsMode, { nil: undefined }),
    shape: fc.nat(),
  });

  test('a few thousand generated pods, under every policy shape, webhook down and up', () => {
    let denied = 0;
    let warned = 0;
    fc.assert(
      fc.property(input, ({ plan: p, usernsMode: mode, shape }) => {
        const pod = p.pod;
        if (mode !== undefined)
          pod.metadata.annotations = {
            ...pod.metadata.annotations,
            [CRIO_USERNS_ANNOTATION]: mode,
          };
        const shapes = policyShapes(p.namespace);
        // Each pod meets two shapes: across the run, every shape meets a hundred-odd pods.
        for (const spec of [0, 1].map((i) => shapes[(shape + i * 13) % shapes.length]!)) {
          const down = expectAgreement(pod, p.namespace, spec);
          if (down.core?.action === 'Deny') denied++;
          if (down.core?.action === 'Warn') warned++;
          const policy = spec ? effectivePolicy(spec) : undefined;
          const plan = planPodMutation({ ...p, policy, pod: structuredClone(pod) });
          const mutated = applyOperations(pod, plan.operations);
          const up = expectAgreement(mutated, p.namespace, spec);
          if (up.core?.action !== 'Deny' || plan.blocked) continue;
          // The one way a converted pod is still refused: a userns-mode onto host root or not
          // CRI-O's syntax that the plan left in place (the pod's own, or the policy's override).
          const left = mutated.metadata.annotations?.[CRIO_USERNS_ANNOTATION];
          expect(up.core.rule).toBe('UnsafeUsernsMode');
          expect(left !== undefined && usernsModeHazard(left) !== undefined).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
    // The generator must reach both actions, or the agreement above proves little.
    expect(denied).toBeGreaterThan(100);
    expect(warned).toBeGreaterThan(100);
  });

  test('a pod without the build label is never matched, even one a generator made', () => {
    const pod = loadPod('docker-privileged');
    delete pod.metadata.labels?.[BUILD_NAME_LABEL];
    const outcome = celOutcome(pod, 'myapp', { userNamespaces: { override: 'Required' } });
    expect(outcome).toEqual({ warnings: [], audit: [] });
  });
});
