// Starts the real App + HTTPS server on 127.0.0.1:0 and talks to it with node:https, the way the
// API server does (keep-alive, TLS verified against the test CA).
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { BUILD_CONTROLLER_USER } from '@userns-builds/core';
import { App } from '../app';
import { SERVER_LIMIT_DEFAULTS, parseConfig } from '../config';
import { connectCluster } from '../kube/connect';
import { createLogger, type Logger } from '../log';
import { NoMetadataLookup, type MetadataLookup } from '../metadata/lookup';
import { Metrics } from '../metrics';
import type { PolicySource } from '../policy/source';
import { WebhookServer, type ServerLimits } from '../server';
import { startService, type RunningService } from '../service';
import { certDir, makeCert, type TestCert } from '../../testing/certs';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures');

export type ReviewFixture =
  | 'review-docker-privileged'
  | 'review-source-privileged'
  | 'review-custom-privileged'
  | 'review-docker-build-opt-in'
  | 'review-source-build-opt-out'
  | 'review-plain-pod';

export const BUILD_REVIEW_FIXTURES: ReviewFixture[] = [
  'review-docker-privileged',
  'review-source-privileged',
  'review-custom-privileged',
  'review-docker-build-opt-in',
  'review-source-build-opt-out',
];

/** A fresh copy from disk on every call: no test can leak a mutation into another. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary fields
export function loadReview(name: ReviewFixture): any {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8'));
}

/** Captures log lines in memory so tests can assert on them (and that secrets never appear). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  records(): any[] {
    return this.lines.map((l) => JSON.parse(l));
  }
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json(): any;
}

export interface TestServer {
  port: number;
  app: App;
  server: WebhookServer;
  metrics: Metrics;
  logs: LogCapture;
  log: Logger;
  cert: TestCert;
  agent: Agent;
  send(
    method: string,
    path: string,
    body?: string | Buffer,
    headers?: Record<string, string>,
  ): Promise<HttpResult>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  review(review: unknown): Promise<any>;
  stop(): Promise<void>;
}

export function httpsSend(
  opts: { port: number; agent: Agent },
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: opts.port,
        method,
        path,
        agent: opts.agent,
        servername: 'localhost',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function startTestServer(opts: {
  policy: PolicySource;
  metadata?: MetadataLookup;
  maxBodyBytes?: number;
  ownNamespace?: string;
  cert?: TestCert;
  trustedCreators?: string[];
  limits?: Partial<ServerLimits>;
}): Promise<TestServer> {
  const logs = new LogCapture();
  const log = createLogger('debug', logs);
  const metrics = new Metrics();
  metrics.policyGenerationSource = () => opts.policy.current().generation;
  const cert = opts.cert ?? makeCert();
  const app = new App({
    log,
    metrics,
    policy: opts.policy,
    metadata: opts.metadata ?? new NoMetadataLookup(),
    maxBodyBytes: opts.maxBodyBytes ?? 6 * 1024 * 1024,
    ownNamespace: opts.ownNamespace,
    trustedCreators: opts.trustedCreators ?? [BUILD_CONTROLLER_USER],
  });
  const server = new WebhookServer(app, cert, log, { ...SERVER_LIMIT_DEFAULTS, ...opts.limits });
  const port = await server.listen(0, '127.0.0.1');
  const agent = new Agent({ keepAlive: true, ca: cert.cert, maxSockets: 16 });
  const send = (
    method: string,
    path: string,
    body?: string | Buffer,
    headers?: Record<string, string>,
  ) => httpsSend({ port, agent }, method, path, body, headers);
  return {
    port,
    app,
    server,
    metrics,
    logs,
    log,
    cert,
    agent,
    send,
    async review(review: unknown) {
      const res = await send('POST', '/mutate', JSON.stringify(review));
      if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${res.text}`);
      return res.json();
    },
    async stop() {
      agent.destroy();
      await server.shutdown(1000);
    },
  };
}

/** The JSON Patch of an answer, decoded; [] when there is none. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function patchOf(answer: any): any[] {
  const patch = answer?.response?.patch;
  return typeof patch === 'string' ? JSON.parse(Buffer.from(patch, 'base64').toString('utf8')) : [];
}

/**
 * The whole backend in-process, configured as it runs against a cluster: from a kubeconfig, on a
 * free port of 127.0.0.1, serving the given certificate.
 */
export async function startClusterService(
  kubeconfig: string,
  cert: TestCert,
  log: Logger,
  /** More flags, e.g. the recorder's lease settings. */
  extraArgs: string[] = [],
): Promise<RunningService> {
  const tls = certDir(cert);
  const parsed = parseConfig(
    [
      ...['--tls-cert', tls.certPath, '--tls-key', tls.keyPath, '--kubeconfig', kubeconfig],
      ...['--port', '0', '--host', '127.0.0.1', '--namespace', 'userns-builds'],
      ...extraArgs,
    ],
    {},
    { serviceAccountNamespace: () => undefined },
  );
  if (parsed.help) throw new Error('unexpected --help');
  return startService(parsed.config, log, connectCluster(parsed.config, log));
}
