// The whole service in cluster mode, wired exactly as main.ts wires it (kubeconfig loaded by
// @kubernetes/client-node), against the local cluster emulator, which calls the webhook over
// HTTPS when the build controller creates a build pod.
import { startCluster, type Cluster } from '../dev/cluster';
import type { Pod } from '@userns-builds/core';
import { KubeClient, tokenEndpoint } from './kube/client';
import { createLogger } from './log';
import { startService, type RunningService } from './service';
import { certDir, makeCert } from '../testing/certs';
import { LogCapture, httpsSend, startClusterService } from './testing/harness';
import { until } from '../testing/until';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { parseConfig } from './config';

let cluster: Cluster;
let admin: KubeClient;
let service: RunningService;
const logs = new LogCapture();
const cert = makeCert();
let agent: Agent;

beforeAll(async () => {
  cluster = await startCluster({ seed: false, buildTimer: { stepMs: 60_000 } });
  admin = new KubeClient(tokenEndpoint(cluster.url, cluster.tokens.admin));
  service = await startClusterService(cluster.kubeconfigPath, cert, createLogger('info', logs));
  agent = new Agent({ keepAlive: true, ca: cert.cert });
});
afterAll(async () => {
  agent?.destroy();
  await service?.stop(1000);
  admin?.close();
  await cluster?.stop();
});

const post = (path: string, body: unknown) =>
  admin.request('POST', path, { body, timeoutMs: 5000 });

test('ready once synced; the BuildPolicy takes effect; a build pod created in the cluster is admitted through the webhook', async () => {
  const send = (method: string, path: string) =>
    httpsSend({ port: service.port, agent }, method, path);
  await until(async () => (await send('GET', '/readyz')).status === 200, 'readyz turns 200');

  await post('/apis/userns.builds.dev/v1alpha1/buildpolicies', {
    apiVersion: 'userns.builds.dev/v1alpha1',
    kind: 'BuildPolicy',
    metadata: { name: 'cluster' },
    spec: { userNamespaces: { default: 'Enabled' }, passthroughAnnotations: ['example.com/tier'] },
  });
  await until(
    async () => /userns_webhook_policy_generation [1-9]/.test((await send('GET', '/metrics')).text),
    'the policy generation is exported',
  );

  await post('/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: 'userns-builds-test' },
    webhooks: [
      {
        name: 'build-pods.userns.builds.dev',
        clientConfig: {
          url: `https://127.0.0.1:${service.port}/mutate`,
          caBundle: cert.cert.toString('base64'),
        },
        rules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['pods'],
            scope: 'Namespaced',
          },
        ],
        objectSelector: {
          matchExpressions: [{ key: 'openshift.io/build.name', operator: 'Exists' }],
        },
        // Fail, so a broken webhook fails this test instead of being silently ignored
        failurePolicy: 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: 3,
      },
    ],
  });

  await post('/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team-e2e' },
  });
  await post('/apis/build.openshift.io/v1/namespaces/team-e2e/builds', {
    apiVersion: 'build.openshift.io/v1',
    kind: 'Build',
    metadata: {
      name: 'app-1',
      namespace: 'team-e2e',
      annotations: { 'example.com/tier': 'gold', 'example.com/other': 'no' },
    },
    spec: {
      strategy: { type: 'Docker', dockerStrategy: {} },
      source: { type: 'Git', git: { uri: 'https://example.com/app.git' } },
    },
  });

  let pod: Pod | undefined;
  await until(async () => {
    pod = await admin
      .request<Pod>('GET', '/api/v1/namespaces/team-e2e/pods/app-1-build', { timeoutMs: 5000 })
      .catch(() => undefined);
    return pod !== undefined;
  }, 'the build controller creates the build pod');
  const annotations = pod!.metadata.annotations ?? {};
  expect(annotations['userns.builds.dev/decision-source']).toBe('Default');
  expect(annotations['userns.builds.dev/user-namespaces']).toBe('true');
  expect(annotations['io.kubernetes.cri-o.userns-mode']).toBe('auto:size=65536');
  expect(annotations['example.com/tier']).toBe('gold');
  expect(annotations['example.com/other']).toBeUndefined();
  expect(pod!.spec.containers[0]?.securityContext?.privileged).toBe(false);

  const review = logs.records().find((r) => r.msg === 'patched' && r.namespace === 'team-e2e');
  expect(review).toMatchObject({ source: 'Default', uid: expect.any(String) });
  expect(logs.lines.join('\n')).not.toMatch(/demo-admin-token|sha256~/);
});

// Runs after the test above, whose webhook configuration and policy it relies on.
test('a build-labelled pod created by a user, not the build controller, is admitted unchanged', async () => {
  const privileged = { privileged: true, runAsUser: 0 };
  const hostile = {
    'io.kubernetes.cri-o.userns-mode': 'auto:uidmapping=0:0:65536',
    'io.kubernetes.cri-o.Devices': '/dev/kmem:rwm',
  };
  const created = await post('/api/v1/namespaces/team-e2e/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'fake-build',
      labels: { 'openshift.io/build.name': 'app-1' },
      annotations: hostile,
    },
    spec: { containers: [{ name: 'docker-build', image: 'x', securityContext: privileged }] },
  });
  const pod = created as Pod;
  expect(pod.metadata.annotations).toEqual(hostile);
  expect(pod.spec.containers[0]?.securityContext).toEqual(privileged);
  const review = logs.records().find((r) => r.name === 'fake-build');
  expect(review).toMatchObject({
    source: 'UntrustedCreator',
    msg: expect.stringMatching(/unchanged/),
  });
});

test('with a valid policy file, userns_webhook_policy_valid reads 1', async () => {
  const tls = certDir(cert);
  const parsed = parseConfig(
    [
      ...['--tls-cert', tls.certPath, '--tls-key', tls.keyPath, '--port', '0'],
      ...[
        '--host',
        '127.0.0.1',
        '--policy-file',
        join(__dirname, '../deploy/examples/minimal.yaml'),
      ],
    ],
    {},
    { serviceAccountNamespace: () => undefined },
  );
  if (parsed.help) throw new Error('unexpected --help');
  const fileService = await startService(parsed.config, createLogger('silent'), undefined);
  try {
    const metrics = await httpsSend({ port: fileService.port, agent }, 'GET', '/metrics');
    expect(metrics.text).toMatch(/^userns_webhook_policy_valid 1$/m);
  } finally {
    await fileService.stop(1000);
  }
});
