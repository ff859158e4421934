// Seeded fuzzing of /mutate: generated and mutated AdmissionReviews, 10,000 in-process through the
// same dispatch the HTTPS server uses (fast to shrink and debug), and another 10,000 over the wire
// to the real server (body reading, framing, keep-alive). Whatever comes in: never a 5xx, every
// 200 is a valid AdmissionReview whose patch applies to the request's pod, and a pod it patches
// never keeps an unsafe CRI-O value next to io.openshift.builder, whoever created it.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch, validate, type Operation } from 'fast-json-patch';
import {
  BUILD_CONTROLLER_USER,
  CRIO_BUILDER_ANNOTATION,
  effectivePolicy,
  unsafeCrioAnnotations,
  validatePolicySpec,
  type BuildPolicySpec,
} from '@userns-builds/core';
import { App } from './app';
import type { JsonAnswer } from './http';
import { createLogger } from './log';
import type { LookupResult, MetadataLookup } from './metadata/lookup';
import { Metrics } from './metrics';
import type { PolicySnapshot, PolicySource } from './policy/source';
import { BUILD_REVIEW_FIXTURES, FIXTURE_DIR, LogCapture, startTestServer } from './testing/harness';

const SEED = 20251126;
const IN_PROCESS_RUNS = 10_000;
const WIRE_RUNS = 10_000;

const FIXTURE_TEXTS = [...BUILD_REVIEW_FIXTURES, 'review-plain-pod'].map((name) =>
  readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8'),
);

type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/**
 * A node of the document chosen by a random walk seeded with `at`: cheap on a 15 KB pod (no list of
 * every path), and it reaches every depth, from the review itself down to single env values.
 */
function pick(doc: JsonValue, at: number): (string | number)[] {
  let state = at >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const path: (string | number)[] = [];
  let node = doc;
  // Mostly inside the pod (where core works), sometimes the review envelope itself.
  const depth = next() % 10 === 0 ? next() % 3 : 3 + (next() % 6);
  const preferred = ['request', 'object'];
  while (path.length < depth && node !== null && typeof node === 'object') {
    const keys: (string | number)[] = Array.isArray(node)
      ? node.map((_v, i) => i)
      : Object.keys(node);
    if (keys.length === 0) break;
    const want = preferred[path.length];
    const key = want && want in node && next() % 5 !== 0 ? want : keys[next() % keys.length]!;
    path.push(key);
    node = (node as Record<string | number, JsonValue>)[key] as JsonValue;
  }
  return path;
}

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'set'; at: number; value: JsonValue }
  | { kind: 'addKey'; at: number; key: string; value: JsonValue }
  | { kind: 'buildEnv'; value: string };

function mutate(doc: JsonValue, generated: Mutation): JsonValue {
  // Generated values are shared between runs and mutations: insert copies, never the originals.
  const m = structuredClone(generated);
  if (m.kind === 'buildEnv') {
    // The BUILD env var is parsed by core: give it odd contents specifically.
    const containers = (doc as { request?: { object?: { spec?: { containers?: unknown } } } })
      ?.request?.object?.spec?.containers;
    if (Array.isArray(containers) && containers[0] && typeof containers[0] === 'object') {
      const c = containers[0] as { env?: unknown };
      c.env = [{ name: 'BUILD', value: m.value }, ...(Array.isArray(c.env) ? c.env : [])];
    }
    return doc;
  }
  const path = pick(doc, m.at);
  if (path.length === 0) return m.kind === 'set' ? m.value : doc;
  let parent: JsonValue = doc;
  for (const p of path.slice(0, -1))
    parent = (parent as Record<string | number, JsonValue>)[p] as JsonValue;
  const last = path[path.length - 1]!;
  const container = parent as Record<string | number, JsonValue>;
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else Reflect.deleteProperty(container, last);
  } else if (m.kind === 'set') {
    container[last] = m.value;
  } else {
    const target = container[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target))
      target[m.key] = m.value;
    else container[last] = { [m.key]: m.value };
  }
  return doc;
}

const keyArb = fc.oneof(
  fc.constantFrom(
    'securityContext',
    'env',
    'containers',
    'initContainers',
    'annotations',
    'labels',
    'hostUsers',
    'hostNetwork',
    'openshift.io/build.name',
    'BUILD',
    'uid',
    'request',
    'object',
    'spec',
    'metadata',
    'name',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 12 }),
);
const valueArb: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constantFrom<JsonValue>(null, true, false, 0, -1, 1e308, '', 'false', '0', [], {}, [null], {
    name: 7,
  }),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>,
);
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: valueArb }),
  fc.record({ kind: fc.constant('addKey' as const), at: fc.nat(), key: keyArb, value: valueArb }),
  fc.record({
    kind: fc.constant('buildEnv' as const),
    value: fc.oneof(
      fc.string(),
      fc.json(),
      fc.constant(
        '{"spec":{"strategy":{"type":"Docker","dockerStrategy":{"env":[{"name":"BUILD_PRIVILEGED","value":"0"}]}}}}',
      ),
    ),
  }),
);

const annotationsArb = fc.dictionary(
  fc.constantFrom(
    'example.com/a',
    'example.com/tier',
    'io.kubernetes.cri-o.userns-mode',
    'io.openshift.builder',
    'io.kubernetes.cri-o.Devices',
    'userns.builds.dev/user-namespaces',
  ),
  fc.constantFrom(
    '',
    'x',
    'auto',
    'auto:size=65536',
    'auto;uidmapping=0:0:1',
    'auto:uidmapping=0:0:65536',
    'keep-id',
    '/dev/fuse:rwm',
    '/dev/kmem:rwm,/dev/mem:rwm',
    'true',
  ),
  { maxKeys: 3 },
);
const policyArb: fc.Arbitrary<BuildPolicySpec | undefined> = fc.option(
  fc.record(
    {
      userNamespaces: fc.record(
        {
          default: fc.constantFrom('Enabled' as const, 'Disabled' as const),
          override: fc.constantFrom('Required' as const, 'None' as const),
          mode: fc.constantFrom('CRIOAnnotation' as const, 'HostUsers' as const, 'Both' as const),
          exemptNamespaces: fc.subarray(['team-a', 'team-b', 'other']),
        },
        { requiredKeys: [] },
      ),
      buildDefaults: fc.record({ annotations: annotationsArb }),
      buildOverrides: fc.record({ annotations: annotationsArb }),
      passthroughAnnotations: fc.subarray([
        'example.com/tier',
        'example.com/a',
        'io.kubernetes.cri-o.userns-mode',
        'io.kubernetes.cri-o.Devices',
      ]),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);
const lookupArb: fc.Arbitrary<LookupResult> = fc.oneof(
  fc.constant<LookupResult>({ kind: 'absent' }),
  fc.constant<LookupResult>({ kind: 'unavailable', why: 'timeout' }),
  annotationsArb.map<LookupResult>((annotations) => ({ kind: 'found', meta: { annotations } })),
);

interface Case {
  fixture: number;
  /** Set on the pod before the mutations: its own annotations, CRI-O ones included. */
  podAnnotations: Record<string, string>;
  creator: string | undefined;
  mutations: Mutation[];
  raw: { kind: 'none' } | { kind: 'truncate'; at: number } | { kind: 'garbage'; text: string };
  policy: BuildPolicySpec | undefined;
  lookup: LookupResult;
}
const caseArb: fc.Arbitrary<Case> = fc.record({
  fixture: fc.nat({ max: FIXTURE_TEXTS.length - 1 }),
  podAnnotations: annotationsArb,
  creator: fc.oneof(
    { weight: 4, arbitrary: fc.constant(BUILD_CONTROLLER_USER) },
    { weight: 1, arbitrary: fc.constantFrom('developer', undefined) },
  ),
  mutations: fc.array(mutationArb, { maxLength: 4 }),
  raw: fc.oneof(
    { weight: 18, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('garbage' as const), text: fc.string() }),
    },
  ),
  policy: policyArb,
  lookup: lookupArb,
});

/** The policy and lookup of the current case: the harness swaps them per generated case. */
class CasePolicy implements PolicySource {
  snapshot: PolicySnapshot = { policy: undefined, generation: 0 };
  current = () => this.snapshot;
  synced = () => true;
  start = async () => {};
  stop = () => {};
}
class CaseLookup implements MetadataLookup {
  result: LookupResult = { kind: 'absent' };
  get = async () => this.result;
  synced = () => true;
  start = async () => {};
  stop = () => {};
}

function prepare(
  c: Case,
  policy: CasePolicy,
  lookup: CaseLookup,
): { body: string; sent: JsonValue | undefined } {
  let doc = JSON.parse(FIXTURE_TEXTS[c.fixture]!) as JsonValue;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a fixture review, then mutated
  const request = (doc as any).request;
  const meta = request.object.metadata;
  meta.annotations = { ...meta.annotations, ...c.podAnnotations };
  if (c.creator === undefined) delete request.userInfo;
  else request.userInfo.username = c.creator;
  for (const m of c.mutations) doc = mutate(doc, m);
  const spec = c.policy && validatePolicySpec(c.policy);
  policy.snapshot = spec?.ok
    ? { policy: effectivePolicy(spec.spec), generation: 1 }
    : { policy: undefined, generation: 0 };
  lookup.result = c.lookup;
  const text = JSON.stringify(doc) ?? 'undefined';
  if (c.raw.kind === 'truncate')
    return { body: text.slice(0, c.raw.at % (text.length + 1)), sent: undefined };
  if (c.raw.kind === 'garbage') return { body: c.raw.text, sent: undefined };
  return { body: text, sent: doc };
}

/** The assertions every answer must satisfy. Returns a description of the violation, if any. */
function violation(
  answer: { status: number; body: unknown },
  sent: JsonValue | undefined,
): string | undefined {
  if (answer.status >= 500) return `5xx: ${JSON.stringify(answer.body)}`;
  const body = answer.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (answer.status !== 200) {
    return body?.kind === 'Status' && answer.status >= 400 && answer.status < 500
      ? undefined
      : `bad error answer ${answer.status}`;
  }
  if (body.apiVersion !== 'admission.k8s.io/v1' || body.kind !== 'AdmissionReview')
    return 'not an AdmissionReview';
  const response = body.response;
  const request = (sent as { request?: { uid?: unknown; object?: unknown } })?.request;
  if (response?.uid !== request?.uid) return 'uid not echoed';
  if (typeof response.allowed !== 'boolean') return 'allowed not boolean';
  for (const w of response.warnings ?? [])
    if (typeof w !== 'string' || w.length >= 120) return `bad warning ${w}`;
  if (
    response.allowed === false &&
    (response.patch || typeof response.status?.message !== 'string')
  )
    return 'bad denial';
  if (response.patch !== undefined) {
    if (response.patchType !== 'JSONPatch') return 'patch without patchType';
    const ops = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8'));
    if (!Array.isArray(ops) || ops.length === 0) return 'empty or non-array patch';
    const error = validate(ops, structuredClone(request?.object));
    if (error) return `patch does not apply: ${error.message}`;
    return unsafeAfter(request?.object, ops);
  } else if (response.patchType !== undefined) return 'patchType without patch';
  return undefined;
}

/** A pod the webhook patched must not carry an unsafe CRI-O value next to io.openshift.builder. */
function unsafeAfter(pod: unknown, ops: Operation[]): string | undefined {
  const after = applyPatch(structuredClone(pod), ops, false, false).newDocument as {
    metadata?: { annotations?: unknown };
  };
  const annotations = after?.metadata?.annotations;
  if (typeof annotations !== 'object' || annotations === null) return undefined;
  if (!(CRIO_BUILDER_ANNOTATION in annotations)) return undefined;
  const unsafe = unsafeCrioAnnotations(annotations);
  return unsafe.length > 0 ? `patched builder pod keeps ${JSON.stringify(unsafe)}` : undefined;
}

test(`${IN_PROCESS_RUNS} seeded reviews in-process: no 5xx, every 200 valid and applicable`, async () => {
  const policy = new CasePolicy();
  const lookup = new CaseLookup();
  const logs = new LogCapture();
  const app = new App({
    log: createLogger('error', logs),
    metrics: new Metrics(),
    policy,
    metadata: lookup,
    maxBodyBytes: 6 * 1024 * 1024,
    ownNamespace: 'userns-builds',
    trustedCreators: [BUILD_CONTROLLER_USER],
  });
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      const { body, sent } = prepare(c, policy, lookup);
      const answer: JsonAnswer = await app.dispatch({
        method: 'POST',
        path: '/mutate',
        query: new URLSearchParams(),
        headers: {},
        body: Buffer.from(body),
      });
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const problem = violation(answer, sent);
      if (problem) throw new Error(problem);
    }),
    { seed: SEED, numRuns: IN_PROCESS_RUNS },
  );
  // The generator must actually reach both kinds of answer, or the property proves little.
  expect(statuses.get(200) ?? 0).toBeGreaterThan(IN_PROCESS_RUNS / 2);
  expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  const internal = logs.records().filter((r) => r.level >= 50).length;
  console.log(
    `fuzz: answers by status ${JSON.stringify(Object.fromEntries(statuses))}; ${internal} internal errors absorbed`,
  );
}, 120_000);

test(`${WIRE_RUNS} seeded reviews over HTTPS: no 5xx, every 200 valid and applicable`, async () => {
  const policy = new CasePolicy();
  const lookup = new CaseLookup();
  const srv = await startTestServer({ policy, metadata: lookup });
  try {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { body, sent } = prepare(c, policy, lookup);
        const res = await srv.send('POST', '/mutate', body);
        let parsed: unknown;
        try {
          parsed = JSON.parse(res.text);
        } catch {
          throw new Error(`answer is not JSON (${res.status})`);
        }
        const problem = violation({ status: res.status, body: parsed }, sent);
        if (problem) throw new Error(problem);
      }),
      { seed: SEED + 1, numRuns: WIRE_RUNS },
    );
  } finally {
    await srv.stop();
  }
}, 180_000);
