// npm run bench:compliance — the compliance API at 10,000 and 100,000 builds (500 namespaces,
// 10,000 BuildConfigs), each figure beside a naive implementation measured in the same run: one
// that lists every Build from the API server per request, then filters, counts or sorts.
//
// The local cluster runs in this process; the backend in a child process started exactly as
// `npm run backend` starts it (tsx, not compiled JavaScript), so its RSS is its own. Every sample
// is taken only once the emulator is idle (no request in flight, no snapshot being written), so
// the emulator's own work never lands in the backend's figures.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startCluster, type Cluster } from '../../dev/cluster';
import { csvHeader, csvLine } from '../compliance/csv';
import { rowFromBuild, publicRow, type BuildLike, type BuildRow } from '../compliance/rows';
import { summarize } from '../compliance/summary';
import { KubeClient, tokenEndpoint } from '../kube/client';
import { certDir, makeCert } from '../../testing/certs';

const out = (line = '') => process.stdout.write(`${line}\n`);

function arg(name: string, def: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : def;
}
function num(name: string, def: number): number {
  const n = Number(arg(name, String(def)));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number`);
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function idle(cluster: Cluster): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const a = cluster.activity();
    if (a.inflight === 0 && !a.persisting) return;
    await sleep(5);
  }
  throw new Error('the emulator never went idle');
}

interface Backend {
  child: ChildProcess;
  port: number;
  agent: Agent;
  readyMs: number;
}

function get(b: Backend, path: string, token: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: b.port,
        path,
        agent: b.agent,
        servername: 'localhost',
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function startBackend(cluster: Cluster): Promise<Backend> {
  const cert = makeCert();
  const tls = certDir(cert);
  const started = performance.now();
  const child = fork(
    join(__dirname, '..', 'main.ts'),
    [
      ...['--kubeconfig', cluster.writeKubeconfig('backend'), '--namespace', 'userns-builds'],
      ...['--tls-cert', tls.certPath, '--tls-key', tls.keyPath, '--port', '0'],
      ...['--host', '127.0.0.1', '--log-level', 'info'],
    ],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    const stdout = child.stdout;
    if (!stdout) return reject(new Error('no stdout from the backend'));
    const lines = createInterface({ input: stdout });
    lines.on('line', (line) => {
      try {
        const rec = JSON.parse(line) as { msg?: string; port?: number };
        if (rec.msg === 'listening' && rec.port) resolve(rec.port);
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`the backend exited with ${code}`)));
  });
  const agent = new Agent({ keepAlive: true, ca: cert.cert, maxSockets: 4 });
  const b = { child, port, agent, readyMs: 0 };
  for (let i = 0; i < 12_000; i++) {
    const res = await get(b, '/readyz', '').catch(() => ({ status: 0 }));
    if (res.status === 200) {
      b.readyMs = performance.now() - started;
      return b;
    }
    await sleep(25);
  }
  throw new Error('the backend never became ready');
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * Where the backend's memory is, from its own /metrics (prom-client's process metrics): the
 * JavaScript heap in use and reserved, and memory outside it (buffers, native objects). RSS
 * minus the reserved heap is code, the runtime itself and what the allocator has not returned.
 */
async function heapMb(b: Backend): Promise<{ used: number; total: number; external: number }> {
  const res = await get(b, '/metrics', '');
  const text = res.body.toString('utf8');
  const mb = (name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 1024 / 1024;
  return {
    used: mb('nodejs_heap_size_used_bytes'),
    total: mb('nodejs_heap_size_total_bytes'),
    external: mb('nodejs_external_memory_bytes'),
  };
}

/** The naive implementation: every request lists every Build (pages of 500), then works. */
async function naiveRows(client: KubeClient): Promise<BuildRow[]> {
  const rows: BuildRow[] = [];
  let token: string | undefined;
  do {
    const q = new URLSearchParams({ limit: '500', ...(token ? { continue: token } : {}) });
    const page = await client.request<{ items: BuildLike[]; metadata: { continue?: string } }>(
      'GET',
      `/apis/build.openshift.io/v1/builds?${q}`,
      { timeoutMs: 120_000 },
    );
    for (const b of page.items) {
      const r = rowFromBuild(b);
      if (r) rows.push(r);
    }
    token = page.metadata.continue || undefined;
  } while (token);
  return rows;
}

async function timed<T>(cluster: Cluster, f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  await idle(cluster);
  const t = performance.now();
  const value = await f();
  return { ms: performance.now() - t, value };
}

interface Figures {
  builds: number;
  summaryMs: number;
  naiveSummaryMs: number;
  firstPageMs: number;
  naiveFirstPageMs: number;
  exportRowsPerS: number;
  naiveExportRowsPerS: number;
  rssMb: number;
  peakRssMb: number;
  heap: { used: number; total: number; external: number };
  readyMs: number;
}

async function measure(builds: number, samples: number, naiveSamples: number): Promise<Figures> {
  const seeded = performance.now();
  const cluster = await startCluster({
    seed: { builds, namespaces: 500, buildConfigs: 10_000 },
    buildTimer: { stepMs: 3_600_000 },
  });
  out(`  ${builds} builds seeded in ${Math.round(performance.now() - seeded)} ms`);
  const auditor = cluster.tokens.auditor;
  const naive = new KubeClient(tokenEndpoint(cluster.url, auditor));
  const backend = await startBackend(cluster);
  try {
    // Warm: the first request of a caller makes its TokenReview and access review.
    for (const path of ['summary', 'builds?limit=50', 'export?format=csv&q=zzz-none']) {
      const res = await get(backend, `/api/v1/compliance/${path}`, auditor);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body.toString()}`);
    }
    const ms = async (path: string, n: number) => {
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = await timed(cluster, () => get(backend, path, auditor));
        if (r.value.status !== 200) throw new Error(`${path}: ${r.value.status}`);
        xs.push(r.ms);
      }
      return median(xs);
    };
    const summaryMs = await ms('/api/v1/compliance/summary', samples);
    const firstPageMs = await ms('/api/v1/compliance/builds?limit=50', samples);
    const exportRuns: number[] = [];
    for (let i = 0; i < Math.max(1, Math.ceil(samples / 2)); i++) {
      const r = await timed(cluster, () =>
        get(backend, '/api/v1/compliance/export?format=csv', auditor),
      );
      const rows = r.value.body.toString('utf8').split('\r\n').length - 2;
      if (rows !== builds) throw new Error(`the export had ${rows} rows, not ${builds}`);
      exportRuns.push(rows / (r.ms / 1000));
    }
    const { rss, peak } = rssMb(backend.child.pid ?? 0);
    const heap = await heapMb(backend);

    const naiveSummary: number[] = [];
    const naiveFirst: number[] = [];
    const naiveExport: number[] = [];
    for (let i = 0; i < naiveSamples; i++) {
      naiveSummary.push(
        (await timed(cluster, async () => summarize(await naiveRows(naive), () => true))).ms,
      );
      naiveFirst.push(
        (
          await timed(cluster, async () =>
            (await naiveRows(naive))
              .sort((a, b) => b.createdMs - a.createdMs)
              .slice(0, 50)
              .map(publicRow),
          )
        ).ms,
      );
      const e = await timed(cluster, async () => {
        const rows = await naiveRows(naive);
        let n = csvHeader().length;
        for (const r of rows) n += csvLine(publicRow(r)).length;
        return { rows: rows.length, bytes: n };
      });
      naiveExport.push(e.value.rows / (e.ms / 1000));
    }
    return {
      builds,
      summaryMs,
      naiveSummaryMs: median(naiveSummary),
      firstPageMs,
      naiveFirstPageMs: median(naiveFirst),
      exportRowsPerS: median(exportRuns),
      naiveExportRowsPerS: median(naiveExport),
      rssMb: rss,
      peakRssMb: peak,
      heap,
      readyMs: backend.readyMs,
    };
  } finally {
    backend.agent.destroy();
    backend.child.kill('SIGTERM');
    await new Promise((r) => backend.child.once('exit', r));
    naive.close();
    await cluster.stop();
  }
}

const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);

function report(f: Figures): void {
  out(`\n${f.builds} builds (500 namespaces, 10,000 BuildConfigs), auditor, medians:`);
  out('  figure                     backend        naive       ratio   target');
  const row = (name: string, b: string, n: string, ratio: string, target = '') =>
    out(
      `  ${name.padEnd(24)} ${b.padStart(10)} ${n.padStart(12)} ${ratio.padStart(10)}   ${target}`,
    );
  row(
    'summary (ms)',
    f1(f.summaryMs),
    f1(f.naiveSummaryMs),
    `${f1(f.naiveSummaryMs / f.summaryMs)}x faster`,
    '< 250 ms',
  );
  row(
    'first page (ms)',
    f1(f.firstPageMs),
    f1(f.naiveFirstPageMs),
    `${f1(f.naiveFirstPageMs / f.firstPageMs)}x faster`,
    '< 50 ms',
  );
  row(
    'export (rows/s)',
    f0(f.exportRowsPerS),
    f0(f.naiveExportRowsPerS),
    `${f1(f.exportRowsPerS / f.naiveExportRowsPerS)}x`,
  );
  row('backend RSS (MB)', f0(f.rssMb), '', `peak ${f0(f.peakRssMb)}`, '< 250 MB');
  row('  JS heap used (MB)', f0(f.heap.used), '', `of ${f0(f.heap.total)}`);
  row('  external (MB)', f0(f.heap.external), '', '');
  row('first ready (ms)', f0(f.readyMs), '', '', 'start → /readyz 200');
}

async function main(): Promise<void> {
  const sizes = arg('sizes', '10000,100000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--sizes: whole numbers');
  const samples = num('samples', 5);
  const naiveSamples = num('naive-samples', 3);
  out('compliance API benchmark (backend under tsx, not compiled JavaScript)');
  const results: Figures[] = [];
  for (const n of sizes) {
    out(`measuring ${n} builds…`);
    const f = await measure(n, samples, naiveSamples);
    report(f);
    results.push(f);
  }
  if (results.length >= 2) {
    const a = results[0] as Figures;
    const b = results[results.length - 1] as Figures;
    const x = b.builds / a.builds;
    out(`\nscaling ${a.builds} → ${b.builds} builds (${f1(x)}x the builds):`);
    const s = (name: string, from: number, to: number) =>
      out(`  ${name.padEnd(24)} ${f1(to / from)}x`);
    s('summary latency', a.summaryMs, b.summaryMs);
    s('naive summary latency', a.naiveSummaryMs, b.naiveSummaryMs);
    s('first page latency', a.firstPageMs, b.firstPageMs);
    s('naive first page', a.naiveFirstPageMs, b.naiveFirstPageMs);
    s('export rows/s', a.exportRowsPerS, b.exportRowsPerS);
    s('backend RSS', a.rssMb, b.rssMb);
    s('time to first ready', a.readyMs, b.readyMs);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
