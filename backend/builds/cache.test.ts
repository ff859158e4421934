// The one Build cache: what a record keeps of a Build, and the service listing and watching Builds
// once for the webhook's lookups, the recorder and the compliance API together.
import { Agent } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../dev/cluster';
import { certDir, makeCert } from '../../testing/certs';
import { until } from '../../testing/until';
import { CSV_COLUMNS } from '../compliance/csv';
import { parseConfig } from '../config';
import { KubeClient, tokenEndpoint, type KubeEndpoint } from '../kube/client';
import { clusterSources } from '../kube/connect';
import { createLogger } from '../log';
import { startService, type ClusterSources, type RunningService } from '../service';
import { LogCapture, httpsSend } from '../testing/harness';
import { RECORDED_FOR_ANNOTATION as RECORDED_FOR } from '@userns-builds/core';
import { BUILDS_PATH, metadataOf, recordFromBuild, type BuildRecord } from './cache';

const build = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'build-with-verdict.json'), 'utf8'),
) as Parameters<typeof recordFromBuild>[0];

describe('a record', () => {
  it('is the compliance row, plus the annotations passthrough may copy and the buildconfig label', () => {
    const record = recordFromBuild(build) as BuildRecord;
    expect(record).toMatchObject({
      namespace: 'team-a',
      name: 'web-7',
      buildConfig: 'web',
      strategy: 'Docker',
      phase: 'Complete',
      verdict: 'Privileged',
      evidence: 'Pod spec: container docker-build is privileged.',
      decisionSource: 'Default',
      buildConfigLabel: 'web',
      copiedRecord: false,
    });
    // Our own annotations are in the row; a valid policy can never pass them through.
    expect(record.passthrough).toEqual({
      'openshift.io/build-config.name': 'web',
      'openshift.io/build.number': '7',
      'openshift.io/build.pod-name': 'web-7-build',
      'example.com/tier': 'gold',
    });
    // Nothing else of the object is kept: not its spec, status, other labels or managed fields.
    expect(Object.keys(record).sort()).toEqual(
      [...CSV_COLUMNS, 'createdMs', 'passthrough', 'buildConfigLabel', 'copiedRecord'].sort(),
    );
  });

  it('shows a record copied from another Build (a Rebuild) as not recorded, and flags it', () => {
    const copy = recordFromBuild({
      ...build,
      metadata: { ...build.metadata, name: 'web-8', uid: '6f1d2e3c-0b4a-4c5d-8e9f-a0b1c2d3e4f5' },
    }) as BuildRecord;
    expect(copy).toMatchObject({
      name: 'web-8',
      verdict: 'Unknown',
      evidence: null,
      decisionSource: null,
      copiedRecord: true,
    });
  });

  it('answers lookups in the shape passthrough reads, a copy each time', () => {
    const record = recordFromBuild(build) as BuildRecord;
    const meta = metadataOf(record);
    expect(meta).toEqual({
      name: 'web-7',
      namespace: 'team-a',
      annotations: record.passthrough,
      labels: { buildconfig: 'web' },
    });
    meta.annotations!['example.com/tier'] = 'changed';
    expect(record.passthrough?.['example.com/tier']).toBe('gold');
  });

  it('keeps nothing that is not a string, and nothing for an object without a name', () => {
    const odd = recordFromBuild({
      metadata: {
        name: 'x',
        namespace: 'team-a',
        annotations: { a: 1, b: 'ok' } as unknown as Record<string, string>,
        labels: { buildconfig: ['web'] } as unknown as Record<string, string>,
      },
    });
    expect([odd?.passthrough, odd?.buildConfigLabel]).toEqual([{ b: 'ok' }, undefined]);
    expect(recordFromBuild({ metadata: { namespace: 'team-a' } })).toBeUndefined();
  });
});

describe('the service', () => {
  const cert = makeCert();
  const agent = new Agent({ keepAlive: false, ca: cert.cert });
  let cluster: Cluster;
  let admin: KubeClient;
  let service: RunningService;
  let sources: ClusterSources;
  /** Requests for the cluster-wide Build collection: lists and watches. */
  const collection: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ seed: false, buildTimer: { stepMs: 60_000 } });
    admin = new KubeClient(tokenEndpoint(cluster.url, cluster.tokens.admin));
    await admin.request('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
      timeoutMs: 5000,
    });
    const tls = certDir(cert);
    const parsed = parseConfig(
      [
        ...['--tls-cert', tls.certPath, '--tls-key', tls.keyPath, '--kubeconfig', '/unused'],
        ...['--port', '0', '--host', '127.0.0.1', '--namespace', 'userns-builds'],
      ],
      {},
      { serviceAccountNamespace: () => undefined },
    );
    if (parsed.help) throw new Error('unexpected --help');
    const backend = tokenEndpoint(cluster.url, cluster.tokens.backend);
    const counting: KubeEndpoint = {
      server: backend.server,
      async prepare(opts) {
        if (opts.path?.startsWith(`${BUILDS_PATH}?`)) collection.push(opts.path);
        await backend.prepare(opts);
      },
    };
    const log = createLogger('warn', new LogCapture());
    service = await startService(parsed.config, log, (metrics) => {
      sources = clusterSources(counting, parsed.config, log, metrics);
      return sources;
    });
  });
  afterAll(async () => {
    await service?.stop(500);
    agent.destroy();
    admin?.close();
    await cluster?.stop();
  });

  it('lists and watches Builds once for the lookup, the recorder and the compliance API', async () => {
    await until(
      async () => (await httpsSend({ port: service.port, agent }, 'GET', '/readyz')).status === 200,
      'the backend is ready',
    );
    expect(sources.recorder).toBeDefined();
    const told = jest.spyOn(sources.recorder!.recorder, 'observeBuild');
    const created = await admin.request(
      'POST',
      `/apis/build.openshift.io/v1/namespaces/team-a/builds`,
      {
        body: { ...build, metadata: { ...build.metadata, resourceVersion: undefined } },
        timeoutMs: 5000,
      },
    );
    expect(created).toBeDefined();
    // A new Build gets a new uid: bind the fixture's record to it, as the recorder would have.
    const uid = (created as { metadata: { uid: string } }).metadata.uid;
    await admin.request('PATCH', `/apis/build.openshift.io/v1/namespaces/team-a/builds/web-7`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { annotations: { ...build.metadata!.annotations, [RECORDED_FOR]: uid } } },
      timeoutMs: 5000,
    });

    // The webhook's lookup answers from the cache...
    await until(
      async () => (await sources.metadata.get('Build', 'team-a', 'web-7')).kind === 'found',
      'the lookup finds the new Build',
    );
    expect(await sources.metadata.get('Build', 'team-a', 'web-7')).toMatchObject({
      kind: 'found',
      meta: { annotations: { 'example.com/tier': 'gold' }, labels: { buildconfig: 'web' } },
    });
    // ...the recorder is told what the Build says...
    await until(
      () => told.mock.calls.at(-1)?.[0].verdict === 'Privileged',
      'the recorder hears of the Build',
    );
    expect(told.mock.calls.at(-1)?.[0]).toMatchObject({
      namespace: 'team-a',
      name: 'web-7',
      verdict: 'Privileged',
      decisionSource: 'Default',
    });
    // ...and the compliance API answers from the same records.
    const rows = await httpsSend(
      { port: service.port, agent },
      'GET',
      '/api/v1/compliance/builds?namespace=team-a',
      undefined,
      { authorization: `Bearer ${cluster.tokens.auditor}` },
    );
    expect(rows.json().items).toEqual([
      expect.objectContaining({ name: 'web-7', verdict: 'Privileged', decisionSource: 'Default' }),
    ]);
    expect(sources.builds.cache.index.rows('created')[0]).toBe(
      sources.builds.cache.get('team-a', 'web-7'),
    );

    const lists = collection.filter((p) => !p.includes('watch=true'));
    const watches = collection.filter((p) => p.includes('watch=true'));
    expect([lists.length, watches.length]).toEqual([1, 1]);
  });
});
