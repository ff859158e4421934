// /mutate over the wire: the real HTTPS server, realistic OpenShift build-pod reviews, and the
// patch applied with a real RFC 6902 library exactly as the API server would.
import { applyPatch } from 'fast-json-patch';
import {
  DECISION_ANNOTATION,
  DECISION_SOURCE_ANNOTATION,
  effectivePolicy,
  type BuildPolicySpec,
} from '@userns-builds/core';
import { StaticMetadataLookup, type LookupResult, type MetadataLookup } from './metadata/lookup';
import { StaticPolicySource, type PolicySource } from './policy/source';
import {
  BUILD_REVIEW_FIXTURES,
  loadReview,
  patchOf,
  startTestServer,
  type ReviewFixture,
  type TestServer,
} from './testing/harness';

function policy(spec: BuildPolicySpec | undefined, generation = 3): StaticPolicySource {
  return new StaticPolicySource({
    policy: spec ? effectivePolicy(spec) : undefined,
    generation: spec ? generation : 0,
  });
}

/** Swappable per test, so one server serves the whole file. */
class SwitchPolicy implements PolicySource {
  inner: PolicySource = policy(undefined);
  current() {
    return this.inner.current();
  }
  synced() {
    return this.inner.synced();
  }
  async start() {}
  stop() {}
}

class SwitchMetadata implements MetadataLookup {
  inner: MetadataLookup = new StaticMetadataLookup(new Map());
  get(...args: Parameters<MetadataLookup['get']>) {
    return this.inner.get(...args);
  }
  synced() {
    return this.inner.synced();
  }
  async start() {}
  stop() {}
}

const switchPolicy = new SwitchPolicy();
const switchMetadata = new SwitchMetadata();
let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer({
    policy: switchPolicy,
    metadata: switchMetadata,
    ownNamespace: 'userns-builds',
    maxBodyBytes: 256 * 1024,
  });
});
afterAll(() => srv.stop());
beforeEach(() => {
  switchPolicy.inner = policy(undefined);
  switchMetadata.inner = new StaticMetadataLookup(new Map());
});

/** Sends a review; checks the envelope every answer must have; returns answer and patched pod. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function admit(review: any) {
  const answer = await srv.review(review);
  expect(answer.apiVersion).toBe('admission.k8s.io/v1');
  expect(answer.kind).toBe('AdmissionReview');
  expect(answer.response.uid).toBe(review.request.uid);
  const ops = patchOf(answer);
  if (answer.response.patch !== undefined) {
    expect(answer.response.patchType).toBe('JSONPatch');
    expect(ops.length).toBeGreaterThan(0);
  } else {
    expect(answer.response.patchType).toBeUndefined();
  }
  for (const w of answer.response.warnings ?? []) expect(w.length).toBeLessThan(120);
  const pod = applyPatch(structuredClone(review.request.object), ops, true, false).newDocument;
  return { answer, ops, pod };
}

const privileged = (c: { securityContext?: { privileged?: boolean } }) =>
  c.securityContext?.privileged === true;

describe('decision sources over the wire', () => {
  test('no BuildPolicy: every build pod passes unchanged', async () => {
    for (const name of BUILD_REVIEW_FIXTURES) {
      const { answer } = await admit(loadReview(name));
      expect(answer.response.allowed).toBe(true);
      expect(answer.response.patch).toBeUndefined();
    }
  });

  test.each([
    'review-docker-privileged',
    'review-source-privileged',
    'review-custom-privileged',
  ] as ReviewFixture[])(
    'Default Enabled turns %s into the unprivileged user-namespace shape',
    async (name) => {
      switchPolicy.inner = policy({ userNamespaces: { default: 'Enabled' } });
      const { answer, pod } = await admit(loadReview(name));
      expect(answer.response.allowed).toBe(true);
      expect(pod.metadata.annotations[DECISION_ANNOTATION]).toBe('true');
      expect(pod.metadata.annotations[DECISION_SOURCE_ANNOTATION]).toBe('Default');
      expect(pod.metadata.annotations['io.kubernetes.cri-o.userns-mode']).toBe('auto:size=65536');
      expect(pod.metadata.annotations['io.openshift.builder']).toBe('');
      expect(pod.spec.containers.some(privileged)).toBe(false);
      expect(pod.spec.containers[0].securityContext.capabilities.add).toEqual(['CAP_SETFCAP']);
      // the git-clone/manage-dockerfile minimal context is OpenShift's and stays as it is
      for (const init of pod.spec.initContainers ?? [])
        expect(init.securityContext.capabilities.drop).toEqual(['ALL']);
    },
  );

  test('Build: BUILD_PRIVILEGED=false in the strategy env wins over a Disabled default', async () => {
    switchPolicy.inner = policy({ userNamespaces: { default: 'Disabled' } });
    const { pod } = await admit(loadReview('review-docker-build-opt-in'));
    expect(pod.metadata.annotations[DECISION_SOURCE_ANNOTATION]).toBe('Build');
    expect(pod.metadata.annotations[DECISION_ANNOTATION]).toBe('true');
    expect(pod.spec.containers.some(privileged)).toBe(false);
  });

  test('Build: BUILD_PRIVILEGED=true opts out of an Enabled default', async () => {
    switchPolicy.inner = policy({ userNamespaces: { default: 'Enabled' } });
    const { pod } = await admit(loadReview('review-source-build-opt-out'));
    expect(pod.metadata.annotations[DECISION_SOURCE_ANNOTATION]).toBe('Build');
    expect(pod.metadata.annotations[DECISION_ANNOTATION]).toBe('false');
    expect(pod.spec.containers.some(privileged)).toBe(true);
  });

  test('Override Required converts a build that asked to be privileged', async () => {
    switchPolicy.inner = policy({ userNamespaces: { default: 'Disabled', override: 'Required' } });
    const { pod } = await admit(loadReview('review-source-build-opt-out'));
    expect(pod.metadata.annotations[DECISION_SOURCE_ANNOTATION]).toBe('Override');
    expect(pod.spec.containers.some(privileged)).toBe(false);
  });

  test('HostUsers mode adds hostUsers: false', async () => {
    switchPolicy.inner = policy({ userNamespaces: { default: 'Enabled', mode: 'Both' } });
    const { pod } = await admit(loadReview('review-docker-privileged'));
    expect(pod.spec.hostUsers).toBe(false);
  });

  test('exempt namespaces and non-build pods are never touched', async () => {
    switchPolicy.inner = policy({
      userNamespaces: { default: 'Enabled', override: 'Required', exemptNamespaces: ['team-b'] },
      buildOverrides: { annotations: { 'example.com/team': 'x' } },
    });
    const exempt = await admit(loadReview('review-custom-privileged')); // namespace team-b
    expect(exempt.answer.response.patch).toBeUndefined();
    const plain = await admit(loadReview('review-plain-pod'));
    expect(plain.answer.response.patch).toBeUndefined();
  });

  test('the backend’s own namespace is never touched, whatever the policy', async () => {
    switchPolicy.inner = policy({ userNamespaces: { default: 'Enabled', override: 'Required' } });
    const review = loadReview('review-docker-privileged');
    review.request.namespace = 'userns-builds';
    const { answer } = await admit(review);
    expect(answer.response.patch).toBeUndefined();
  });

  test('defaults only fill gaps, overrides always win', async () => {
    switchPolicy.inner = policy({
      buildDefaults: {
        annotations: { 'openshift.io/scc': 'ignored', 'example.com/cost-center': 'cc-1' },
      },
      buildOverrides: { annotations: { 'example.com/owner': 'platform' } },
    });
    const { pod } = await admit(loadReview('review-docker-privileged'));
    expect(pod.metadata.annotations['openshift.io/scc']).toBe('privileged');
    expect(pod.metadata.annotations['example.com/cost-center']).toBe('cc-1');
    expect(pod.metadata.annotations['example.com/owner']).toBe('platform');
  });
});

describe('idempotence', () => {
  const specs: BuildPolicySpec[] = [
    { userNamespaces: { default: 'Enabled' } },
    { userNamespaces: { default: 'Disabled', override: 'Required', mode: 'Both' } },
    {
      userNamespaces: { default: 'Enabled', mode: 'HostUsers' },
      buildDefaults: { annotations: { 'a.example.com/x': '1' } },
    },
    {
      buildOverrides: { annotations: { 'example.com/owner': 'platform' } },
      passthroughAnnotations: ['example.com/tier'],
    },
  ];
  test.each(specs.map((s, i) => [i, s] as const))(
    'policy %i: feeding the patched pod back yields no patch',
    async (_i, spec) => {
      switchPolicy.inner = policy(spec);
      for (const name of BUILD_REVIEW_FIXTURES) {
        const review = loadReview(name);
        const first = await admit(review);
        review.request.object = first.pod;
        review.request.uid = `${review.request.uid}-again`;
        const second = await admit(review);
        expect({ name, ops: second.ops }).toEqual({ name, ops: [] });
      }
    },
  );
});

describe('blocked pods', () => {
  test('override Required + a pod that cannot take hostUsers: denied, naming reason and exemption', async () => {
    switchPolicy.inner = policy({ userNamespaces: { override: 'Required', mode: 'HostUsers' } });
    const review = loadReview('review-docker-privileged');
    review.request.object.spec.hostNetwork = true;
    const { answer } = await admit(review);
    expect(answer.response.allowed).toBe(false);
    expect(answer.response.patch).toBeUndefined();
    expect(answer.response.status.code).toBe(403);
    expect(answer.response.status.message).toMatch(/hostNetwork/);
    expect(answer.response.status.message).toMatch(/exemptNamespaces/);
    expect(answer.response.status.message).toMatch(/"team-a"/);
  });

  test('the same pod under a mere default is allowed, with a warning saying why', async () => {
    switchPolicy.inner = policy({ userNamespaces: { default: 'Enabled', mode: 'HostUsers' } });
    const review = loadReview('review-docker-privileged');
    review.request.object.spec.hostNetwork = true;
    const { answer, pod } = await admit(review);
    expect(answer.response.allowed).toBe(true);
    expect(answer.response.warnings.join(' ')).toMatch(/not applied/);
    expect(pod.spec.containers.some(privileged)).toBe(true);
  });
});

describe('dry run', () => {
  test('a dry-run review gets exactly the answer of the real one', async () => {
    switchPolicy.inner = policy({
      userNamespaces: { default: 'Enabled' },
      passthroughAnnotations: ['example.com/tier'],
    });
    const calls: string[] = [];
    switchMetadata.inner = {
      async get(kind, ns, name): Promise<LookupResult> {
        calls.push(`${kind}/${ns}/${name}`);
        return { kind: 'found', meta: { annotations: { 'example.com/tier': 'gold' } } };
      },
      synced: () => true,
      start: async () => {},
      stop: () => {},
    };
    const real = await admit(loadReview('review-docker-privileged'));
    const dry = loadReview('review-docker-privileged');
    dry.request.dryRun = true;
    const dryAnswer = await admit(dry);
    expect(dryAnswer.answer).toEqual(real.answer);
    // reads only: the same lookups, nothing written anywhere
    expect(calls).toEqual([
      'Build/team-a/frontend-7',
      'BuildConfig/team-a/frontend',
      'Build/team-a/frontend-7',
      'BuildConfig/team-a/frontend',
    ]);
  });
});

describe('passthrough metadata', () => {
  const key = StaticMetadataLookup.key;
  test('allowlisted Build and BuildConfig annotations reach the pod', async () => {
    switchPolicy.inner = policy({
      passthroughAnnotations: ['example.com/tier', 'example.com/team'],
    });
    switchMetadata.inner = new StaticMetadataLookup(
      new Map<string, LookupResult>([
        [
          key('Build', 'team-a', 'frontend-7'),
          {
            kind: 'found',
            meta: { annotations: { 'example.com/tier': 'gold', 'example.com/secret': 'no' } },
          },
        ],
        [
          key('BuildConfig', 'team-a', 'frontend'),
          { kind: 'found', meta: { annotations: { 'example.com/team': 'web' } } },
        ],
      ]),
    );
    const { pod } = await admit(loadReview('review-docker-privileged'));
    expect(pod.metadata.annotations['example.com/tier']).toBe('gold');
    expect(pod.metadata.annotations['example.com/team']).toBe('web');
    expect(pod.metadata.annotations['example.com/secret']).toBeUndefined();
  });

  test('a lookup that times out: allowed without passthrough, with a short warning', async () => {
    switchPolicy.inner = policy({ passthroughAnnotations: ['example.com/tier'] });
    switchMetadata.inner = new StaticMetadataLookup(
      new Map<string, LookupResult>([
        [key('Build', 'team-a', 'frontend-7'), { kind: 'unavailable', why: 'timeout' }],
        [key('BuildConfig', 'team-a', 'frontend'), { kind: 'found', meta: { annotations: {} } }],
      ]),
    );
    const review = loadReview('review-docker-privileged');
    // Even the Build embedded in the pod must not be used as a stand-in for the timed-out lookup.
    const env = review.request.object.spec.containers[0].env.find(
      (e: { name: string }) => e.name === 'BUILD',
    );
    const build = JSON.parse(env.value);
    build.metadata.annotations['example.com/tier'] = 'embedded';
    env.value = JSON.stringify(build);
    const { answer, pod } = await admit(review);
    expect(answer.response.allowed).toBe(true);
    expect(answer.response.warnings).toEqual([
      expect.stringMatching(/Build frontend-7 lookup timed out/),
    ]);
    expect(pod.metadata.annotations['example.com/tier']).toBeUndefined();
  });

  test('a throttled lookup: allowed without passthrough, the warning says throttled', async () => {
    switchPolicy.inner = policy({ passthroughAnnotations: ['example.com/tier'] });
    switchMetadata.inner = new StaticMetadataLookup(
      new Map<string, LookupResult>([
        [key('Build', 'team-a', 'frontend-7'), { kind: 'unavailable', why: 'throttled' }],
      ]),
    );
    const { answer, pod } = await admit(loadReview('review-docker-privileged'));
    expect(answer.response.allowed).toBe(true);
    expect(answer.response.warnings).toEqual([
      expect.stringMatching(/Build frontend-7 lookup throttled; passthrough annotations skipped/),
    ]);
    expect(pod.metadata.annotations['example.com/tier']).toBeUndefined();
  });

  test('a passthrough value that would map to host root is dropped with a warning', async () => {
    switchPolicy.inner = policy({
      userNamespaces: { default: 'Enabled' },
      passthroughAnnotations: ['io.kubernetes.cri-o.userns-mode'],
    });
    switchMetadata.inner = new StaticMetadataLookup(
      new Map<string, LookupResult>([
        [
          key('Build', 'team-a', 'frontend-7'),
          {
            kind: 'found',
            meta: {
              annotations: { 'io.kubernetes.cri-o.userns-mode': 'auto;uidmapping=0:0:65536' },
            },
          },
        ],
      ]),
    );
    const { answer, pod } = await admit(loadReview('review-docker-privileged'));
    expect(pod.metadata.annotations['io.kubernetes.cri-o.userns-mode']).toBe('auto:size=65536');
    expect(answer.response.warnings?.length).toBeGreaterThan(0);
  });
});

describe('bad input', () => {
  const mutate = (body: string | Buffer, headers?: Record<string, string>) =>
    srv.send('POST', '/mutate', body, headers);
  const expectStatus = async (p: ReturnType<typeof mutate>, code: number, message: RegExp) => {
    const res = await p;
    expect(res.status).toBe(code);
    const body = res.json();
    expect(body).toMatchObject({ kind: 'Status', status: 'Failure', code });
    expect(body.message).toMatch(message);
  };

  test('malformed JSON → 400', () =>
    expectStatus(mutate('{"apiVersion": "admission'), 400, /not valid JSON/));
  test('not an object → 400', () => expectStatus(mutate('[1,2,3]'), 400, /AdmissionReview/));
  test('wrong apiVersion → 400', async () => {
    const review = loadReview('review-docker-privileged');
    review.apiVersion = 'admission.k8s.io/v1beta1';
    await expectStatus(mutate(JSON.stringify(review)), 400, /admission.k8s.io\/v1/);
  });
  test('wrong kind → 400', async () => {
    const review = loadReview('review-docker-privileged');
    review.kind = 'Pod';
    await expectStatus(mutate(JSON.stringify(review)), 400, /AdmissionReview/);
  });
  test('missing request → 400', () =>
    expectStatus(
      mutate(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' })),
      400,
      /no request/,
    ));
  test('missing uid → 400', async () => {
    const review = loadReview('review-docker-privileged');
    delete review.request.uid;
    await expectStatus(mutate(JSON.stringify(review)), 400, /uid/);
  });
  test('GET /mutate → 405 with Allow', async () => {
    const res = await srv.send('GET', '/mutate');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });
  test('unknown path → 404; the compliance API is reserved', async () => {
    expect((await srv.send('GET', '/nope')).status).toBe(404);
    expect((await srv.send('POST', '/mutate/extra', '{}')).status).toBe(404);
    expect((await srv.send('GET', '/api/v1/builds')).json().reason).toBe('NotFound');
  });

  test('a declared body over the cap → 413 without keeping it', async () => {
    const big = Buffer.alloc(300 * 1024, 0x20);
    await expectStatus(mutate(big), 413, /larger than/);
  });
  test('a chunked body that grows over the cap → 413', async () => {
    const big = Buffer.alloc(300 * 1024, 0x20);
    await expectStatus(mutate(big, { 'transfer-encoding': 'chunked' }), 413, /larger than/);
  });

  test('non-pod resources and other operations are allowed unchanged', async () => {
    switchPolicy.inner = policy({ userNamespaces: { default: 'Enabled', override: 'Required' } });
    const secret = loadReview('review-docker-privileged');
    secret.request.resource = { group: '', version: 'v1', resource: 'secrets' };
    expect((await admit(secret)).answer.response).toEqual({
      uid: secret.request.uid,
      allowed: true,
    });
    const update = loadReview('review-docker-privileged');
    update.request.operation = 'UPDATE';
    expect((await admit(update)).answer.response.patch).toBeUndefined();
    const sub = loadReview('review-docker-privileged');
    sub.request.subResource = 'ephemeralcontainers';
    expect((await admit(sub)).answer.response.patch).toBeUndefined();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reviews are edited freely
  test.each<[string, (o: any) => void]>([
    ['no object', (r) => delete r.request.object],
    ['no spec', (r) => delete r.request.object.spec],
    ['no containers', (r) => delete r.request.object.spec.containers],
    ['containers null', (r) => (r.request.object.spec.containers = null)],
    ['empty containers', (r) => (r.request.object.spec.containers = [])],
    ['container without name', (r) => delete r.request.object.spec.containers[0].name],
    ['null securityContext', (r) => (r.request.object.spec.containers[0].securityContext = null)],
    ['env null', (r) => (r.request.object.spec.containers[0].env = null)],
    ['BUILD env not JSON', (r) => (r.request.object.spec.containers[0].env[0].value = '{not json')],
    ['BUILD env a number', (r) => (r.request.object.spec.containers[0].env[0].value = 42)],
    ['annotations null', (r) => (r.request.object.metadata.annotations = null)],
    [
      'labels with a number',
      (r) => (r.request.object.metadata.labels['openshift.io/build.name'] = 7),
    ],
    ['metadata a string', (r) => (r.request.object.metadata = 'pod')],
    ['initContainers an object', (r) => (r.request.object.spec.initContainers = { a: 1 })],
  ])('odd pod shape (%s): 200, allowed, any patch applies', async (_name, edit) => {
    switchPolicy.inner = policy({
      userNamespaces: { default: 'Enabled' },
      buildDefaults: { annotations: { 'example.com/a': 'b' } },
    });
    const review = loadReview('review-docker-privileged');
    edit(review);
    const res = await srv.send('POST', '/mutate', JSON.stringify(review));
    expect(res.status).toBe(200);
    const answer = res.json();
    expect(answer.response.allowed).toBe(true);
    expect(answer.response.uid).toBe(review.request.uid);
    if (answer.response.patch)
      applyPatch(structuredClone(review.request.object), patchOf(answer), true, false);
  });

  test('a failure inside the review is allowed unchanged with a warning and an error log', async () => {
    switchPolicy.inner = {
      current: () => {
        throw new Error('boom');
      },
      synced: () => true,
      start: async () => {},
      stop: () => {},
    };
    const review = loadReview('review-docker-privileged');
    const { answer } = await admit(review);
    expect(answer.response).toEqual({
      uid: review.request.uid,
      allowed: true,
      warnings: [expect.stringMatching(/internal error/)],
    });
    const errors = srv.logs.records().filter((r) => r.level >= 50 && r.uid === review.request.uid);
    expect(errors).toHaveLength(1);
  });
});

describe('operations', () => {
  test('healthz, readyz and metrics', async () => {
    expect((await srv.send('GET', '/healthz')).status).toBe(200);
    expect((await srv.send('GET', '/readyz')).status).toBe(200);
    switchPolicy.inner = {
      ...policy({}),
      synced: () => false,
      current: () => ({ policy: undefined, generation: 0 }),
      start: async () => {},
      stop: () => {},
    };
    const notReady = await srv.send('GET', '/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.json().checks.policy).toBe(false);

    // The Build/BuildConfig caches count too: passthrough would miss annotations until synced.
    switchPolicy.inner = policy({});
    switchMetadata.inner = Object.assign(new StaticMetadataLookup(new Map()), {
      synced: () => false,
    });
    const cachesCold = await srv.send('GET', '/readyz');
    expect(cachesCold.status).toBe(503);
    expect(cachesCold.json().checks).toEqual({ policy: true, metadata: false, draining: false });
    switchMetadata.inner = new StaticMetadataLookup(new Map());

    // Draining (SIGTERM): not ready, so the Service stops sending reviews here.
    srv.app.draining = true;
    try {
      expect((await srv.send('GET', '/readyz')).status).toBe(503);
    } finally {
      srv.app.draining = false;
    }
    expect((await srv.send('GET', '/readyz')).status).toBe(200);

    switchPolicy.inner = policy({ userNamespaces: { default: 'Enabled' } }, 42);
    await admit(loadReview('review-docker-privileged'));
    const metrics = await srv.send('GET', '/metrics');
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.text).toMatch(
      /userns_webhook_reviews_total\{outcome="patched",source="Default"\} \d+/,
    );
    expect(metrics.text).toMatch(/userns_webhook_review_duration_seconds_bucket/);
    expect(metrics.text).toMatch(/userns_webhook_policy_generation 42/);
  });

  test('logs carry the review uid and never the BUILD env var or its contents', async () => {
    switchPolicy.inner = policy({ userNamespaces: { default: 'Enabled' } });
    const review = loadReview('review-docker-privileged');
    await admit(review);
    const mine = srv.logs.records().filter((r) => r.uid === review.request.uid);
    expect(mine.length).toBeGreaterThan(0);
    const all = srv.logs.lines.join('\n');
    expect(all).not.toMatch(/builder-dockercfg/);
    expect(all).not.toMatch(/"BUILD"/);
  });
});

// Anyone who may create pods can label one as a build pod and give it CRI-O annotations; these
// are the attacks that worked before the webhook checked the creator and the pod's own values.
describe('hostile build-labelled pods', () => {
  const HOSTILE = {
    'io.kubernetes.cri-o.userns-mode': 'auto:uidmapping=0:0:65536',
    'io.kubernetes.cri-o.Devices': '/dev/kmem:rwm,/dev/mem:rwm',
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const withAnnotations = (review: any, extra: Record<string, string>) => {
    const meta = review.request.object.metadata;
    meta.annotations = { ...meta.annotations, ...extra };
    return review;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const asUser = (review: any, username: string) => {
    review.request.userInfo = { username, groups: ['system:authenticated'] };
    return review;
  };
  const RESTRICTED = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };

  test('the build controller: its own unsafe CRI-O values are replaced, with warnings', async () => {
    switchPolicy.inner = policy({ userNamespaces: { default: 'Enabled' } });
    const review = withAnnotations(loadReview('review-docker-privileged'), HOSTILE);
    const { answer, pod } = await admit(review);
    expect(pod.metadata.annotations).toMatchObject({
      'io.openshift.builder': '',
      'io.kubernetes.cri-o.userns-mode': 'auto:size=65536',
      'io.kubernetes.cri-o.Devices': '/dev/fuse:rwm',
      [DECISION_ANNOTATION]: 'true',
    });
    expect(answer.response.warnings).toEqual([
      expect.stringMatching(/^Replaced the pod's own io.kubernetes.cri-o.userns-mode/),
      expect.stringMatching(/^Replaced the pod's own io.kubernetes.cri-o.Devices/),
    ]);
  });

  test('keep-id on a root build is replaced too', async () => {
    switchPolicy.inner = policy({ userNamespaces: { override: 'Required' } });
    const review = withAnnotations(loadReview('review-docker-privileged'), {
      'io.kubernetes.cri-o.userns-mode': 'keep-id',
    });
    const { answer, pod } = await admit(review);
    expect(answer.response.allowed).toBe(true);
    expect(pod.metadata.annotations['io.kubernetes.cri-o.userns-mode']).toBe('auto:size=65536');
  });

  test('another user: no patch at all, and a warning saying why', async () => {
    switchPolicy.inner = policy({ userNamespaces: { default: 'Enabled' } });
    const review = asUser(withAnnotations(loadReview('review-docker-privileged'), HOSTILE), 'dev');
    review.request.object.spec.containers[0].securityContext = structuredClone(RESTRICTED);
    review.request.uid = 'b1c0ffee-0000-4000-8000-000000000001';
    const { answer, ops } = await admit(review);
    expect(answer.response.allowed).toBe(true);
    expect(ops).toEqual([]);
    expect(answer.response.warnings).toEqual([
      'userns-builds: pod not created by the build controller; left unchanged',
    ]);
    const lines = srv.logs.records().filter((r) => r.uid === review.request.uid);
    expect(lines.map((l) => [l.source, l.creator])).toEqual([['UntrustedCreator', 'dev']]);
  });

  test('another user under override Required: denied if it carries the builder annotation with unsafe values', async () => {
    switchPolicy.inner = policy({ userNamespaces: { override: 'Required' } });
    const hostile = asUser(
      withAnnotations(loadReview('review-docker-privileged'), {
        ...HOSTILE,
        'io.openshift.builder': '',
      }),
      'dev',
    );
    const { answer } = await admit(hostile);
    expect(answer.response.allowed).toBe(false);
    expect(answer.response.status.code).toBe(403);
    expect(answer.response.status.message).toMatch(/override: Required/);
    expect(answer.response.status.message).toMatch(/host UID 0/);
    expect(answer.response.status.message).toMatch(/"dev", not by the build controller/);

    // Without the builder annotation CRI-O ignores the values: allowed, untouched.
    const ignored = asUser(withAnnotations(loadReview('review-docker-privileged'), HOSTILE), 'dev');
    const { answer: allowed, ops } = await admit(ignored);
    expect(allowed.response.allowed).toBe(true);
    expect(ops).toEqual([]);
  });

  test('a trusted creator list from the configuration replaces the default', async () => {
    const custom = await startTestServer({
      policy: policy({ userNamespaces: { default: 'Enabled' } }),
      trustedCreators: ['ci-bot'],
    });
    try {
      const controller = await custom.review(loadReview('review-docker-privileged'));
      expect(patchOf(controller)).toEqual([]);
      const bot = await custom.review(asUser(loadReview('review-docker-privileged'), 'ci-bot'));
      expect(patchOf(bot).length).toBeGreaterThan(0);
    } finally {
      await custom.stop();
    }
  });

  test('the build controller: a build container that is not privileged keeps its context', async () => {
    switchPolicy.inner = policy({ userNamespaces: { override: 'Required' } });
    const review = loadReview('review-docker-privileged');
    review.request.object.spec.containers[0].securityContext = structuredClone(RESTRICTED);
    const { ops, pod } = await admit(review);
    expect(ops.filter((o) => o.path.includes('securityContext'))).toEqual([]);
    expect(pod.spec.containers[0].securityContext).toEqual(RESTRICTED);
  });

  test("OpenShift's own privileged build pods still become exactly its BUILD_PRIVILEGED=false shape", async () => {
    switchPolicy.inner = policy({ userNamespaces: { default: 'Enabled' } });
    const { pod } = await admit(loadReview('review-docker-privileged'));
    expect(pod.spec.containers[0].securityContext).toEqual({
      privileged: false,
      seccompProfile: { type: 'Unconfined' },
      capabilities: { add: ['CAP_SETFCAP'], drop: ['CAP_KILL', 'CAP_MKNOD'] },
    });
  });
});

describe('runtimeEvidence', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const logLevels = (pod: any): unknown[] =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    pod.spec.containers[0].env.filter((e: any) => e.name === 'BUILD_LOGLEVEL');
  /** The fixture's build container without BUILD_LOGLEVEL: a build that chose no level. */
  const withoutLevel = (name: ReviewFixture) => {
    const review = loadReview(name);
    const container = review.request.object.spec.containers[0];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    container.env = container.env.filter((e: any) => e.name !== 'BUILD_LOGLEVEL');
    return review;
  };

  test('Enabled sets BUILD_LOGLEVEL=2 on a build container without one, once', async () => {
    switchPolicy.inner = policy({
      userNamespaces: { default: 'Enabled' },
      runtimeEvidence: 'Enabled',
    });
    for (const name of ['review-docker-privileged', 'review-source-build-opt-out'] as const) {
      const review = withoutLevel(name);
      const { pod, ops } = await admit(review);
      expect(ops).toContainEqual({
        op: 'add',
        path: '/spec/containers/0/env/-',
        value: { name: 'BUILD_LOGLEVEL', value: '2' },
      });
      expect(logLevels(pod)).toEqual([{ name: 'BUILD_LOGLEVEL', value: '2' }]);
      review.request.object = pod;
      expect((await admit(review)).answer.response.patch).toBeUndefined();
    }
  });

  test('a level the build chose stays, and the field is off by default', async () => {
    switchPolicy.inner = policy({
      userNamespaces: { default: 'Enabled' },
      runtimeEvidence: 'Enabled',
    });
    const chosen = loadReview('review-docker-privileged');
    chosen.request.object.spec.containers[0].env.find(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (e: any) => e.name === 'BUILD_LOGLEVEL',
    ).value = '0';
    const kept = await admit(chosen);
    expect(kept.ops.some((o: { path: string }) => o.path.includes('/env'))).toBe(false);
    expect(logLevels(kept.pod)).toEqual([{ name: 'BUILD_LOGLEVEL', value: '0' }]);

    switchPolicy.inner = policy({ userNamespaces: { default: 'Enabled' } });
    const off = await admit(withoutLevel('review-docker-privileged'));
    expect(off.ops.some((o: { path: string }) => o.path.includes('/env'))).toBe(false);
    expect(logLevels(off.pod)).toEqual([]);
  });
});
