// The recorder's rules with a scripted API: what it reads, when it writes, how fast.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { effectivePolicy, type Pod } from '@userns-builds/core';
import { KubeClient, KubeError, tokenEndpoint } from '../kube/client';
import { createLogger } from '../log';
import { Metrics } from '../metrics';
import { LogCapture } from '../testing/harness';
import type { Clock } from './rate-limit';
import { VerdictRecorder, slimPod, stageOf } from './recorder';

const FIXTURES = join(__dirname, '..', '..', 'core', 'fixtures');
const USERNS_LOG = readFileSync(join(FIXTURES, 'build-userns.log'), 'utf8');

/** A finished build pod (and its Build's uid) numbered i, from core's OpenShift-shaped fixture. */
function finishedPod(i: number, fixture = 'docker-unprivileged'): Pod {
  const pod = JSON.parse(readFileSync(join(FIXTURES, `${fixture}.json`), 'utf8')) as Pod;
  const build = `app-${i}`;
  pod.metadata.name = `${build}-build`;
  pod.metadata.uid = `pod-uid-${i}`;
  pod.metadata.labels = { 'openshift.io/build.name': build };
  pod.metadata.ownerReferences = [
    {
      apiVersion: 'build.openshift.io/v1',
      kind: 'Build',
      name: build,
      uid: `build-uid-${i}`,
      controller: true,
    },
  ];
  pod.status = { phase: 'Succeeded' };
  return pod;
}

interface FakeBuild {
  uid: string;
  resourceVersion: number;
  annotations: Record<string, string>;
}

/** Scripted API: logs and Build metadata by name, request times on a virtual clock. */
class FakeApi {
  readonly builds = new Map<string, FakeBuild>();
  readonly requests: { method: string; path: string; at: number }[] = [];
  conflictsLeft = 0;
  log = USERNS_LOG;
  constructor(private readonly clock: Clock) {}

  addBuild(i: number, annotations: Record<string, string> = {}): void {
    this.builds.set(`app-${i}`, {
      uid: `build-uid-${i}`,
      resourceVersion: 1,
      annotations: { 'openshift.io/build.pod-name': `app-${i}-build`, ...annotations },
    });
  }

  async requestText(path: string): Promise<string> {
    this.requests.push({ method: 'GET', path, at: this.clock.now() });
    return this.log;
  }

  async request<T>(method: string, path: string, o: { body?: unknown }): Promise<T> {
    this.requests.push({ method, path, at: this.clock.now() });
    const name = decodeURIComponent(path.split('/').pop() ?? '');
    const build = this.builds.get(name);
    if (!build) throw new KubeError(404, 'NotFound', `builds "${name}" not found`);
    if (method === 'PATCH') {
      const meta = (o.body as { metadata: { resourceVersion: string; annotations: object } })
        .metadata;
      if (this.conflictsLeft > 0) {
        this.conflictsLeft--;
        build.resourceVersion++;
      }
      if (meta.resourceVersion !== String(build.resourceVersion)) {
        throw new KubeError(409, 'Conflict', 'the object has been modified');
      }
      // JSON merge patch: null removes the key.
      build.annotations = Object.fromEntries(
        Object.entries({ ...build.annotations, ...meta.annotations }).filter(([, v]) => v !== null),
      ) as Record<string, string>;
      build.resourceVersion++;
    }
    return {
      metadata: {
        name,
        uid: build.uid,
        resourceVersion: String(build.resourceVersion),
        annotations: { ...build.annotations },
      },
    } as T;
  }
}

/** Virtual time that lets every ready continuation run before it moves on. */
function virtualClock(): Clock {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms) => {
      await new Promise((r) => setImmediate(r));
      t += ms;
    },
  };
}

function setup(opts: { rate?: number } = {}) {
  const clock = virtualClock();
  const api = new FakeApi(clock);
  const metrics = new Metrics();
  const recorder = new VerdictRecorder({
    client: api,
    // The pod cache is fed by hand here; its client is never used.
    podClient: new KubeClient(tokenEndpoint('http://127.0.0.1:1', 'unused')),
    log: createLogger('warn', new LogCapture()),
    metrics,
    ratePerSecond: opts.rate ?? 1000,
    concurrency: 8,
    logBytes: 16384,
    clock,
  });
  const judgements = async (result: string) =>
    Number(
      new RegExp(`result="${result}"} (\\d+)`).exec(
        await metrics.registry.getSingleMetricAsString('userns_recorder_judgements_total'),
      )?.[1] ?? 0,
    );
  return { api, recorder, metrics, judgements };
}

describe('VerdictRecorder', () => {
  it('keeps a burst of 5,000 finished builds under N requests in any second', async () => {
    const { api, recorder, judgements } = setup({ rate: 100 });
    for (let i = 0; i < 5000; i++) api.addBuild(i);
    recorder.setLeading(true);
    for (let i = 0; i < 5000; i++) recorder.observe('ADDED', slimPod(finishedPod(i)));
    expect(recorder.backlog()).toBe(5000);
    await recorder.idle();

    expect(await judgements('written')).toBe(5000);
    expect(api.builds.get('app-4999')?.annotations['userns.builds.dev/verdict']).toBe(
      'UserNamespaced',
    );
    // One log read, one Build read and one patch each, and never more than 100 in a second.
    const times = api.requests.map((r) => r.at).sort((x, y) => x - y);
    expect(times).toHaveLength(15_000);
    const crowded = times.filter((t, i) => i + 100 < times.length && times[i + 100]! - t < 1000);
    expect(crowded).toEqual([]);
    // ...and it does not dawdle: 15,000 requests at 100/s take 149 windows of 1,001 ms.
    expect(times[times.length - 1]).toBe(149 * 1001);
  }, 60_000);

  it('reads only the start of the build container log', async () => {
    const { api, recorder } = setup();
    api.addBuild(1);
    recorder.setLeading(true);
    recorder.observe('ADDED', slimPod(finishedPod(1)));
    await recorder.idle();
    expect(api.requests[0]).toMatchObject({
      method: 'GET',
      path: '/api/v1/namespaces/myapp/pods/app-1-build/log?container=docker-build&limitBytes=16384',
    });
  });

  it('writes nothing when the Build already says the same, and judges a pod once', async () => {
    const { api, recorder, judgements } = setup();
    api.addBuild(1);
    recorder.setLeading(true);
    recorder.observe('ADDED', slimPod(finishedPod(1)));
    await recorder.idle();
    recorder.observe('MODIFIED', slimPod(finishedPod(1)));
    await recorder.idle();
    expect(await judgements('written')).toBe(1);
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);

    // A new leader (or a restart) looks again, and finds nothing to change.
    const second = setup();
    second.api.builds.set('app-1', { ...api.builds.get('app-1')! });
    second.recorder.setLeading(true);
    second.recorder.observe('ADDED', slimPod(finishedPod(1)));
    await second.recorder.idle();
    expect(await second.judgements('unchanged')).toBe(1);
    expect(second.api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it('retries a patch that meets a conflict, with the fresh version', async () => {
    const { api, recorder, judgements } = setup();
    api.addBuild(1);
    api.conflictsLeft = 2;
    recorder.setLeading(true);
    recorder.observe('ADDED', slimPod(finishedPod(1)));
    await recorder.idle();
    expect(await judgements('written')).toBe(1);
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(3);
    expect(api.builds.get('app-1')?.annotations['userns.builds.dev/verdict']).toBe(
      'UserNamespaced',
    );
  });

  it('does nothing while another replica leads', async () => {
    const { api, recorder } = setup();
    api.addBuild(1);
    recorder.observe('ADDED', slimPod(finishedPod(1)));
    await recorder.idle();
    recorder.observe('DELETED', slimPod(finishedPod(1)));
    await recorder.idle();
    expect(api.requests).toHaveLength(0);
    expect(recorder.backlog()).toBe(0);
  });

  it('never writes on a Build that does not own the pod', async () => {
    const { api, recorder, judgements } = setup();
    api.addBuild(1);
    api.builds.get('app-1')!.uid = 'a-newer-build-of-the-same-name';
    api.addBuild(2, { 'openshift.io/build.pod-name': 'someone-elses-pod' });
    recorder.setLeading(true);
    recorder.observe('ADDED', slimPod(finishedPod(1)));
    recorder.observe('ADDED', slimPod(finishedPod(2)));
    const orphan = slimPod(finishedPod(3));
    orphan.metadata.ownerReferences = [];
    recorder.observe('ADDED', orphan);
    await recorder.idle();
    expect(await judgements('skipped')).toBe(3);
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it('judges a pod deleted before it was judged from its spec alone', async () => {
    const { api, recorder } = setup();
    api.addBuild(1);
    recorder.setLeading(true);
    recorder.observe('DELETED', slimPod(finishedPod(1)));
    await recorder.idle();
    expect(api.requests.map((r) => r.method)).toEqual(['GET', 'PATCH']);
    expect(api.builds.get('app-1')?.annotations['userns.builds.dev/verdict']).toBe('Requested');
  });

  it('a forged line in a privileged build is recorded as Privileged', async () => {
    const { api, recorder } = setup();
    api.addBuild(1);
    api.log = readFileSync(join(FIXTURES, 'build-forged-userns.log'), 'utf8');
    recorder.setLeading(true);
    recorder.observe('ADDED', slimPod(finishedPod(1, 'docker-privileged')));
    await recorder.idle();
    expect(api.builds.get('app-1')?.annotations).toMatchObject({
      'userns.builds.dev/verdict': 'Privileged',
      'userns.builds.dev/evidence': 'Pod spec: container docker-build is privileged.',
    });
  });
});

describe("the record's binding to its Build", () => {
  const RECORDED_FOR = 'userns.builds.dev/recorded-for';
  const patches = (api: FakeApi) => api.requests.filter((r) => r.method === 'PATCH');
  /** What a Rebuild leaves on the new Build: another Build's record, with its uid. */
  const COPY = {
    'userns.builds.dev/verdict': 'UserNamespaced',
    'userns.builds.dev/evidence': 'Builder log: Started in kernel user namespace …',
    'userns.builds.dev/decision-source': 'Default',
    [RECORDED_FOR]: 'the-uid-of-the-build-it-repeats',
    'team.example.com/ticket': 'OPS-1',
  };
  const cached = (i: number, copiedRecord: boolean) => ({
    namespace: 'myapp',
    name: `app-${i}`,
    verdict: 'Unknown' as const,
    evidence: null,
    decisionSource: null,
    copiedRecord,
  });

  it('is written with the verdict, and counts in skip-if-equal: a record without it is written', async () => {
    const first = setup();
    first.api.addBuild(1);
    first.recorder.setLeading(true);
    first.recorder.observe('ADDED', slimPod(finishedPod(1)));
    await first.recorder.idle();
    expect(first.api.builds.get('app-1')?.annotations[RECORDED_FOR]).toBe('build-uid-1');
    // The same verdict, evidence and source, unbound (written before records were bound).
    const { api, recorder, judgements } = setup();
    const { [RECORDED_FOR]: _bound, ...unbound } = first.api.builds.get('app-1')!.annotations;
    api.builds.set('app-1', { uid: 'build-uid-1', resourceVersion: 1, annotations: unbound });
    recorder.setLeading(true);
    recorder.observe('ADDED', slimPod(finishedPod(1)));
    await recorder.idle();
    expect(await judgements('written')).toBe(1);
    expect(api.builds.get('app-1')?.annotations[RECORDED_FOR]).toBe('build-uid-1');
  });

  it('a copy the cache showed while following is removed on taking the lead, and nothing else', async () => {
    const { api, recorder } = setup();
    api.addBuild(1, COPY);
    api.addBuild(2, { ...COPY, [RECORDED_FOR]: 'build-uid-2' });
    recorder.observeBuild(cached(1, true));
    recorder.observeBuild(cached(2, false));
    await recorder.idle();
    expect(api.requests).toHaveLength(0); // followers never write
    recorder.setLeading(true);
    await recorder.idle();
    expect(patches(api)).toHaveLength(1);
    expect(api.builds.get('app-1')?.annotations).toEqual({
      'openshift.io/build.pod-name': 'app-1-build',
      'team.example.com/ticket': 'OPS-1',
    });
    // The bound record stays.
    expect(api.builds.get('app-2')?.annotations[RECORDED_FOR]).toBe('build-uid-2');
    // Seen again (its own update event): nothing left to remove, no second patch.
    recorder.observeBuild(cached(1, true));
    await recorder.idle();
    expect(patches(api)).toHaveLength(1);
  });

  it('a copy is left alone when the Build is bound by the time the leader looks', async () => {
    const { api, recorder } = setup();
    api.addBuild(1, { ...COPY, [RECORDED_FOR]: 'build-uid-1' });
    recorder.setLeading(true);
    recorder.observeBuild(cached(1, true)); // the cache was behind
    await recorder.idle();
    expect(patches(api)).toHaveLength(0);
    expect(api.builds.get('app-1')?.annotations[RECORDED_FOR]).toBe('build-uid-1');
  });

  it('a Build deleted before the leader looks is forgotten', async () => {
    const { api, recorder } = setup();
    api.addBuild(1, COPY);
    recorder.observeBuild(cached(1, true));
    recorder.forgetBuild(cached(1, true));
    recorder.setLeading(true);
    await recorder.idle();
    expect(api.requests).toHaveLength(0);
  });
});

describe('the decision source', () => {
  const SOURCE = 'userns.builds.dev/decision-source';
  const stamped = (i: number, source: string) => {
    const pod = finishedPod(i);
    pod.metadata.annotations = { ...pod.metadata.annotations, [SOURCE]: source };
    return slimPod(pod);
  };
  const patches = (api: FakeApi) => api.requests.filter((r) => r.method === 'PATCH');

  it("is copied from the pod's stamp onto the Build in the same patch as the verdict", async () => {
    const { api, recorder } = setup();
    api.addBuild(1);
    recorder.setLeading(true);
    recorder.observe('ADDED', stamped(1, 'Override'));
    await recorder.idle();
    expect(patches(api)).toHaveLength(1);
    expect(api.builds.get('app-1')?.annotations).toMatchObject({
      'userns.builds.dev/verdict': 'UserNamespaced',
      [SOURCE]: 'Override',
    });
  });

  it('counts in skip-if-equal: the same verdict with another source is written', async () => {
    const first = setup();
    first.api.addBuild(1);
    first.recorder.setLeading(true);
    first.recorder.observe('ADDED', stamped(1, 'Default'));
    await first.recorder.idle();
    // The Build already has this verdict and evidence, but from a pod stamped differently.
    const { api, recorder, judgements } = setup();
    api.builds.set('app-1', { ...first.api.builds.get('app-1')! });
    recorder.setLeading(true);
    recorder.observe('ADDED', stamped(1, 'Build'));
    await recorder.idle();
    expect(await judgements('written')).toBe(1);
    expect(api.builds.get('app-1')?.annotations[SOURCE]).toBe('Build');
    // ...and the same source again is left alone.
    const again = setup();
    again.api.builds.set('app-1', { ...api.builds.get('app-1')! });
    again.recorder.setLeading(true);
    again.recorder.observe('ADDED', stamped(1, 'Build'));
    await again.recorder.idle();
    expect(await again.judgements('unchanged')).toBe(1);
    expect(patches(again.api)).toHaveLength(0);
  });

  it('is never a value core could not have decided; a stamp the pod lacks is removed', async () => {
    const { api, recorder } = setup();
    api.addBuild(1, { [SOURCE]: 'Default' });
    api.addBuild(2);
    recorder.setLeading(true);
    recorder.observe('ADDED', slimPod(finishedPod(1)));
    recorder.observe('ADDED', stamped(2, '=HYPERLINK("http://evil")'));
    await recorder.idle();
    const sent = (name: string) =>
      api.requests.find((r) => r.method === 'PATCH' && r.path.endsWith(`/${name}`));
    expect(sent('app-1')).toBeDefined();
    expect(sent('app-2')).toBeDefined();
    // The fake API applies merge patches as the API server does: null removes the key.
    expect(api.builds.get('app-1')?.annotations).not.toHaveProperty(SOURCE);
    expect(api.builds.get('app-2')?.annotations).not.toHaveProperty(SOURCE);
  });
});

describe('stageOf and slimPod', () => {
  it('waits for the build container to start, and drops the env', () => {
    const pod = finishedPod(1);
    pod.status = { phase: 'Pending' };
    expect(stageOf(pod)).toBeUndefined();
    pod.status = {
      phase: 'Running',
      containerStatuses: [{ name: 'docker-build', state: { running: {} } }],
    };
    expect(stageOf(pod)).toBe('started');
    pod.status = { phase: 'Failed' };
    expect(stageOf(pod)).toBe('finished');
    expect(JSON.stringify(slimPod(finishedPod(1)))).not.toContain('"BUILD"');
  });
});

describe('privileged builds under a Required policy', () => {
  const required = (exempt: string[] = []) =>
    effectivePolicy({ userNamespaces: { override: 'Required', exemptNamespaces: exempt } });
  const counted = async (metrics: Metrics) =>
    Number(
      / (\d+)\n?$/.exec(
        await metrics.registry.getSingleMetricAsString(
          'userns_recorder_privileged_under_required_total',
        ),
      )?.[1],
    );

  it.each([
    ['counts one the policy required', required(), 'docker-privileged', 1],
    ['skips an exempt namespace', required(['ns']), 'docker-privileged', 0],
    ['skips a user-namespaced build', required(), 'docker-unprivileged', 0],
    ['skips when nothing is required', effectivePolicy({}), 'docker-privileged', 0],
  ])('%s', async (_what, policy, fixture, expected) => {
    const { api, recorder, metrics } = setup();
    api.addBuild(1);
    recorder.policyInForce = () => policy;
    const pod = finishedPod(1, fixture);
    pod.metadata.namespace = 'ns';
    recorder.setLeading(true);
    recorder.observe('ADDED', slimPod(pod));
    await recorder.idle();
    expect(await counted(metrics)).toBe(expected);
  });
});
