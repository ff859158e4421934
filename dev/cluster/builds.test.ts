// The build flow as OpenShift runs it (docs/architecture.md#openshift-build-pods): instantiate → Build → pod shape → phases → log.
import {
  BUILD_ENV,
  BUILD_POD_NAME_ANNOTATION,
  CRIO_USERNS_ANNOTATION,
  type Build,
  type Pod,
} from '@userns-builds/core';
import { startCluster, type Cluster } from './index';
import { call, collectWatch, fixture, type WatchEvent } from './test-helpers';

let cluster: Cluster;
const NS = 'team-a';
const BUILDS = `/apis/build.openshift.io/v1/namespaces/${NS}/builds`;

async function instantiate(bc: string, user: 'developer' | 'admin' = 'developer'): Promise<Build> {
  const res = await call(
    cluster,
    `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs/${bc}/instantiate`,
    {
      method: 'POST',
      user,
      body: { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name: bc } },
    },
  );
  expect(res.status).toBe(201);
  return res.body as Build;
}

/** Watches a build from its creation until it is terminal; the phases it went through. */
async function phasesOf(name: string, fromRV: string): Promise<{ phases: string[]; last: Build }> {
  const events = await collectWatch(
    cluster,
    `${BUILDS}?watch=true&fieldSelector=metadata.name%3D${name}&resourceVersion=${fromRV}`,
    (ev) => ['Complete', 'Failed', 'Error'].includes(ev[ev.length - 1]?.object.status?.phase),
  );
  const phases = events
    .map((e: WatchEvent) => e.object.status.phase as string)
    .filter((p, i, all) => p !== all[i - 1]);
  return { phases, last: events[events.length - 1]!.object as Build };
}

async function pod(name: string): Promise<Pod> {
  return (await call(cluster, `/api/v1/namespaces/${NS}/pods/${name}`)).body as Pod;
}

beforeAll(async () => {
  cluster = await startCluster({ port: 0, seed: false, buildTimer: { stepMs: 1 } });
  await call(cluster, '/api/v1/namespaces', { method: 'POST', body: { metadata: { name: NS } } });
  for (const f of ['bc-docker.yaml', 'bc-source-unprivileged.yaml', 'bc-custom-failing.yaml']) {
    const res = await call(cluster, `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs`, {
      method: 'POST',
      user: 'developer',
      body: fixture(f),
    });
    expect(res.status).toBe(201);
  }
});

afterAll(() => cluster.stop());

describe('a privileged Docker build (the default)', () => {
  let build: Build;
  let rv: string;
  beforeAll(async () => {
    rv = (await call(cluster, BUILDS)).body.metadata.resourceVersion;
    build = await instantiate('web');
  });

  it('creates Build <bc>-<n> with the labels, annotations and owner OpenShift sets', async () => {
    expect(build.metadata).toMatchObject({
      name: 'web-1',
      labels: { buildconfig: 'web', 'openshift.io/build-config.name': 'web' },
      annotations: { 'openshift.io/build-config.name': 'web', 'openshift.io/build.number': '1' },
      ownerReferences: [
        expect.objectContaining({ kind: 'BuildConfig', name: 'web', controller: true }),
      ],
    });
    const bc = await call(cluster, `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs/web`);
    expect(bc.body.status.lastVersion).toBe(1);
  });

  it('moves New → Pending → Running → Complete with timestamps and a duration', async () => {
    const { phases, last } = await phasesOf('web-1', rv);
    expect(phases).toEqual(['New', 'Pending', 'Running', 'Complete']);
    expect(last.metadata.annotations?.[BUILD_POD_NAME_ANNOTATION]).toBe('web-1-build');
    expect(Date.parse(last.status!.completionTimestamp!)).toBeGreaterThanOrEqual(
      Date.parse(last.status!.startTimestamp!),
    );
    expect(last.status!.duration).toBeGreaterThan(0);
    expect((await pod('web-1-build')).status?.phase).toBe('Succeeded');
  });

  it('makes the pod OpenShift makes for a privileged build', async () => {
    const p = await pod('web-1-build');
    expect(p.metadata.labels).toEqual({ 'openshift.io/build.name': 'web-1' });
    expect(p.metadata.annotations).toEqual({ 'openshift.io/build.name': 'web-1' });
    expect(p.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Build',
        name: 'web-1',
        uid: build.metadata.uid,
        controller: true,
      }),
    ]);
    expect(p.spec.initContainers?.map((c) => c.name)).toEqual(['git-clone', 'manage-dockerfile']);
    expect(p.spec.initContainers?.[0]?.securityContext).toEqual({
      privileged: false,
      runAsUser: 0,
      capabilities: { add: ['CHOWN', 'DAC_OVERRIDE'], drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const main = p.spec.containers[0]!;
    expect(main.name).toBe('docker-build');
    expect(main.securityContext).toEqual({
      privileged: true,
      runAsUser: 0,
      runAsGroup: 0,
      seccompProfile: { type: 'Unconfined' },
    });
    const encoded = JSON.parse(main.env!.find((e) => e.name === BUILD_ENV)!.value!) as Build;
    expect(encoded.metadata.name).toBe('web-1');
    expect(p.spec.hostUsers).toBeUndefined();
  });

  it('logs the node user namespace line first', async () => {
    const log = await call(
      cluster,
      `/api/v1/namespaces/${NS}/pods/web-1-build/log?container=docker-build`,
      { user: 'developer' },
    );
    expect(log.status).toBe(200);
    const lines = (log.body as string).split('\n');
    expect(lines[2]).toMatch(
      /builder\.go:395\] Started in node \(default\) kernel user namespace$/,
    );
    expect(lines).toContain('Push successful');
    const clone = await call(
      cluster,
      `/api/v1/namespaces/${NS}/pods/web-1-build/log?container=git-clone`,
    );
    expect(clone.body).toContain('Cloning "https://github.com/example/web.git" ...');
    const bad = await call(cluster, `/api/v1/namespaces/${NS}/pods/web-1-build/log?container=nope`);
    expect(bad.status).toBe(400);
  });

  it('cuts the log at limitBytes, and refuses a limit that is not a positive integer', async () => {
    const path = `/api/v1/namespaces/${NS}/pods/web-1-build/log?container=docker-build`;
    const whole = (await call(cluster, path)).body as string;
    const cut = await call(cluster, `${path}&limitBytes=100`);
    expect(cut.status).toBe(200);
    expect(cut.body).toBe(whole.slice(0, 100));
    for (const bad of ['0', '-1', 'lots']) {
      expect((await call(cluster, `${path}&limitBytes=${bad}`)).status).toBe(400);
    }
  });
});

describe('a BUILD_PRIVILEGED=false Source build with image sources', () => {
  it('gets the unprivileged shape, its annotations, and a user-namespaced log', async () => {
    const rv = (await call(cluster, BUILDS)).body.metadata.resourceVersion;
    await instantiate('api');
    const { phases } = await phasesOf('api-1', rv);
    expect(phases[phases.length - 1]).toBe('Complete');
    const p = await pod('api-1-build');
    expect(p.metadata.annotations).toEqual({
      'openshift.io/build.name': 'api-1',
      'io.openshift.builder': '',
      'io.kubernetes.cri-o.userns-mode': 'auto:size=65536',
      'io.kubernetes.cri-o.Devices': '/dev/fuse:rwm',
    });
    const unprivileged = {
      privileged: false,
      seccompProfile: { type: 'Unconfined' },
      capabilities: { add: ['CAP_SETFCAP'], drop: ['CAP_KILL', 'CAP_MKNOD'] },
    };
    expect(p.spec.initContainers?.map((c) => c.name)).toEqual([
      'git-clone',
      'extract-image-content',
      'manage-dockerfile',
    ]);
    expect(p.spec.initContainers?.[1]?.securityContext).toEqual(unprivileged);
    expect(p.spec.containers[0]).toMatchObject({
      name: 'sti-build',
      securityContext: unprivileged,
    });
    // Only whitelisted strategy env reaches the container; BUILD_PRIVILEGED stays inside BUILD.
    const names = p.spec.containers[0]!.env!.map((e) => e.name);
    expect(names).not.toContain('BUILD_PRIVILEGED');
    expect(names).not.toContain('NPM_MIRROR');
    expect(p.spec.hostUsers).toBeUndefined();
    const log = await call(
      cluster,
      `/apis/build.openshift.io/v1/namespaces/${NS}/builds/api-1/log`,
      { user: 'developer' },
    );
    expect(log.body).toMatch(
      /^I\d{4} .*\n.*\n.*builder\.go:395\] Started in kernel user namespace with UID map \[\(0:\d+:65536\)\]/,
    );
  });
});

describe('a failing custom build with BUILD_PRIVILEGED=0', () => {
  it('runs custom-build unprivileged, with the whole strategy env, and ends Failed', async () => {
    const rv = (await call(cluster, BUILDS)).body.metadata.resourceVersion;
    await instantiate('tooling');
    const { phases, last } = await phasesOf('tooling-1', rv);
    expect(phases).toEqual(['New', 'Pending', 'Running', 'Failed']);
    expect(last.status).toMatchObject({ reason: 'GenericBuildFailed' });
    const p = await pod('tooling-1-build');
    expect(p.spec.initContainers).toBeUndefined();
    expect(p.spec.containers[0]).toMatchObject({
      name: 'custom-build',
      image: 'quay.io/example/custom-builder:1',
      securityContext: { privileged: false },
    });
    expect(p.spec.containers[0]!.env!.map((e) => e.name)).toContain('EXTRA');
    expect(p.metadata.annotations?.[CRIO_USERNS_ANNOTATION]).toBe('auto:size=65536');
    expect(p.status?.phase).toBe('Failed');
  });
});

describe('cluster build defaults', () => {
  it('apply after the security context: BUILD_PRIVILEGED in buildDefaults.env does not unprivilege', async () => {
    const cfg = fixture('cluster-build-config.yaml');
    const current = await call(cluster, '/apis/config.openshift.io/v1/builds/cluster');
    const put = await call(cluster, '/apis/config.openshift.io/v1/builds/cluster', {
      method: 'PUT',
      body: {
        ...cfg,
        metadata: { ...cfg.metadata, resourceVersion: current.body.metadata.resourceVersion },
      },
    });
    expect(put.status).toBe(200);
    const rv = (await call(cluster, BUILDS)).body.metadata.resourceVersion;
    await instantiate('web');
    await phasesOf('web-2', rv);
    const p = await pod('web-2-build');
    expect(p.spec.containers[0]!.securityContext?.privileged).toBe(true);
    expect(p.spec.containers[0]!.env).toEqual(
      expect.arrayContaining([{ name: 'HTTP_PROXY', value: 'http://proxy.example:3128' }]),
    );
    expect(p.spec.nodeSelector).toEqual({
      'kubernetes.io/os': 'linux',
      'node-role.kubernetes.io/builder': '',
    });
    const encoded = JSON.parse(
      p.spec.containers[0]!.env!.find((e) => e.name === BUILD_ENV)!.value!,
    ) as Build;
    expect(JSON.stringify(encoded)).not.toContain('proxy.example');
  });

  it('deleting a Build deletes its pod (owner reference)', async () => {
    const del = await call(cluster, `${BUILDS}/web-2`, { method: 'DELETE', user: 'developer' });
    expect(del.status).toBe(200);
    expect((await call(cluster, `/api/v1/namespaces/${NS}/pods/web-2-build`)).status).toBe(404);
  });

  it('forgets the log of a deleted pod', async () => {
    const podPath = `/api/v1/namespaces/${NS}/pods/web-1-build`;
    expect((await call(cluster, `${podPath}/log`)).body).toContain('Push successful');
    expect((await call(cluster, podPath, { method: 'DELETE' })).status).toBe(200);
    const again = {
      metadata: { name: 'web-1-build' },
      spec: { containers: [{ name: 'docker-build', image: 'x' }] },
    };
    expect(
      (await call(cluster, `/api/v1/namespaces/${NS}/pods`, { method: 'POST', body: again }))
        .status,
    ).toBe(201);
    expect((await call(cluster, `${podPath}/log`)).body).toBe('');
  });

  it('refuses instantiate to users without the permission', async () => {
    const res = await call(
      cluster,
      `/apis/build.openshift.io/v1/namespaces/${NS}/buildconfigs/web/instantiate`,
      { method: 'POST', user: 'auditor', body: {} },
    );
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('cannot create resource "buildconfigs/instantiate"');
  });
});
