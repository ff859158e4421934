// The product's build flow end to end: the emulator's build controller creates build pods, the
// real backend webhook (registered with deploy/'s own MutatingWebhookConfiguration) mutates them,
// and the builder log shows what the kernel gave — which core's classifier then judges.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createLogger } from '../../backend/log';
import type { RunningService } from '../../backend/service';
import { LogCapture, startClusterService } from '../../backend/testing/harness';
import { classifyBuild, type Build, type Pod } from '@userns-builds/core';
import { makeCert } from '../../testing/certs';
import { startCluster, type Cluster } from './index';
import { call, fixture, type Json } from './test-helpers';
import { until } from '../../testing/until';

const NS = 'team-c';
let cluster: Cluster;
let service: RunningService;
const cert = makeCert();
const ca = cert.cert;
const agent = new Agent({ ca, keepAlive: false });

function metrics(): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: service.port, path: '/metrics', agent },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function policyGeneration(): Promise<number> {
  const m = /userns_webhook_policy_generation (\d+)/.exec(await metrics());
  return m ? Number(m[1]) : 0;
}

async function setPolicy(spec: Json): Promise<void> {
  const path = '/apis/userns.builds.dev/v1alpha1/buildpolicies/cluster';
  const current = await call(cluster, path);
  const body = {
    apiVersion: 'userns.builds.dev/v1alpha1',
    kind: 'BuildPolicy',
    metadata: { name: 'cluster' },
    spec,
  };
  const res =
    current.status === 404
      ? await call(cluster, '/apis/userns.builds.dev/v1alpha1/buildpolicies', {
          method: 'POST',
          body,
        })
      : await call(cluster, path, {
          method: 'PUT',
          body: { ...body, metadata: current.body.metadata },
        });
  expect(res.status).toBeLessThan(300);
  const generation = res.body.metadata.generation as number;
  await until(
    async () => (await policyGeneration()) >= generation,
    `the webhook sees policy generation ${generation}`,
  );
}

/** Instantiates a BuildConfig and waits for the build to finish; its pod and log. */
async function runBuild(bc: string): Promise<{ build: Build; pod: Pod; log: string }> {
  const started = await call(
    cluster,
    `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs/${bc}/instantiate`,
    {
      method: 'POST',
      user: 'developer',
      body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name: bc } },
    },
  );
  expect(started.status).toBe(201);
  const name = started.body.metadata.name as string;
  const build = await until(async () => {
    const b = (await call(cluster, `/apis/build.openshift.io/v1/namespaces/${NS}/builds/${name}`))
      .body as Build;
    return ['Complete', 'Failed', 'Error'].includes(b.status?.phase ?? '') ? b : undefined;
  }, `${name} finishes`);
  expect(build.status?.phase).toBe('Complete');
  const pod = (await call(cluster, `/api/v1/namespaces/${NS}/pods/${name}-build`)).body as Pod;
  const log = (
    await call(cluster, `/apis/build.openshift.io/v1/namespaces/${NS}/builds/${name}/log`)
  ).body as string;
  return { build, pod, log };
}

beforeAll(async () => {
  cluster = await startCluster({ port: 0, seed: false, buildTimer: { stepMs: 1 } });
  await call(cluster, '/api/v1/namespaces', { method: 'POST', body: { metadata: { name: NS } } });
  service = await startClusterService(
    cluster.writeKubeconfig('backend'),
    cert,
    createLogger('warn', new LogCapture()),
  );
  // deploy/'s own webhook configuration, pointed at the local backend instead of its Service.
  const mwc = parse(
    readFileSync(
      join(__dirname, '..', '..', 'deploy', 'webhook', 'mutatingwebhookconfiguration.yaml'),
      'utf8',
    ),
  ) as Json;
  mwc.webhooks[0].clientConfig = {
    url: `https://127.0.0.1:${service.port}/mutate`,
    caBundle: ca.toString('base64'),
  };
  mwc.webhooks[0].failurePolicy = 'Fail';
  const registered = await call(
    cluster,
    '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
    { method: 'POST', body: mwc },
  );
  expect(registered.status).toBe(201);
  for (const f of ['bc-docker.yaml', 'bc-source-unprivileged.yaml']) {
    expect(
      (
        await call(cluster, `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs`, {
          method: 'POST',
          body: fixture(f),
        })
      ).status,
    ).toBe(201);
  }
});

afterAll(async () => {
  await service?.stop(1000);
  await cluster?.stop();
  agent.destroy();
});

describe('builds through the real webhook', () => {
  it('a BuildConfig toggled on (BUILD_PRIVILEGED=false) runs user-namespaced', async () => {
    await setPolicy({
      userNamespaces: { default: 'Disabled', override: 'None', mode: 'CRIOAnnotation' },
    });
    const { pod, log } = await runBuild('api');
    expect(pod.metadata.annotations).toMatchObject({
      'io.kubernetes.cri-o.userns-mode': 'auto:size=65536',
      'userns.builds.dev/user-namespaces': 'true',
      'userns.builds.dev/decision-source': 'Build',
    });
    expect(log).toMatch(/Started in kernel user namespace with UID map \[\(0:\d+:65536\)\]/);
    expect(classifyBuild({ pod, log }).verdict).toBe('UserNamespaced');
  });

  it('a privileged build stays privileged without an override', async () => {
    const { pod, log } = await runBuild('web');
    expect(pod.spec.containers[0]!.securityContext?.privileged).toBe(true);
    expect(classifyBuild({ pod, log }).verdict).toBe('Privileged');
  });

  it('a cluster override converts a privileged build', async () => {
    await setPolicy({
      userNamespaces: { default: 'Disabled', override: 'Required', mode: 'CRIOAnnotation' },
    });
    const { pod, log } = await runBuild('web');
    expect(pod.spec.containers[0]!.securityContext).toMatchObject({ privileged: false });
    expect(pod.metadata.annotations).toMatchObject({
      'io.openshift.builder': '',
      'io.kubernetes.cri-o.userns-mode': 'auto:size=65536',
      'userns.builds.dev/decision-source': 'Override',
    });
    expect(log).toContain('Started in kernel user namespace');
    expect(classifyBuild({ pod, log }).verdict).toBe('UserNamespaced');
  });
});
