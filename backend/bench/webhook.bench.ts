// npm run bench:webhook — the webhook against a bare Node HTTPS server, same machine, same command.
//
// Each server runs in its own child process (one event loop = one core) so the load generator does
// not compete with it inside one loop. The body is a realistic ~14 KB OpenShift docker build-pod
// AdmissionReview. Closed-loop runs at concurrency 1, 8, 32 give throughput and latency; an
// open-loop run paced at 1,000 reviews/s gives the p99 the API server would see at that rate.
// Figures are only meaningful as ratios to the bare server measured in the same run.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { BUILD_CONTROLLER_USER, effectivePolicy } from '@userns-builds/core';
import { App } from '../app';
import { SERVER_LIMIT_DEFAULTS } from '../config';
import { createLogger } from '../log';
import { NoMetadataLookup } from '../metadata/lookup';
import { Metrics } from '../metrics';
import { StaticPolicySource } from '../policy/source';
import { WebhookServer } from '../server';
import { makeCert, type TestCert } from '../../testing/certs';

const FIXTURE = join(__dirname, '..', 'fixtures', 'review-docker-privileged.json');
const out = (line = '') => process.stdout.write(`${line}\n`);

function arg(name: string, def: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  const n = hit ? Number(hit.split('=')[1]) : def;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

// ---- child side: serve, report the port, stay up until the parent says stop ----

async function serve(kind: 'webhook' | 'bare', cert: TestCert): Promise<number> {
  if (kind === 'bare') {
    const server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      });
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  }
  const policy = new StaticPolicySource({
    policy: effectivePolicy({
      userNamespaces: { default: 'Enabled' },
      buildDefaults: { annotations: { 'example.com/cost-center': 'builds' } },
      buildOverrides: { annotations: { 'example.com/owner': 'platform' } },
    }),
    generation: 1,
  });
  const log = createLogger('warn');
  const app = new App({
    log,
    metrics: new Metrics(),
    policy,
    metadata: new NoMetadataLookup(),
    maxBodyBytes: 6 * 1024 * 1024,
    ownNamespace: undefined,
    trustedCreators: [BUILD_CONTROLLER_USER],
  });
  return new WebhookServer(app, cert, log, SERVER_LIMIT_DEFAULTS).listen(0, '127.0.0.1');
}

if (process.argv[2] === '--serve') {
  const kind = process.argv[3] as 'webhook' | 'bare';
  // The key pair arrives over the IPC channel, never in argv (which `ps` shows to everyone).
  process.once('message', (m: { cert: string; key: string }) => {
    const cert = { cert: Buffer.from(m.cert, 'base64'), key: Buffer.from(m.key, 'base64') };
    void serve(kind, cert).then((port) => process.send?.({ port }));
    process.on('message', () => process.exit(0));
  });
} else {
  void main();
}

// ---- parent side: load generation ----

interface Stats {
  count: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summarize(latencies: number[], errors: number, seconds: number): Stats {
  const sorted = latencies.sort((a, b) => a - b);
  return {
    count: sorted.length,
    errors,
    seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

const rate = (s: Stats): number => s.count / s.seconds;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The run whose throughput is the median, so its latencies belong to the same run. */
function medianStats(runs: Stats[]): Stats {
  const sorted = [...runs].sort((a, b) => rate(a) - rate(b));
  const mid = sorted[Math.floor(sorted.length / 2)];
  if (!mid) throw new Error('no runs');
  return { ...mid, errors: runs.reduce((n, r) => n + r.errors, 0) };
}

function send(port: number, agent: Agent, body: Buffer): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/mutate',
        agent,
        servername: 'localhost',
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - start) / 1e6);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function closedLoop(
  port: number,
  ca: Buffer,
  body: Buffer,
  concurrency: number,
  ms: number,
): Promise<Stats> {
  const agent = new Agent({ keepAlive: true, ca, maxSockets: concurrency });
  // warm-up: open the connections and let the JIT settle, outside the measurement
  await Promise.all(Array.from({ length: concurrency * 4 }, () => send(port, agent, body)));
  const latencies: number[] = [];
  let errors = 0;
  const started = Date.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        try {
          latencies.push(await send(port, agent, body));
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  agent.destroy();
  return summarize(latencies, errors, seconds);
}

/** Open loop: requests leave on schedule whether or not earlier ones have returned. */
async function paced(
  port: number,
  ca: Buffer,
  body: Buffer,
  rate: number,
  ms: number,
): Promise<Stats> {
  const agent = new Agent({ keepAlive: true, ca, maxSockets: 64 });
  await Promise.all(Array.from({ length: 64 }, () => send(port, agent, body)));
  const latencies: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const total = Math.round((rate * ms) / 1000);
  const started = Date.now();
  let issued = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((Date.now() - started) * rate) / 1000));
      for (; issued < due; issued++) {
        pending.push(
          send(port, agent, body).then(
            (l) => void latencies.push(l),
            () => void errors++,
          ),
        );
      }
      if (issued >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  await Promise.all(pending);
  const seconds = (Date.now() - started) / 1000;
  agent.destroy();
  return summarize(latencies, errors, seconds);
}

function start(
  kind: 'webhook' | 'bare',
  cert: TestCert,
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(__filename, ['--serve', kind], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send({ cert: cert.cert.toString('base64'), key: cert.key.toString('base64') });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const durationMs = arg('duration-ms', 2000);
  const pacedRate = arg('rate', 1000);
  const repeats = arg('repeats', 3);
  const warmupMs = arg('warmup-ms', 1000);
  const body = Buffer.from(JSON.stringify(JSON.parse(readFileSync(FIXTURE, 'utf8'))));
  const cert = makeCert();
  const servers = { webhook: await start('webhook', cert), bare: await start('bare', cert) };
  try {
    out(
      `body: ${(body.length / 1024).toFixed(1)} KiB docker build-pod AdmissionReview; ${durationMs} ms per run; servers in separate processes`,
    );
    out();
    // Both servers get the same warm-up (JIT, TLS sessions) before anything is measured, and
    // each figure is the median of interleaved runs, so neither side profits from going second
    // or from a burst of load elsewhere on a shared machine.
    await closedLoop(servers.webhook.port, cert.cert, body, 8, warmupMs);
    await closedLoop(servers.bare.port, cert.cert, body, 8, warmupMs);
    out(
      `closed loop, median of ${repeats} interleaved runs after a ${warmupMs} ms warm-up of each server`,
    );
    out('concurrency   webhook rev/s   p50 ms   p99 ms  |  bare rev/s   p50 ms   p99 ms  |  ratio');
    for (const c of [1, 8, 32]) {
      const runs: { w: Stats; b: Stats }[] = [];
      for (let i = 0; i < repeats; i++) {
        const w = await closedLoop(servers.webhook.port, cert.cert, body, c, durationMs);
        const b = await closedLoop(servers.bare.port, cert.cert, body, c, durationMs);
        runs.push({ w, b });
      }
      const w = medianStats(runs.map((r) => r.w));
      const b = medianStats(runs.map((r) => r.b));
      const ratio = median(runs.map((r) => rate(r.w) / rate(r.b)));
      out(
        `${String(c).padStart(11)}   ${rate(w).toFixed(0).padStart(13)}   ${w.p50.toFixed(2).padStart(6)}   ${w.p99.toFixed(2).padStart(6)}  |  ${rate(b).toFixed(0).padStart(10)}   ${b.p50.toFixed(2).padStart(6)}   ${b.p99.toFixed(2).padStart(6)}  |  ${ratio.toFixed(2)}` +
          (w.errors + b.errors > 0 ? `  (errors: webhook ${w.errors}, bare ${b.errors})` : ''),
      );
    }
    out();
    const w = await paced(servers.webhook.port, cert.cert, body, pacedRate, durationMs);
    const b = await paced(servers.bare.port, cert.cert, body, pacedRate, durationMs);
    out(`paced at ${pacedRate} reviews/s for ${durationMs} ms (open loop):`);
    out(
      `  webhook: ${w.count} answered, ${w.errors} errors, p50 ${w.p50.toFixed(2)} ms, p99 ${w.p99.toFixed(2)} ms`,
    );
    out(
      `  bare:    ${b.count} answered, ${b.errors} errors, p50 ${b.p50.toFixed(2)} ms, p99 ${b.p99.toFixed(2)} ms`,
    );
  } finally {
    for (const s of Object.values(servers)) s.child.send('stop');
  }
}
