// deploy/integrity/ on the local cluster, whose ValidatingAdmissionPolicy evaluation follows the
// API server's: the recorded annotations on Builds are the backend's alone, and only the build
// controller makes pods that CRI-O treats as builders. The names in the policies' CEL are checked
// against the manifests and the backend's configuration they must agree with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import {
  DECISION_SOURCE_ANNOTATION,
  EVIDENCE_ANNOTATION,
  OWN_PREFIX,
  RECORDED_FOR_ANNOTATION,
  VERDICT_ANNOTATION,
  recordedOnBuild,
  type Build,
} from '@userns-builds/core';
import { parseConfig } from '../../backend/config';
import type { AdmissionAttributes } from '../../dev/cluster/admission-request';
import { startCluster, type Cluster } from '../../dev/cluster/index';
import { evaluatePolicies } from '../../dev/cluster/policies';
import { call, createPolicies, fixture, type Json } from '../../dev/cluster/test-helpers';
import type { KubeObject, ResourceDef } from '../../dev/cluster/types';
import { until } from '../../testing/until';
import { DEPLOY, find, render, type Manifest } from '../testing/manifests';

const NS = 'team-a';
const BUILDS = `/apis/build.openshift.io/v1/namespaces/${NS}/builds`;
const PODS = `/api/v1/namespaces/${NS}/pods`;
const VERDICTS = 'userns-builds-verdicts';
const BUILDER = 'userns-builds-builder-annotation';
const BUILD_PODS = 'userns-builds-build-pods';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are free-form YAML
type Any = any;

const objects = parseAllDocuments(readFileSync(join(__dirname, 'integrity.yaml'), 'utf8'))
  .map((d) => d.toJS() as Manifest | null)
  .filter((m): m is Manifest => m !== null);
const policy = (name: string) => find(objects, 'ValidatingAdmissionPolicy', name) as Any;

/** Every CEL expression of a policy, as one string to look for names in. */
const celOf = (name: string): string =>
  JSON.stringify([policy(name).spec.matchConditions, policy(name).spec.validations]);

describe('the manifests', () => {
  test('three Deny policies, applied with the base install, with no parameter to wait for', async () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      [VERDICTS, BUILDER, BUILD_PODS]
        .flatMap((n) => [`ValidatingAdmissionPolicy/${n}`, `ValidatingAdmissionPolicyBinding/${n}`])
        .sort(),
    );
    for (const name of [VERDICTS, BUILDER, BUILD_PODS]) {
      expect(policy(name).spec.failurePolicy).toBe('Fail');
      expect(policy(name).spec.paramKind).toBeUndefined();
      expect((find(objects, 'ValidatingAdmissionPolicyBinding', name) as Any).spec).toEqual({
        policyName: name,
        validationActions: ['Deny'],
      });
    }
    const base = (await render(join(DEPLOY, 'base'))).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(base).toEqual(
      expect.arrayContaining(objects.map((o) => `${o.kind}/${o.metadata.name}`)),
    );
  }, 30_000);

  test('the recorder is the backend’s own service account, as the install names it', async () => {
    const install = await render(join(DEPLOY, 'base'));
    const sa = find(install, 'ServiceAccount');
    const deployment = find(install, 'Deployment') as Any;
    expect(deployment.spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
    const username = `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`;
    const cel = celOf(VERDICTS);
    expect(cel).toContain(`'${username}'`);
    // No other service account is named anywhere in the policy.
    expect([...new Set(cel.match(/system:serviceaccount:[\w:-]+/g))]).toEqual([username]);
  }, 30_000);

  test('every key the backend writes on a Build is under the protected prefix', () => {
    for (const key of [VERDICT_ANNOTATION, EVIDENCE_ANNOTATION, DECISION_SOURCE_ANNOTATION]) {
      expect(key.startsWith(OWN_PREFIX)).toBe(true);
    }
    expect(celOf(VERDICTS)).toContain(`k.startsWith('${OWN_PREFIX}')`);
  });

  test('the trusted creators are the backend’s --trusted-creators default', () => {
    const parsed = parseConfig(
      ['--tls-cert=/tls.crt', '--tls-key=/tls.key', '--kubeconfig=/kubeconfig'],
      {},
      { serviceAccountNamespace: () => 'userns-builds' },
    );
    if (parsed.help) throw new Error('parseConfig answered help');
    for (const name of [BUILDER, BUILD_PODS]) {
      const condition = (policy(name).spec.matchConditions as Any[]).find(
        (c) => c.name === 'not-a-trusted-creator',
      );
      const listed = /in \[([^\]]*)\]/.exec(condition.expression)![1]!;
      expect([name, listed.split(',').map((s) => s.trim().replace(/^'|'$/g, ''))]).toEqual([
        name,
        parsed.config.trustedCreators,
      ]);
    }
  });
});

describe('every request, evaluated as the API server would', () => {
  const def = (group: string, resource: string, kind: string): ResourceDef => ({
    group,
    version: 'v1',
    resource,
    kind,
    singular: kind.toLowerCase(),
    namespaced: true,
    verbs: ['create', 'update'],
  });
  const buildsDef = def('build.openshift.io', 'builds', 'Build');
  const env = {
    policies: objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy') as KubeObject[],
    bindings: objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding') as KubeObject[],
    namespaceObject: { metadata: { name: NS } },
    paramResource: () => undefined,
    listParams: () => [],
  };
  const request = (
    username: string,
    extra: Partial<AdmissionAttributes> & { object: KubeObject },
  ): AdmissionAttributes => ({
    def: buildsDef,
    operation: 'CREATE',
    namespace: NS,
    user: { username, uid: 'u', groups: ['system:authenticated'] },
    dryRun: false,
    ...extra,
  });
  test('for any annotations, operation and caller, the CEL refuses exactly what the rule says', () => {
    const BACKEND = 'system:serviceaccount:userns-builds:userns-builds-backend';
    const CONTROLLER = 'system:serviceaccount:openshift-infra:build-controller';
    const podsDef = def('', 'pods', 'Pod');
    const keys = [
      VERDICT_ANNOTATION,
      EVIDENCE_ANNOTATION,
      DECISION_SOURCE_ANNOTATION,
      'io.openshift.builder',
      'io.kubernetes.cri-o.userns-mode',
      'io.kubernetes.cri-o.Devices',
      'example.com/ticket',
      'userns.builds.dev.example/not-ours',
    ];
    const annotations = fc.option(
      fc.dictionary(fc.constantFrom(...keys), fc.constantFrom('', 'a', 'b')),
      { nil: undefined },
    );
    const meta = (a: Record<string, string> | undefined): KubeObject => ({
      metadata: { name: 'x', namespace: NS, ...(a ? { annotations: a } : {}) },
    });
    /** Keys matching `owned` that the request adds, changes or removes. */
    const changed = (
      owned: (k: string) => boolean,
      now: Record<string, string> = {},
      before: Record<string, string> | undefined,
    ): string[] =>
      [...new Set([...Object.keys(now), ...Object.keys(before ?? {})])].filter(
        (k) => owned(k) && (before === undefined ? k in now : now[k] !== before[k]),
      );
    fc.assert(
      fc.property(
        fc.constantFrom('builds', 'pods'),
        fc.constantFrom('CREATE', 'UPDATE'),
        fc.constantFrom(BACKEND, CONTROLLER, 'system:apiserver', 'developer'),
        annotations,
        annotations,
        (resource, operation, user, now, before) => {
          const old = operation === 'UPDATE' ? (before ?? {}) : undefined;
          const a = request(user, {
            def: resource === 'builds' ? buildsDef : podsDef,
            operation,
            object: meta(now),
            ...(old ? { oldObject: meta(before) } : {}),
          });
          const expected =
            resource === 'builds'
              ? user !== BACKEND &&
                !(operation === 'CREATE' && user === 'system:apiserver') &&
                changed((k) => k.startsWith(OWN_PREFIX), now, old && before).length > 0
                ? VERDICTS
                : undefined
              : user !== CONTROLLER &&
                  ('io.openshift.builder' in (now ?? {}) ||
                    'io.openshift.builder' in (old && before ? before : {})) &&
                  changed(
                    (k) => k === 'io.openshift.builder' || k.startsWith('io.kubernetes.cri-o.'),
                    now,
                    old && before,
                  ).length > 0
                ? BUILDER
                : undefined;
          expect(evaluatePolicies(a, env).denied?.policy).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('on the local cluster', () => {
  let cluster: Cluster;

  async function ok(res: Promise<{ status: number; body: Json }>): Promise<Json> {
    const r = await res;
    if (r.status >= 300) throw new Error(`${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
  const patch = (path: string, body: object, user: 'developer' | 'backend' | 'admin') =>
    call(cluster, path, {
      method: 'PATCH',
      user,
      body,
      headers: { 'content-type': 'application/merge-patch+json' },
    });
  const annotate = (name: string, annotations: object, user: 'developer' | 'backend') =>
    patch(`${BUILDS}/${name}`, { metadata: { annotations } }, user);
  const getBuild = async (name: string): Promise<Build> =>
    (await ok(call(cluster, `${BUILDS}/${name}`))) as Build;
  const build = (name: string, annotations: Record<string, string> = {}) => ({
    apiVersion: 'build.openshift.io/v1',
    kind: 'Build',
    metadata: { name, annotations },
    spec: {
      strategy: { type: 'Docker', dockerStrategy: {} },
      source: { type: 'Git', git: { uri: 'https://example.com/x.git' } },
    },
    status: { phase: 'New' },
  });

  /** A developer's BuildConfig from a fixture, and `oc start-build` of it: the Build's name. */
  async function startBuild(bcFixture: string, bc: string): Promise<string> {
    const path = `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs`;
    await ok(call(cluster, path, { method: 'POST', user: 'developer', body: fixture(bcFixture) }));
    const started = await ok(
      call(cluster, `${path}/${bc}/instantiate`, {
        method: 'POST',
        user: 'developer',
        body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name: bc } },
      }),
    );
    return started.metadata.name as string;
  }

  beforeAll(async () => {
    // Slow enough steps that a verdict can be written while the controller is still at work.
    cluster = await startCluster({ port: 0, seed: false, buildTimer: { stepMs: 300 } });
    await ok(
      call(cluster, '/api/v1/namespaces', { method: 'POST', body: { metadata: { name: NS } } }),
    );
    await createPolicies(cluster, objects);
  });
  afterAll(() => cluster?.stop());

  describe('the recorded annotations on Builds', () => {
    test('the backend’s service account adds, changes and removes them', async () => {
      await ok(call(cluster, BUILDS, { method: 'POST', user: 'developer', body: build('b1') }));
      await ok(
        annotate(
          'b1',
          { [VERDICT_ANNOTATION]: 'Requested', [EVIDENCE_ANNOTATION]: 'spec' },
          'backend',
        ),
      );
      await ok(annotate('b1', { [VERDICT_ANNOTATION]: 'UserNamespaced' }, 'backend'));
      await ok(annotate('b1', { [DECISION_SOURCE_ANNOTATION]: 'Default' }, 'backend'));
      await ok(annotate('b1', { [EVIDENCE_ANNOTATION]: null }, 'backend'));
      expect((await getBuild('b1')).metadata.annotations).toMatchObject({
        [VERDICT_ANNOTATION]: 'UserNamespaced',
        [DECISION_SOURCE_ANNOTATION]: 'Default',
      });
      expect((await getBuild('b1')).metadata.annotations).not.toHaveProperty(EVIDENCE_ANNOTATION);
    });

    test('a developer with edit cannot add, change or remove one, and is told why', async () => {
      await ok(call(cluster, BUILDS, { method: 'POST', user: 'developer', body: build('b2') }));
      await ok(
        annotate(
          'b2',
          {
            [VERDICT_ANNOTATION]: 'Privileged',
            [EVIDENCE_ANNOTATION]: 'privileged container docker-build',
          },
          'backend',
        ),
      );
      const attempts: [string, object][] = [
        ['change', { [VERDICT_ANNOTATION]: 'UserNamespaced' }],
        ['remove', { [VERDICT_ANNOTATION]: null }],
        ['add', { [`${OWN_PREFIX}decision-source`]: 'Override' }],
        ['remove the evidence', { [EVIDENCE_ANNOTATION]: null }],
        // Binding a copied record to this Build would make it count as this Build's own.
        ['bind the record', { [RECORDED_FOR_ANNOTATION]: 'any-uid' }],
      ];
      for (const [what, annotations] of attempts) {
        const res = await annotate('b2', annotations, 'developer');
        expect([what, res.status]).toEqual([what, 403]);
        expect(res.body.message).toMatch(
          new RegExp(
            `^builds\\.build\\.openshift\\.io "b2" is forbidden: ValidatingAdmissionPolicy '${VERDICTS}' with binding '${VERDICTS}' denied request: the annotations ${OWN_PREFIX.replace('.', '\\.')}\\S+ record what the userns-builds backend observed of this build; only its service account system:serviceaccount:userns-builds:userns-builds-backend may add, change or remove them \\(requested by developer\\)$`,
          ),
        );
      }
      // A whole-object write from an old copy would drop them: refused the same way.
      const current = await getBuild('b2');
      const stale = structuredClone(current) as Json;
      stale.metadata.annotations = Object.fromEntries(
        Object.entries(current.metadata.annotations ?? {}).filter(
          ([k]) => k !== VERDICT_ANNOTATION && k !== EVIDENCE_ANNOTATION,
        ),
      );
      const put = await call(cluster, `${BUILDS}/b2`, {
        method: 'PUT',
        user: 'developer',
        body: stale,
      });
      expect(put.status).toBe(403);
      expect(put.body.message).toContain(`${VERDICT_ANNOTATION}, ${EVIDENCE_ANNOTATION}`);
      expect((await getBuild('b2')).metadata.annotations).toMatchObject({
        [VERDICT_ANNOTATION]: 'Privileged',
        [EVIDENCE_ANNOTATION]: 'privileged container docker-build',
      });
      // Everything else about the Build stays theirs to edit.
      await ok(annotate('b2', { 'example.com/ticket': 'OPS-7' }, 'developer'));
      // A whole-object write that keeps them as they are is fine (the emulated controller is
      // still moving this Build along, so a write may meet a newer version: try again).
      const rewritten = await until(async () => {
        const r = await call(cluster, `${BUILDS}/b2`, {
          method: 'PUT',
          user: 'developer',
          body: await getBuild('b2'),
        });
        return r.status === 409 ? undefined : r.status;
      }, 'b2 is rewritten');
      expect(rewritten).toBe(200);
    });

    test('a developer cannot create a Build that already carries one, not even as a dry run', async () => {
      for (const q of ['', '?dryRun=All']) {
        const res = await call(cluster, `${BUILDS}${q}`, {
          method: 'POST',
          user: 'developer',
          body: build('forged', { [VERDICT_ANNOTATION]: 'UserNamespaced' }),
        });
        expect(res.status).toBe(403);
        expect(res.body.message).toContain(
          `denied request: the annotations ${VERDICT_ANNOTATION} record`,
        );
      }
      expect((await call(cluster, `${BUILDS}/forged`)).status).toBe(404);
    });

    test('the build controller’s updates of a Build with a verdict go through', async () => {
      const name = await startBuild('bc-docker.yaml', 'web');
      await until(
        async () => (await getBuild(name)).status?.phase === 'Pending' || undefined,
        `${name} is Pending`,
      );
      await ok(annotate(name, { [VERDICT_ANNOTATION]: 'Requested' }, 'backend'));
      // Pending → Running → Complete: two more writes by the controller, after the verdict.
      const done = await until(async () => {
        const b = await getBuild(name);
        return b.status?.phase === 'Complete' ? b : undefined;
      }, `${name} completes`);
      expect(done.metadata.annotations).toMatchObject({
        [VERDICT_ANNOTATION]: 'Requested',
        'openshift.io/build.pod-name': `${name}-build`,
      });
    }, 30_000);
  });

  describe('Rebuild and oc start-build', () => {
    const clone = (name: string, annotations: Record<string, string> = {}) =>
      call(cluster, `${BUILDS}/${name}/clone`, {
        method: 'POST',
        user: 'developer',
        body: {
          kind: 'BuildRequest',
          apiVersion: 'build.openshift.io/v1',
          metadata: { name, annotations },
        },
      });
    const denied = (resource: string, name: string) =>
      new RegExp(
        `^${resource.replace(/\./g, '\\.')} "${name}" is forbidden: ValidatingAdmissionPolicy '${VERDICTS}' with binding '${VERDICTS}' denied request: the annotations ${VERDICT_ANNOTATION.replace('.', '\\.')} record .* \\(requested by developer\\)$`,
      );

    /** A developer's Build with a record the backend bound to it. */
    async function recorded(name: string): Promise<Build> {
      const made = (await ok(
        call(cluster, BUILDS, { method: 'POST', user: 'developer', body: build(name) }),
      )) as Build;
      await ok(
        annotate(
          name,
          {
            [VERDICT_ANNOTATION]: 'Privileged',
            [EVIDENCE_ANNOTATION]: 'privileged container docker-build',
            [RECORDED_FOR_ANNOTATION]: made.metadata.uid,
          },
          'backend',
        ),
      );
      return getBuild(name);
    }

    test('a developer’s Rebuild of a recorded build passes, and the copied record reads as none', async () => {
      const old = await recorded('r1');
      expect(recordedOnBuild(old)?.verdict).toBe('Privileged');
      const res = await clone('r1', { 'example.com/ticket': 'OPS-8' });
      expect(res.status).toBe(201);
      const copy = res.body as Build;
      // system:apiserver created it with the old Build's recorded keys, bound to the old uid.
      expect(copy.metadata.annotations).toMatchObject({
        [VERDICT_ANNOTATION]: 'Privileged',
        [RECORDED_FOR_ANNOTATION]: old.metadata.uid,
        'openshift.io/build.clone-of': 'r1',
      });
      expect(recordedOnBuild(copy)).toBeUndefined();
      expect(recordedOnBuild(await getBuild('r1'))?.verdict).toBe('Privileged');
    });

    test('a BuildRequest carrying a recorded key is refused, and nothing is made', async () => {
      await recorded('r2');
      const before = (await ok(call(cluster, BUILDS))).items.length as number;
      const res = await clone('r2', { [VERDICT_ANNOTATION]: 'UserNamespaced' });
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(denied('builds.build.openshift.io', 'r2'));

      const bcs = `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs`;
      const bc = { ...fixture('bc-docker.yaml'), metadata: { name: 'rb' } };
      await ok(call(cluster, bcs, { method: 'POST', user: 'developer', body: bc }));
      const started = await call(cluster, `${bcs}/rb/instantiate`, {
        method: 'POST',
        user: 'developer',
        body: {
          kind: 'BuildRequest',
          apiVersion: 'build.openshift.io/v1',
          metadata: { name: 'rb', annotations: { [VERDICT_ANNOTATION]: 'UserNamespaced' } },
        },
      });
      expect(started.status).toBe(403);
      expect(started.body.message).toMatch(denied('buildconfigs.build.openshift.io', 'rb'));
      expect((await ok(call(cluster, BUILDS))).items.length).toBe(before);
      expect((await ok(call(cluster, `${bcs}/rb`))).status?.lastVersion ?? 0).toBe(0);
    });

    test('system:apiserver may create the copy but not change a recorded key afterwards', async () => {
      const old = await recorded('r3');
      const copy = (await ok(clone('r3'))) as Build;
      const res = await call(cluster, `${BUILDS}/${copy.metadata.name}`, {
        method: 'PATCH',
        user: 'admin',
        headers: {
          'content-type': 'application/merge-patch+json',
          'impersonate-user': 'system:apiserver',
          'impersonate-group': 'system:masters',
        },
        body: { metadata: { annotations: { [RECORDED_FOR_ANNOTATION]: copy.metadata.uid } } },
      });
      expect(res.status).toBe(403);
      expect(res.body.message).toContain(`(requested by system:apiserver)`);
      expect((await getBuild(copy.metadata.name!)).metadata.annotations).toMatchObject({
        [RECORDED_FOR_ANNOTATION]: old.metadata.uid,
      });
    });
  });

  describe('io.openshift.builder on pods', () => {
    const pod = (name: string, annotations: Record<string, string>) => ({
      ...fixture('pod.yaml'),
      metadata: { name, annotations },
    });

    test('a developer’s pod that carries it is refused; without it, admitted', async () => {
      const attempts: Record<string, string>[] = [
        {
          'io.openshift.builder': '',
          'io.kubernetes.cri-o.userns-mode': 'auto:uidmapping=0:0:65536',
        },
        { 'io.openshift.builder': '' },
      ];
      for (const annotations of attempts) {
        const res = await call(cluster, PODS, {
          method: 'POST',
          user: 'developer',
          body: pod('sneaky', annotations),
        });
        expect(res.status).toBe(403);
        expect(res.body.message).toMatch(
          new RegExp(
            `^pods "sneaky" is forbidden: ValidatingAdmissionPolicy '${BUILDER}' with binding '${BUILDER}' denied request: only the build controller \\(system:serviceaccount:openshift-infra:build-controller\\) may create a pod with io\\.openshift\\.builder or change io\\.openshift\\.builder.* \\(requested by developer\\)$`,
          ),
        );
      }
      // CRI-O ignores its annotations on a pod without the builder one: nothing to refuse.
      await ok(
        call(cluster, PODS, {
          method: 'POST',
          user: 'developer',
          body: pod('plain', { 'io.kubernetes.cri-o.Devices': '/dev/sda' }),
        }),
      );
      const added = await patch(
        `${PODS}/plain`,
        { metadata: { annotations: { 'io.openshift.builder': '' } } },
        'developer',
      );
      expect(added.status).toBe(403);
    });

    test('the build controller’s builder pod is admitted; others may label it, not change what CRI-O reads', async () => {
      const podName = `${await startBuild('bc-source-unprivileged.yaml', 'api')}-build`;
      const created: Json = await until(async () => {
        const r = await call(cluster, `${PODS}/${podName}`);
        return r.status === 200 ? r.body : undefined;
      }, `${podName} exists`);
      expect(created.metadata.annotations).toMatchObject({
        'io.openshift.builder': '',
        'io.kubernetes.cri-o.userns-mode': 'auto:size=65536',
      });
      await ok(
        patch(`${PODS}/${podName}`, { metadata: { labels: { triage: 'yes' } } }, 'developer'),
      );
      for (const annotations of [
        { 'io.kubernetes.cri-o.userns-mode': 'auto:uidmapping=0:0:65536' },
        { 'io.kubernetes.cri-o.Devices': '/dev/sda:rwm' },
        { 'io.openshift.builder': null },
      ]) {
        const res = await patch(`${PODS}/${podName}`, { metadata: { annotations } }, 'developer');
        expect([annotations, res.status]).toEqual([annotations, 403]);
      }
      // Pointing the build pod at another Build is refused; orphaning it (as the garbage
      // collector does) is not.
      const relabel = await patch(
        `${PODS}/${podName}`,
        { metadata: { labels: { 'openshift.io/build.name': 'other-1' } } },
        'developer',
      );
      expect(relabel.status).toBe(403);
      expect(relabel.body.message).toContain(`ValidatingAdmissionPolicy '${BUILD_PODS}'`);
      await ok(patch(`${PODS}/${podName}`, { metadata: { ownerReferences: null } }, 'developer'));
    }, 30_000);
  });

  describe('pods that name a Build', () => {
    test('a developer cannot make one, nor turn a pod of theirs into one', async () => {
      const b = await getBuild('b2');
      const owner = {
        apiVersion: 'build.openshift.io/v1',
        kind: 'Build',
        name: 'b2',
        uid: b.metadata.uid,
        controller: true,
      };
      const attempts: [string, Json][] = [
        ['label', { labels: { 'openshift.io/build.name': 'b2' } }],
        ['owner', { ownerReferences: [owner] }],
        ['both', { labels: { 'openshift.io/build.name': 'b2' }, ownerReferences: [owner] }],
      ];
      for (const [what, metadata] of attempts) {
        const res = await call(cluster, PODS, {
          method: 'POST',
          user: 'developer',
          body: { ...fixture<Json>('pod.yaml'), metadata: { name: 'b2-build', ...metadata } },
        });
        expect([what, res.status]).toEqual([what, 403]);
        expect(res.body.message).toMatch(
          new RegExp(
            `^pods "b2-build" is forbidden: ValidatingAdmissionPolicy '${BUILD_PODS}' with binding '${BUILD_PODS}' denied request: only the build controller \\(system:serviceaccount:openshift-infra:build-controller\\) may create a pod that names a Build .* \\(requested by developer\\)$`,
          ),
        );
      }
      await ok(
        call(cluster, PODS, {
          method: 'POST',
          user: 'developer',
          body: {
            ...fixture<Json>('pod.yaml'),
            metadata: { name: 'mine', labels: { app: 'mine' } },
          },
        }),
      );
      for (const [what, metadata] of attempts) {
        const res = await patch(`${PODS}/mine`, { metadata }, 'developer');
        expect([what, res.status]).toEqual([what, 403]);
      }
    });
  });
});
