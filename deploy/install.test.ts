// The install as an admin applies it: every Kustomize entry point rendered by the real kubectl,
// every object checked against its schema, and the parts that must agree with each other and with
// the backend (names, ports, RBAC, arguments) checked against each other.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PLUGIN_BASE } from '../backend/app';
import { parseConfig } from '../backend/config';
import { Metrics } from '../backend/metrics';
import { DEPLOY, KUBECTL, find, render, validate, type Manifest } from './testing/manifests';

if (!existsSync(KUBECTL)) {
  throw new Error(
    `kubectl not found at ${KUBECTL}: install Debian's kubernetes-client or set KUBECTL`,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are free-form YAML
type Any = any;

let install: Manifest[];
let withPlugin: Manifest[];
beforeAll(async () => {
  install = await render(join(DEPLOY, 'overlays', 'openshift'));
  // The optional component, as an admin would add it to their own overlay.
  const dir = mkdtempSync(join(tmpdir(), 'userns-kustomize-'));
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      `resources: [${relative(dir, join(DEPLOY, 'overlays', 'openshift'))}]`,
      `components: [${relative(dir, join(DEPLOY, 'components', 'console-plugin-enabled'))}]`,
    ].join('\n'),
  );
  try {
    withPlugin = await render(dir, ['--load-restrictor', 'LoadRestrictionsNone']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('every entry point renders, and every object in it is valid', async () => {
  const entries = [
    'base',
    'overlays/openshift',
    'policy',
    'enforcement',
    'integrity',
    'crd',
    'webhook',
    'monitoring',
  ];
  const rendered = await Promise.all(entries.map((e) => render(join(DEPLOY, e))));
  rendered.forEach((objects, i) =>
    expect([entries[i], objects.length > 0]).toEqual([entries[i], true]),
  );
  // One schema check over all of them (it runs the TypeScript compiler once).
  const unique = new Map(
    rendered
      .flat()
      .concat(withPlugin)
      .map((o) => [JSON.stringify(o), o]),
  );
  expect(await validate([...unique.values()])).toEqual([]);
}, 60_000);

test('the validation catches a misspelt field', async () => {
  const deployment = structuredClone(find(install, 'Deployment')) as Any;
  deployment.spec.template.spec.containers[0].readinesProbe = { periodSeconds: 5 };
  const problems = await validate([deployment]);
  expect(problems.join('\n')).toMatch(/readinesProbe/);
}, 60_000);

test('the install holds exactly the expected objects, and no BuildPolicy', () => {
  expect(install.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
    [
      'ClusterRole/userns-builds-backend',
      'ClusterRoleBinding/userns-builds-backend',
      'ConsolePlugin/userns-builds',
      'CustomResourceDefinition/buildpolicies.userns.builds.dev',
      'Deployment/userns-builds-backend',
      'MutatingWebhookConfiguration/userns-builds',
      'Namespace/userns-builds',
      'NetworkPolicy/userns-builds-backend',
      'PodDisruptionBudget/userns-builds-backend',
      'PrometheusRule/userns-builds',
      'Role/prometheus-k8s',
      'Role/userns-builds-backend-leases',
      'RoleBinding/prometheus-k8s',
      'RoleBinding/userns-builds-backend-leases',
      'Service/userns-builds-backend',
      'ServiceAccount/userns-builds-backend',
      'ServiceMonitor/userns-builds-backend',
      'ValidatingAdmissionPolicy/userns-builds-build-pods',
      'ValidatingAdmissionPolicy/userns-builds-builder-annotation',
      'ValidatingAdmissionPolicy/userns-builds-verdicts',
      'ValidatingAdmissionPolicyBinding/userns-builds-build-pods',
      'ValidatingAdmissionPolicyBinding/userns-builds-builder-annotation',
      'ValidatingAdmissionPolicyBinding/userns-builds-verdicts',
    ].sort(),
  );
});

test('namespaced objects live in userns-builds, cluster-scoped ones have no namespace', () => {
  const clusterScoped = new Set([
    'Namespace',
    'ClusterRole',
    'ClusterRoleBinding',
    'CustomResourceDefinition',
    'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'ConsolePlugin',
    'Console',
  ]);
  for (const o of withPlugin) {
    if (clusterScoped.has(o.kind))
      expect([o.kind, o.metadata.namespace]).toEqual([o.kind, undefined]);
    else expect([o.kind, o.metadata.namespace]).toEqual([o.kind, 'userns-builds']);
  }
});

test('the policy step installs a BuildPolicy that changes nothing', async () => {
  const [policy] = (await render(join(DEPLOY, 'policy'))) as Any[];
  expect(policy.kind).toBe('BuildPolicy');
  expect(policy.metadata.name).toBe('cluster');
  expect(policy.spec.userNamespaces).toMatchObject({ default: 'Disabled', override: 'None' });
});

test('the console component enables exactly this plugin', () => {
  const consoleOp = find(withPlugin, 'Console') as Any;
  expect(consoleOp.spec.plugins).toEqual([find(install, 'ConsolePlugin').metadata.name]);
});

describe('RBAC', () => {
  const rules = (kind: string, name: string): string[] =>
    ((find(install, kind, name) as Any).rules as Any[]).flatMap((r) =>
      (r.apiGroups as string[]).flatMap((g) =>
        (r.resources as string[]).flatMap((res) =>
          (r.verbs as string[]).map((v) => `${g || 'core'} ${res} ${v}`),
        ),
      ),
    );

  test('the backend gets exactly the listed permissions', () => {
    expect(rules('ClusterRole', 'userns-builds-backend').sort()).toEqual(
      [
        ...['get', 'list', 'watch', 'patch'].map((v) => `build.openshift.io builds ${v}`),
        ...['get', 'list', 'watch'].map((v) => `build.openshift.io buildconfigs ${v}`),
        ...['get', 'list', 'watch'].map((v) => `core pods ${v}`),
        ...['get', 'list', 'watch'].map((v) => `core namespaces ${v}`),
        'core pods/log get',
        ...['get', 'list', 'watch'].map((v) => `project.openshift.io projects ${v}`),
        ...['get', 'list', 'watch'].map((v) => `userns.builds.dev buildpolicies ${v}`),
        ...['get', 'update', 'patch'].map((v) => `userns.builds.dev buildpolicies/status ${v}`),
        'authentication.k8s.io tokenreviews create',
        'authorization.k8s.io subjectaccessreviews create',
      ].sort(),
    );
    expect(rules('Role', 'userns-builds-backend-leases').sort()).toEqual(
      ['create', 'get', 'list', 'update', 'watch'].map((v) => `coordination.k8s.io leases ${v}`),
    );
  });

  test('no wildcard, no secrets, no writes to pods', () => {
    const all = install
      .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
      .flatMap((o) => rules(o.kind, o.metadata.name));
    for (const rule of all) {
      expect(rule).not.toMatch(/\*/);
      expect(rule).not.toMatch(/ secrets /);
      expect(rule).not.toMatch(/^core pods (create|update|patch|delete|deletecollection)$/);
    }
  });

  test('bindings grant the roles to the backend service account only', () => {
    const sa = find(install, 'ServiceAccount');
    for (const name of ['userns-builds-backend']) {
      const binding = find(install, 'ClusterRoleBinding', name) as Any;
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace },
      ]);
    }
    const leases = find(install, 'RoleBinding', 'userns-builds-backend-leases') as Any;
    expect(leases.subjects).toEqual([
      { kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace },
    ]);
  });
});

describe('the Deployment', () => {
  const deployment = () => find(install, 'Deployment') as Any;
  const container = () => deployment().spec.template.spec.containers[0];

  test('its arguments and environment are ones the backend accepts', () => {
    const env: Record<string, string> = {};
    for (const e of container().env as Any[]) {
      // Downward API values, as the kubelet would fill them in.
      env[e.name] = e.value ?? (e.valueFrom?.fieldRef ? 'userns-builds' : '');
    }
    const parsed = parseConfig(container().args, env, {
      serviceAccountNamespace: () => 'userns-builds',
    });
    expect(parsed).toMatchObject({
      help: false,
      config: {
        cluster: { kind: 'in-cluster' },
        namespace: 'userns-builds',
        port: 8443,
        pluginDir: '/opt/userns-builds/plugin',
        tlsCertPath: '/var/serving-cert/tls.crt',
        // The same file on every replica: continue tokens signed by one are read by the other.
        continueKeyFile: '/var/serving-cert/tls.key',
      },
    });
  });

  test('runs HA: 2 replicas spread over nodes, a PDB, no unavailable replica on rollout', () => {
    const d = deployment();
    expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(d.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const anti = d.spec.template.spec.affinity.podAntiAffinity;
    expect(JSON.stringify(anti)).toContain('kubernetes.io/hostname');
    const pdb = find(install, 'PodDisruptionBudget') as Any;
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(d.spec.selector.matchLabels);
  });

  test('is restricted-v2 compatible and works on a read-only root filesystem', () => {
    const pod = deployment().spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.securityContext.runAsUser).toBeUndefined(); // OpenShift assigns the UID
    expect(container().securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(JSON.stringify(pod.volumes)).not.toContain('hostPath');
    expect(pod.priorityClassName).toBe('openshift-user-critical');
  });

  test('the preStop delay outlasts endpoint removal and the drain fits in the grace period', () => {
    const pod = deployment().spec.template.spec;
    const [cmd, seconds] = container().lifecycle.preStop.exec.command as string[];
    expect(cmd).toBe('sleep');
    const parsed = parseConfig(container().args, {}, { serviceAccountNamespace: () => 'x' });
    const drain = parsed.help ? 0 : parsed.config.shutdownGraceMs / 1000;
    // The API server gives the webhook 3 s; the delay must be longer than a review in flight.
    const webhook = find(install, 'MutatingWebhookConfiguration') as Any;
    expect(Number(seconds)).toBeGreaterThan(webhook.webhooks[0].timeoutSeconds);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(seconds) + drain);
  });

  test('probes, requests and limits are set', () => {
    const c = container();
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/readyz', scheme: 'HTTPS' });
    expect(c.livenessProbe.httpGet).toMatchObject({ path: '/healthz', scheme: 'HTTPS' });
    expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String) }));
    expect(c.resources.limits).toEqual(expect.objectContaining({ memory: expect.any(String) }));
  });
});

describe('names and ports agree', () => {
  const service = () => find(install, 'Service') as Any;

  test('the Service selects the Deployment and carries the serving certificate', () => {
    const d = find(install, 'Deployment') as Any;
    expect(service().spec.selector).toEqual(d.spec.selector.matchLabels);
    const port = service().spec.ports[0];
    const containerPort = d.spec.template.spec.containers[0].ports.find(
      (p: Any) => p.name === port.targetPort,
    );
    expect(containerPort.containerPort).toBe(8443);
    const secret =
      service().metadata.annotations['service.beta.openshift.io/serving-cert-secret-name'];
    expect(d.spec.template.spec.volumes).toContainEqual({
      name: 'serving-cert',
      secret: { secretName: secret },
    });
  });

  test('the webhook calls that Service on /mutate, with the service CA injected', () => {
    const hook = (find(install, 'MutatingWebhookConfiguration') as Any).webhooks[0];
    expect(hook.clientConfig.service).toEqual({
      name: service().metadata.name,
      namespace: service().metadata.namespace,
      port: service().spec.ports[0].port,
      path: '/mutate',
    });
    expect(find(install, 'MutatingWebhookConfiguration').metadata as Any).toMatchObject({
      annotations: { 'service.beta.openshift.io/inject-cabundle': 'true' },
    });
  });

  test('the ConsolePlugin loads files from the backend and proxies with the user token', () => {
    const plugin = find(install, 'ConsolePlugin') as Any;
    const ref = { name: service().metadata.name, namespace: service().metadata.namespace };
    expect(plugin.spec.backend.service).toEqual({
      ...ref,
      port: 8443,
      basePath: PLUGIN_BASE,
    });
    expect(plugin.spec.proxy).toEqual([
      {
        alias: 'backend',
        authorization: 'UserToken',
        endpoint: { type: 'Service', service: { ...ref, port: 8443 } },
      },
    ]);
  });

  test('the ServiceMonitor scrapes that Service over TLS', () => {
    const sm = find(install, 'ServiceMonitor') as Any;
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) {
      expect(service().metadata.labels[k]).toBe(v);
    }
    expect(sm.spec.endpoints[0]).toMatchObject({
      port: 'https',
      scheme: 'https',
      path: '/metrics',
    });
    expect(sm.spec.endpoints[0].tlsConfig.serverName).toBe(
      `${service().metadata.name}.${service().metadata.namespace}.svc`,
    );
  });

  test('the NetworkPolicy admits only the API server, the console and monitoring', () => {
    const np = find(install, 'NetworkPolicy') as Any;
    expect(np.spec.podSelector.matchLabels).toEqual(service().spec.selector);
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    const from = np.spec.ingress.flatMap((r: Any) => r.from);
    const names = from
      .map((f: Any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'])
      .filter(Boolean);
    expect(names.sort()).toEqual(
      [
        'openshift-console',
        'openshift-kube-apiserver',
        'openshift-monitoring',
        'openshift-user-workload-monitoring',
      ].sort(),
    );
    expect(
      from.some((f: Any) => f.podSelector === undefined && f.namespaceSelector === undefined),
    ).toBe(false);
  });
});

test('every backend metric an alert uses is one the backend exports', async () => {
  const rule = find(install, 'PrometheusRule') as Any;
  const exprs: string[] = rule.spec.groups.flatMap((g: Any) => g.rules.map((r: Any) => r.expr));
  const used = new Set(exprs.flatMap((e) => e.match(/\buserns_[a-z_]+/g) ?? []));
  expect(used.size).toBeGreaterThan(0);
  const exported = new Set((await new Metrics().registry.getMetricsAsJSON()).map((m) => m.name));
  for (const name of used) expect([name, exported.has(name)]).toEqual([name, true]);
});
