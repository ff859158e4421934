// The compliance API over HTTPS, backed by the local cluster emulator with the three demo users:
// who sees what (rows and counts), 401s, 400s naming the parameter, a continue walk while Builds
// are being created, and exports with exactly `total` rows. Expected answers are computed from
// the emulator's own store, not from the backend.
import { Agent } from 'node:https';
import { startCluster, type Cluster } from '../../dev/cluster';
import { DEVELOPER_NAMESPACES } from '../../dev/cluster/rbac';
import {
  EVIDENCE_ANNOTATION,
  RECORDED_FOR_ANNOTATION,
  VERDICT_ANNOTATION,
  isVerdict,
  recordedOnBuild,
} from '@userns-builds/core';
import { KubeClient, tokenEndpoint } from '../kube/client';
import { createLogger } from '../log';
import type { RunningService } from '../service';
import { makeCert } from '../../testing/certs';
import { httpsSend, LogCapture, startClusterService, type HttpResult } from '../testing/harness';
import { until } from '../../testing/until';
import { parseCsv } from './testing/csv-parse';

const BUILDS_KEY = 'builds.build.openshift.io';
type User = 'admin' | 'developer' | 'auditor';

let cluster: Cluster;
let service: RunningService;
let agent: Agent;
let admin: KubeClient;
const logs = new LogCapture();

function get(path: string, user: User | null, headers: Record<string, string> = {}) {
  const auth: Record<string, string> = user
    ? { authorization: `Bearer ${cluster.tokens[user]}` }
    : {};
  return httpsSend({ port: service.port, agent }, 'GET', path, undefined, { ...auth, ...headers });
}

async function json(path: string, user: User) {
  const res = await get(path, user);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
  return res.json();
}

/** The Build's own record, as core reads it: a copy or an unknown value is Unknown. */
function verdictOf(b: Parameters<typeof recordedOnBuild>[0]): string {
  const verdict = recordedOnBuild(b)?.verdict;
  return isVerdict(verdict) ? verdict : 'Unknown';
}

/** What the emulator holds, as the API should report it. */
function expected(user: User) {
  const visible = (ns: string) => user !== 'developer' || DEVELOPER_NAMESPACES.includes(ns);
  return cluster.api.store
    .list(BUILDS_KEY)
    .filter((b) => visible(b.metadata.namespace ?? ''))
    .map((b) => ({
      key: `${b.metadata.namespace}/${b.metadata.name}`,
      namespace: b.metadata.namespace ?? '',
      verdict: verdictOf(b),
      created: b.metadata.creationTimestamp ?? '',
    }));
}

function tally(rows: { verdict: string }[]) {
  const out: Record<string, number> = {
    UserNamespaced: 0,
    Requested: 0,
    Privileged: 0,
    Unknown: 0,
  };
  for (const r of rows) out[r.verdict] = (out[r.verdict] ?? 0) + 1;
  return out;
}

/** Creates a Build; `bind` binds the given record to it, as the recorder would have written it. */
async function createBuild(
  namespace: string,
  name: string,
  annotations: Record<string, string> = {},
  bind = false,
) {
  const created = await admin.request<{ metadata: { uid: string } }>(
    'POST',
    `/apis/build.openshift.io/v1/namespaces/${namespace}/builds`,
    {
      body: {
        apiVersion: 'build.openshift.io/v1',
        kind: 'Build',
        metadata: { name, annotations, labels: { buildconfig: 'walk' } },
        spec: {
          strategy: { type: 'Docker', dockerStrategy: {} },
          source: { type: 'Git', git: { uri: 'https://git.example.com/walk.git' } },
        },
      },
      timeoutMs: 5000,
    },
  );
  if (!bind) return;
  // A new Build gets a new uid; the whole record is sent again, so the recorder's removal of the
  // unbound copy in between cannot leave the binding alone on the Build.
  await admin.request(
    'PATCH',
    `/apis/build.openshift.io/v1/namespaces/${namespace}/builds/${name}`,
    {
      contentType: 'application/merge-patch+json',
      body: {
        metadata: {
          annotations: { ...annotations, [RECORDED_FOR_ANNOTATION]: created.metadata.uid },
        },
      },
      timeoutMs: 5000,
    },
  );
}

async function visibleToApi(namespace: string, name: string): Promise<boolean> {
  const page = await json(`/api/v1/compliance/builds?namespace=${namespace}&q=${name}`, 'admin');
  return page.items.some((i: { name: string }) => i.name === name);
}

/** Every page of a walk; `between` runs after each page (the walk continues from its token). */
async function walk(user: User, query: string, between?: (page: number) => Promise<void>) {
  const keys: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const sep = query ? '&' : '';
    const res = await json(
      `/api/v1/compliance/builds?${query}${token ? `${sep}continue=${encodeURIComponent(token)}` : ''}`,
      user,
    );
    keys.push(
      ...res.items.map((i: { namespace: string; name: string }) => `${i.namespace}/${i.name}`),
    );
    token = res.continue;
    if (!token) return { keys, total: res.total as number };
    await between?.(page);
  }
  throw new Error('the walk never ended');
}

beforeAll(async () => {
  cluster = await startCluster({ seed: { builds: 700 }, buildTimer: { stepMs: 600_000 } });
  admin = new KubeClient(tokenEndpoint(cluster.url, cluster.tokens.admin));
  const cert = makeCert();
  service = await startClusterService(
    cluster.writeKubeconfig('backend'),
    cert,
    createLogger('debug', logs),
  );
  agent = new Agent({ keepAlive: true, ca: cert.cert, servername: 'localhost' });
  await until(
    async () => (await httpsSend({ port: service.port, agent }, 'GET', '/readyz')).status === 200,
    'the backend is ready',
  );
}, 60_000);

afterAll(async () => {
  agent?.destroy();
  admin?.close();
  await service?.stop(100);
  await cluster?.stop();
});

test('/readyz waited for the compliance cache, and says so', async () => {
  const res = await httpsSend({ port: service.port, agent }, 'GET', '/readyz');
  expect(res.json().checks).toMatchObject({ compliance: true });
});

describe.each(['summary', 'builds', 'export?format=csv'])('%s', (endpoint) => {
  const path = `/api/v1/compliance/${endpoint}`;
  test.each<[string, Record<string, string>]>([
    ['no Authorization header', {}],
    ['an unknown token', { authorization: 'Bearer sha256~not-a-real-token' }],
    ['a Basic credential', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('401 with %s', async (_what, headers) => {
    const res = await get(path, null, headers);
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });
});

test.each([
  ['builds?limit=0', 'limit'],
  ['builds?limit=501', 'limit'],
  ['builds?sort=verdict', 'sort'],
  ['builds?continue=forged.token', 'continue'],
  ['builds?verdict=Maybe', 'verdict'],
  ['summary?namespace=Not_A_Namespace', 'namespace'],
  ['summary?strategy=Pipeline', 'strategy'],
  ['summary?since=last-week', 'since'],
  ['summary?since=2025-11-21T00:00:00Z&until=2025-11-20T00:00:00Z', 'until'],
  ['summary?buildConfig=..', 'buildConfig'],
  ['summary?q=', 'q'],
  ['summary?colour=red', 'colour'],
  ['export?format=xlsx', 'format'],
  ['export', 'format'],
])('400 for %s names %s', async (query, name) => {
  const res = await get(`/api/v1/compliance/${query}`, 'auditor');
  expect(res.status).toBe(400);
  expect(res.json()).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });
  expect(res.json().message).toContain(`"${name}"`);
});

test.each<User>(['admin', 'auditor', 'developer'])(
  '%s sees exactly the builds and counts they may list',
  async (user) => {
    const want = expected(user);
    const summary = await json('/api/v1/compliance/summary', user);
    expect(summary.total).toBe(want.length);
    expect(summary.byVerdict).toEqual(tally(want));
    const namespaces = [...new Set(want.map((w) => w.namespace))].sort();
    expect(summary.byNamespace.map((n: { namespace: string }) => n.namespace).sort()).toEqual(
      namespaces,
    );
    for (const n of summary.byNamespace) {
      expect(n.byVerdict).toEqual(tally(want.filter((w) => w.namespace === n.namespace)));
    }
    const dayTotal = summary.byDay.reduce(
      (sum: number, d: { byVerdict: Record<string, number> }) =>
        sum + Object.values(d.byVerdict).reduce((a, b) => a + b, 0),
      0,
    );
    expect(dayTotal).toBe(want.length);
    for (const bc of summary.byBuildConfig) expect(namespaces).toContain(bc.namespace);

    const { keys, total } = await walk(user, 'limit=97');
    expect(total).toBe(want.length);
    expect(keys).toHaveLength(want.length);
    expect(new Set(keys)).toEqual(new Set(want.map((w) => w.key)));
    // Newest first by default.
    const created = new Map(want.map((w) => [w.key, w.created]));
    const times = keys.map((k) => created.get(k) ?? '');
    expect([...times].sort().reverse()).toEqual(times);
  },
);

test('the developer is told nothing about namespaces they cannot list', async () => {
  const other = await json('/api/v1/compliance/summary?namespace=payments', 'developer');
  const missing = await json('/api/v1/compliance/summary?namespace=no-such-ns', 'developer');
  expect(other).toEqual(missing);
  expect(other).toMatchObject({ total: 0, byNamespace: [], byBuildConfig: [], byDay: [] });
  const mixed = await json(
    '/api/v1/compliance/builds?namespace=team-a&namespace=payments&limit=500',
    'developer',
  );
  expect(mixed.total).toBe(expected('developer').filter((w) => w.namespace === 'team-a').length);
  expect(mixed.items.every((i: { namespace: string }) => i.namespace === 'team-a')).toBe(true);
  // The auditor, who may list payments, does see it.
  const auditor = await json('/api/v1/compliance/summary?namespace=payments', 'auditor');
  expect(auditor.total).toBe(expected('auditor').filter((w) => w.namespace === 'payments').length);
  expect(auditor.total).toBeGreaterThan(0);
});

test.each(['-created', 'created', 'name'])(
  'a continue walk (sort=%s) returns every pre-existing row exactly once while builds are created',
  async (sort) => {
    const before = expected('admin').map((w) => w.key);
    let n = 0;
    const { keys } = await walk('admin', `sort=${sort}&limit=60`, async (page) => {
      // Names on both sides of the cursor in name order; creation time is always "now".
      const names = [
        `a-walk-${sort.replace('-', 'd')}-${page}`,
        `z-walk-${sort.replace('-', 'd')}-${page}`,
      ];
      for (const name of names) await createBuild('team-a', name);
      n += names.length;
      await until(() => visibleToApi('team-a', names[1]!), 'the new builds reach the API');
    });
    expect(n).toBeGreaterThan(10);
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const k of before) expect([k, counts.get(k)]).toEqual([k, 1]);
    for (const c of counts.values()) expect(c).toBe(1);
  },
  120_000,
);

function parseExport(res: HttpResult) {
  expect(res.status).toBe(200);
  expect(res.headers['content-disposition']).toMatch(
    /^attachment; filename="builds-\d{8}T\d{6}Z\.(csv|json)"$/,
  );
  return res;
}

test.each<User>(['auditor', 'developer'])(
  'the %s export has exactly `total` rows, in CSV and in JSON',
  async (user) => {
    const { total } = await json('/api/v1/compliance/builds?limit=1', user);
    const csv = parseExport(await get('/api/v1/compliance/export?format=csv', user));
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const records = parseCsv(csv.text);
    expect(records[0]).toEqual([
      'namespace',
      'name',
      'buildConfig',
      'strategy',
      'phase',
      'created',
      'verdict',
      'evidence',
      'decisionSource',
    ]);
    expect(records).toHaveLength(total + 1);
    const visible = new Set(expected(user).map((w) => w.namespace));
    for (const r of records.slice(1)) expect(visible.has(r[0] ?? '')).toBe(true);
    const js = parseExport(await get('/api/v1/compliance/export?format=json&sort=name', user));
    const rows = JSON.parse(js.text);
    expect(rows).toHaveLength(total);
    expect(
      new Set(rows.map((r: { namespace: string; name: string }) => `${r.namespace}/${r.name}`))
        .size,
    ).toBe(total);
  },
);

test('a formula planted in an annotation is neutralised in the CSV', async () => {
  await createBuild(
    'team-b',
    'formula-1',
    {
      [VERDICT_ANNOTATION]: 'Privileged',
      [EVIDENCE_ANNOTATION]: '=HYPERLINK("https://attacker.example/","open")',
    },
    true,
  );
  await until(
    async () =>
      (await json('/api/v1/compliance/builds?namespace=team-b&q=formula-1', 'admin')).items.some(
        (i: { name: string; verdict: string }) => i.name === 'formula-1' && i.verdict !== 'Unknown',
      ),
    'the planted build reaches the API',
  );
  const res = parseExport(
    await get('/api/v1/compliance/export?format=csv&namespace=team-b&q=formula-1', 'developer'),
  );
  const [, row] = parseCsv(res.text);
  expect(row?.[7]).toBe(`'=HYPERLINK("https://attacker.example/","open")`);
  expect(row?.[6]).toBe('Privileged');
});

test('a verdict a Rebuild copied onto a new Build is not recorded, in the API and the CSV', async () => {
  // What openshift-apiserver's builds/clone creates: the old Build's record, bound to its uid.
  const original = cluster.api.store
    .list(BUILDS_KEY)
    .find((b) => b.metadata.namespace === 'team-a' && recordedOnBuild(b)?.verdict === 'Privileged');
  expect(original).toBeDefined();
  const copied = Object.fromEntries(
    Object.entries(original!.metadata.annotations ?? {}).filter(([k]) =>
      k.startsWith('userns.builds.dev/'),
    ),
  );
  expect(copied[RECORDED_FOR_ANNOTATION]).toBe(original!.metadata.uid);
  await createBuild('team-a', 'rebuilt-1', copied);
  await until(() => visibleToApi('team-a', 'rebuilt-1'), 'the rebuilt build reaches the API');
  const page = await json('/api/v1/compliance/builds?namespace=team-a&q=rebuilt-1', 'auditor');
  expect(page.items).toEqual([
    expect.objectContaining({
      name: 'rebuilt-1',
      verdict: 'Unknown',
      evidence: null,
      decisionSource: null,
    }),
  ]);
  const csv = parseExport(
    await get('/api/v1/compliance/export?format=csv&namespace=team-a&q=rebuilt-1', 'auditor'),
  );
  const [, row] = parseCsv(csv.text);
  expect(row?.[1]).toBe('rebuilt-1');
  expect(row?.slice(6)).toEqual(['Unknown', '', '']);
  // The Build it was copied from still shows its own.
  const own = await json(
    `/api/v1/compliance/builds?namespace=team-a&q=${original!.metadata.name}`,
    'auditor',
  );
  expect(own.items.find((i: { name: string }) => i.name === original!.metadata.name)).toMatchObject(
    { verdict: 'Privileged' },
  );
});

test('tokens never reach the logs', () => {
  const text = logs.lines.join('\n');
  expect(text).toContain('compliance request');
  for (const token of Object.values(cluster.tokens)) expect(text).not.toContain(token);
});
