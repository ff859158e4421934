// The emulator's ValidatingAdmissionPolicy evaluation, rule by rule, on small policies written
// for the purpose (deploy/enforcement/ has its own tests and the cluster scenarios).
import type { AdmissionAttributes } from './admission-request';
import { startCluster, type Cluster } from './index';
import { evaluatePolicies, type PolicyEnvironment } from './policies';
import { call, type Json } from './test-helpers';
import type { KubeObject, ResourceDef } from './types';

const CONFIGMAPS: ResourceDef = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  singular: 'configmap',
  namespaced: true,
  verbs: ['create'],
};
const PARAMS: ResourceDef = { ...CONFIGMAPS, resource: 'limits', kind: 'Limit', group: 'x.dev' };

function attrs(object: Json, extra: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    def: CONFIGMAPS,
    operation: 'CREATE',
    namespace: 'ns1',
    name: object.metadata.name,
    object,
    user: { username: 'alice', uid: 'u', groups: [] },
    dryRun: false,
    ...extra,
  };
}

function policy(spec: Json, name = 'p'): KubeObject {
  return {
    metadata: { name },
    spec: {
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['configmaps'],
          },
        ],
      },
      ...spec,
    },
  };
}

function binding(spec: Json, name = 'b'): KubeObject {
  return { metadata: { name }, spec: { policyName: 'p', validationActions: ['Deny'], ...spec } };
}

function env(policies: KubeObject[], bindings: KubeObject[], params: KubeObject[] = []) {
  const e: PolicyEnvironment = {
    policies,
    bindings,
    namespaceObject: { metadata: { name: 'ns1', labels: { tier: 'gold' } } },
    paramResource: (apiVersion, kind) =>
      apiVersion === 'x.dev/v1' && kind === 'Limit' ? PARAMS : undefined,
    listParams: () => params,
  };
  return e;
}

const cm = (data: Record<string, string>, labels: Record<string, string> = {}) => ({
  metadata: { name: 'c', namespace: 'ns1', labels },
  data,
});

describe('evaluatePolicies', () => {
  const small = policy({
    validations: [{ expression: 'size(object.data) < 2', message: 'too big' }],
  });

  test('a failed validation under Deny refuses with its message; Warn and Audit do not', () => {
    const big = cm({ a: '1', b: '2' });
    expect(evaluatePolicies(attrs(big), env([small], [binding({})])).denied).toMatchObject({
      message: 'too big',
      reason: 'Invalid',
      validation: 0,
    });
    const warned = evaluatePolicies(
      attrs(big),
      env([small], [binding({ validationActions: ['Warn', 'Audit'] })]),
    );
    expect(warned.denied).toBeUndefined();
    expect(warned.warnings).toEqual([
      "Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': too big",
    ]);
    expect(warned.audit).toHaveLength(1);
    expect(evaluatePolicies(attrs(cm({ a: '1' })), env([small], [binding({})]))).toEqual({
      warnings: [],
      audit: [],
    });
  });

  test('messageExpression wins, and falls back to message when it fails', () => {
    const p = policy({
      validations: [
        {
          expression: 'false',
          message: 'static',
          messageExpression: "'in ' + namespaceObject.metadata.labels.tier",
        },
        { expression: 'false', message: 'static', messageExpression: 'object.nope.deeper' },
        { expression: 'false' },
      ],
    });
    const out = evaluatePolicies(
      attrs(cm({})),
      env([p], [binding({ validationActions: ['Warn'] })]),
    );
    expect(out.warnings.map((w) => w.split(': ').slice(1).join(': '))).toEqual([
      'in gold',
      'static',
      'failed expression: false',
    ]);
  });

  test('matchConditions that are false skip the policy; binding matchResources narrow it', () => {
    const p = policy({
      matchConditions: [{ name: 'only-x', expression: "object.metadata.name == 'x'" }],
      validations: [{ expression: 'false' }],
    });
    expect(evaluatePolicies(attrs(cm({})), env([p], [binding({})])).denied).toBeUndefined();
    const all = policy({ validations: [{ expression: 'false' }] });
    const narrowed = binding({ matchResources: { objectSelector: { matchLabels: { a: 'b' } } } });
    expect(evaluatePolicies(attrs(cm({})), env([all], [narrowed])).denied).toBeUndefined();
    expect(
      evaluatePolicies(attrs(cm({}, { a: 'b' })), env([all], [narrowed])).denied,
    ).toBeDefined();
  });

  test('params come from paramRef; a missing one follows parameterNotFoundAction', () => {
    const p = policy({
      paramKind: { apiVersion: 'x.dev/v1', kind: 'Limit' },
      validations: [{ expression: 'size(object.data) <= params.max', message: 'over the limit' }],
    });
    const limit = { metadata: { name: 'l', namespace: 'ns1' }, max: 1 };
    const ref = (action: string) =>
      binding({ paramRef: { name: 'l', parameterNotFoundAction: action } });
    const big = cm({ a: '1', b: '2' });
    expect(evaluatePolicies(attrs(big), env([p], [ref('Allow')], [limit])).denied?.message).toBe(
      'over the limit',
    );
    expect(evaluatePolicies(attrs(big), env([p], [ref('Allow')], [])).denied).toBeUndefined();
    expect(evaluatePolicies(attrs(big), env([p], [ref('Deny')], [])).denied?.message).toMatch(
      /no params found for policy binding with `Deny` parameterNotFoundAction/,
    );
    const unknownKind = policy({
      paramKind: { apiVersion: 'y.dev/v1', kind: 'Nope' },
      validations: [],
    });
    expect(
      evaluatePolicies(attrs(big), env([unknownKind], [ref('Allow')])).denied?.message,
    ).toMatch(/failed to find resource referenced by paramKind/);
  });

  test('a false matchCondition skips the policy even when another one fails', () => {
    const p = (first: string, second: string) =>
      policy({
        matchConditions: [
          { name: 'first', expression: first },
          { name: 'second', expression: second },
        ],
        validations: [{ expression: 'false', message: 'evaluated' }],
      });
    const failing = 'object.missing.field == 1';
    for (const [first, second] of [
      [failing, 'false'],
      ['false', failing],
    ] as const) {
      expect(
        evaluatePolicies(attrs(cm({})), env([p(first, second)], [binding({})])).denied,
      ).toBeUndefined();
    }
    expect(
      evaluatePolicies(attrs(cm({})), env([p('true', failing)], [binding({})])).denied?.message,
    ).toMatch(
      /^matchCondition 'second': expression 'object\.missing\.field == 1' resulted in error/,
    );
  });

  test('an expression that fails follows failurePolicy', () => {
    const broken = (failurePolicy: string) =>
      policy({ failurePolicy, validations: [{ expression: 'object.missing.field == 1' }] });
    expect(
      evaluatePolicies(attrs(cm({})), env([broken('Fail')], [binding({})])).denied?.message,
    ).toMatch(/resulted in error/);
    expect(
      evaluatePolicies(attrs(cm({})), env([broken('Ignore')], [binding({})])).denied,
    ).toBeUndefined();
  });

  test('variables feed validations; a binding without its policy does nothing', () => {
    const p = policy({
      variables: [{ name: 'n', expression: 'size(object.data)' }],
      validations: [
        { expression: 'variables.n == 0', messageExpression: "'has ' + string(variables.n)" },
      ],
    });
    expect(evaluatePolicies(attrs(cm({ a: '1' })), env([p], [binding({})])).denied?.message).toBe(
      'has 1',
    );
    expect(
      evaluatePolicies(attrs(cm({ a: '1' })), env([p], [binding({ policyName: 'other' })])).denied,
    ).toBeUndefined();
  });
});

describe('on the local cluster', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ port: 0, seed: false });
  });
  afterAll(() => cluster.stop());
  const base = '/apis/admissionregistration.k8s.io/v1';

  test('a policy whose CEL does not parse, or a binding with Deny and Warn, is refused', async () => {
    const bad = await call(cluster, `${base}/validatingadmissionpolicies`, {
      method: 'POST',
      body: policy({ validations: [{ expression: 'object.(' }] }),
    });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/spec\.validations\[0\]\.expression: Invalid value/);
    const both = await call(cluster, `${base}/validatingadmissionpolicybindings`, {
      method: 'POST',
      body: binding({ validationActions: ['Deny', 'Warn'] }),
    });
    expect(both.status).toBe(422);
    expect(both.body.message).toMatch(/must not contain both Deny and Warn/);
  });

  test('a stored policy applies to creates, dry runs included, with the reason’s status code', async () => {
    const p = policy({
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
        ],
      },
      validations: [
        { expression: "object.metadata.name != 'forbidden'", reason: 'Forbidden', message: 'no' },
      ],
    });
    expect(
      (await call(cluster, `${base}/validatingadmissionpolicies`, { method: 'POST', body: p }))
        .status,
    ).toBe(201);
    expect(
      (
        await call(cluster, `${base}/validatingadmissionpolicybindings`, {
          method: 'POST',
          body: binding({}),
        })
      ).status,
    ).toBe(201);
    const pod = {
      metadata: { name: 'forbidden' },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    };
    for (const q of ['', '?dryRun=All']) {
      const res = await call(cluster, `/api/v1/namespaces/default/pods${q}`, {
        method: 'POST',
        body: pod,
      });
      expect(res.status).toBe(403);
      expect(res.body.message).toBe(
        `pods "forbidden" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: no`,
      );
    }
    const fine = await call(cluster, '/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: { ...pod, metadata: { name: 'fine' } },
    });
    expect(fine.status).toBe(201);
  });
});
