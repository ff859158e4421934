// The server's lifecycle over real sockets: certificate rotation under load and the SIGTERM drain.
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { effectivePolicy } from '@userns-builds/core';
import type { LookupResult, MetadataLookup } from './metadata/lookup';
import { StaticPolicySource } from './policy/source';
import { certDir, makeCert, rotate, type TestCert } from '../testing/certs';
import { httpsSend, loadReview, startTestServer } from './testing/harness';
import { until } from '../testing/until';
import { TlsReloader, loadTlsMaterial } from './tls';

const enabled = new StaticPolicySource({
  policy: effectivePolicy({
    userNamespaces: { default: 'Enabled' },
    passthroughAnnotations: ['example.com/tier'],
  }),
  generation: 1,
});

function servedFingerprint(port: number, ca: Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const fp = socket.getPeerX509Certificate()?.fingerprint256 ?? '';
      socket.end();
      resolve(fp);
    });
    socket.on('error', reject);
  });
}

const fingerprintOf = (c: TestCert) => new X509Certificate(c.cert).fingerprint256;

test('loadTlsMaterial refuses a key that does not match, naming the files', () => {
  const a = makeCert();
  const b = makeCert();
  const paths = certDir({ cert: a.cert, key: b.key });
  expect(() => loadTlsMaterial(paths.certPath, paths.keyPath)).toThrow(/does not match/);
  writeFileSync(paths.certPath, 'not a cert');
  expect(() => loadTlsMaterial(paths.certPath, paths.keyPath)).toThrow(
    /tls.crt is not a PEM certificate/,
  );
});

test('certificate rotation under load: zero failed requests, then the new certificate is served', async () => {
  const first = makeCert();
  const second = makeCert();
  const mismatched = makeCert();
  const paths = certDir(first);
  const srv = await startTestServer({ policy: enabled, cert: first });
  const reloader = new TlsReloader({
    ...paths,
    initial: first,
    apply: (m) => srv.server.setTls(m),
    log: srv.log,
    debounceMs: 20,
  });
  reloader.start();
  const ca = [first.cert, second.cert];
  const keepAlive = new Agent({ keepAlive: true, ca, maxSockets: 4 });
  // Half the requests open a fresh connection each, so handshakes happen throughout the swap.
  const fresh = new Agent({ keepAlive: false, ca });
  const body = JSON.stringify(loadReview('review-docker-privileged'));
  try {
    expect(await servedFingerprint(srv.port, ca)).toBe(fingerprintOf(first));
    const failures: string[] = [];
    let done = 0;
    const total = 240;
    const worker = async (agent: Agent) => {
      while (done < total) {
        done++;
        try {
          const res = await httpsSend({ port: srv.port, agent }, 'POST', '/mutate', body);
          if (res.status !== 200 || !res.json().response.patch)
            failures.push(`status ${res.status}`);
        } catch (err) {
          failures.push((err as Error).message);
        }
        if (done === total / 4) {
          // a broken intermediate state first (cert without its key): must be ignored
          writeFileSync(paths.certPath, mismatched.cert);
        }
        if (done === total / 2) rotate(paths, second);
      }
    };
    await Promise.all([worker(keepAlive), worker(keepAlive), worker(fresh), worker(fresh)]);
    expect(failures).toEqual([]);
    // The swap is asynchronous (watch + debounce): wait for it, boundedly, by count not by clock.
    let served = '';
    for (let i = 0; i < 200 && served !== fingerprintOf(second); i++) {
      await new Promise((r) => setTimeout(r, 10));
      served = await servedFingerprint(srv.port, ca);
    }
    expect(served).toBe(fingerprintOf(second));
    // and a review over a fresh connection still works with the new certificate only
    const onlyNew = new Agent({ keepAlive: false, ca: [second.cert] });
    expect(
      (await httpsSend({ port: srv.port, agent: onlyNew }, 'POST', '/mutate', body)).status,
    ).toBe(200);
    expect(srv.logs.records().some((r) => /not usable/.test(r.msg ?? ''))).toBe(true);
  } finally {
    reloader.stop();
    keepAlive.destroy();
    fresh.destroy();
    await srv.stop();
  }
});

/** Holds every lookup until released, so a review can be caught in flight. */
class GateLookup implements MetadataLookup {
  calls = 0;
  private waiters: (() => void)[] = [];
  private release: (() => void) | undefined;
  private readonly gate = new Promise<void>((r) => (this.release = r));
  async get(): Promise<LookupResult> {
    this.calls++;
    for (const w of this.waiters.splice(0)) w();
    await this.gate;
    return { kind: 'found', meta: { annotations: { 'example.com/tier': 'gold' } } };
  }
  called(): Promise<void> {
    return this.calls > 0 ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }
  open(): void {
    this.release?.();
  }
  synced = () => true;
  start = async () => {};
  stop = () => {};
}

test('graceful shutdown: stops accepting, the in-flight review completes, then it closes', async () => {
  const gate = new GateLookup();
  const srv = await startTestServer({ policy: enabled, metadata: gate });
  const review = loadReview('review-docker-privileged');
  const inFlight = srv.send('POST', '/mutate', JSON.stringify(review));
  await gate.called();
  const shutdown = srv.server.shutdown(10_000);
  // new connections are refused while the old one is still being answered
  const fresh = new Agent({ keepAlive: false, ca: srv.cert.cert });
  await expect(httpsSend({ port: srv.port, agent: fresh }, 'GET', '/healthz')).rejects.toThrow(
    /ECONNREFUSED/,
  );
  gate.open();
  const res = await inFlight;
  expect(res.status).toBe(200);
  expect(res.headers.connection).toBe('close');
  const answer = res.json();
  expect(answer.response.uid).toBe(review.request.uid);
  expect(answer.response.patch).toBeDefined();
  expect(await shutdown).toEqual({ forced: false });
  srv.agent.destroy();
});

test('graceful shutdown is bounded: a review stuck past the grace period is cut off', async () => {
  const gate = new GateLookup();
  const srv = await startTestServer({ policy: enabled, metadata: gate });
  const inFlight = srv.send(
    'POST',
    '/mutate',
    JSON.stringify(loadReview('review-docker-privileged')),
  );
  await gate.called();
  expect(await srv.server.shutdown(50)).toEqual({ forced: true });
  await expect(inFlight).rejects.toThrow(/socket hang up|ECONNRESET/);
  gate.open();
  srv.agent.destroy();
});

/** Resolves when the server closes a raw TCP connection on which the client says nothing. */
function silentConnection(port: number): { closed: Promise<'closed by the server'>; end(): void } {
  const socket = netConnect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  return {
    closed: new Promise((resolve) => socket.on('close', () => resolve('closed by the server'))),
    end: () => socket.destroy(),
  };
}

/**
 * A finished TLS handshake, kept open; rejects when the server closes it first. Every socket goes
 * into `opened`, so a failing test can still close them all (the server waits for them).
 */
function tlsSession(port: number, ca: Buffer, opened: TLSSocket[]): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () =>
      resolve(socket),
    );
    opened.push(socket);
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('closed before the handshake finished')));
  });
}

test('a connection that never starts its TLS handshake is closed after the handshake timeout', async () => {
  const srv = await startTestServer({ policy: enabled, limits: { tlsHandshakeTimeoutMs: 200 } });
  const silent = silentConnection(srv.port);
  try {
    // Node's default would hold it for 120 s, far beyond this test's 5 s.
    await expect(silent.closed).resolves.toBe('closed by the server');
    await until(
      () => srv.logs.records().some((r) => r.code === 'ERR_TLS_HANDSHAKE_TIMEOUT'),
      'the timeout is logged',
    );
    expect((await srv.send('GET', '/healthz')).status).toBe(200);
  } finally {
    silent.end();
    await srv.stop();
  }
});

test('connections over maxConnections are closed at once; a freed slot serves again', async () => {
  const srv = await startTestServer({ policy: enabled, limits: { maxConnections: 2 } });
  const opened: TLSSocket[] = [];
  try {
    const first = await tlsSession(srv.port, srv.cert.cert, opened);
    await tlsSession(srv.port, srv.cert.cert, opened);
    await expect(tlsSession(srv.port, srv.cert.cert, opened)).rejects.toThrow(
      /ECONNRESET|socket disconnected|closed before/,
    );
    await until(
      () => srv.logs.records().some((r) => /connection limit reached/.test(r.msg ?? '')),
      'the drop is logged',
    );
    first.destroy();
    const fresh = new Agent({ keepAlive: false, ca: srv.cert.cert });
    let status = 0;
    await until(async () => {
      status = await httpsSend({ port: srv.port, agent: fresh }, 'GET', '/healthz').then(
        (r) => r.status,
        () => 0,
      );
      return status === 200;
    }, 'a request on the freed slot');
    expect(status).toBe(200);
  } finally {
    for (const s of opened) s.destroy();
    await srv.stop();
  }
});
