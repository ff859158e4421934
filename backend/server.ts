// The HTTPS server: keep-alive, hot TLS swap, and a drain that lets in-flight reviews finish.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { App } from './app';
import type { Config } from './config';
import type { Logger } from './log';
import type { TlsMaterial } from './tls';

export type ServerLimits = Pick<Config, 'tlsHandshakeTimeoutMs' | 'maxConnections'>;

export class WebhookServer {
  readonly server: Server;
  private inFlight = 0;
  private idle: (() => void)[] = [];
  private dropped = 0;
  private dropReported = 0;

  constructor(
    private readonly app: App,
    tls: TlsMaterial,
    private readonly log: Logger,
    limits: ServerLimits,
  ) {
    this.server = createServer(
      {
        cert: tls.cert,
        key: tls.key,
        minVersion: 'TLSv1.2',
        handshakeTimeout: limits.tlsHandshakeTimeoutMs,
        // Bounds a client that opens a request and never finishes it.
        requestTimeout: 30_000,
        headersTimeout: 10_000,
      },
      (req, res) => {
        this.inFlight++;
        res.once('close', () => {
          this.inFlight--;
          if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
          if (this.app.draining) this.server.closeIdleConnections();
        });
        this.app.handle(req, res);
      },
    );
    // The API server reuses connections; keep them longer than its idle timeout.
    this.server.keepAliveTimeout = 65_000;
    this.server.on('tlsClientError', (err: NodeJS.ErrnoException) =>
      this.log.debug({ err: err.message, code: err.code }, 'TLS handshake failed'),
    );
    this.server.maxConnections = limits.maxConnections;
    this.server.on('drop', () => this.reportDrop(limits.maxConnections));
  }

  /** At most one warning a minute: a flood of refused connections must not flood the log too. */
  private reportDrop(max: number): void {
    this.dropped++;
    const now = Date.now();
    if (now - this.dropReported < 60_000) return;
    this.dropReported = now;
    this.log.warn(
      { maxConnections: max, dropped: this.dropped },
      'connection limit reached; closing new connections',
    );
    this.dropped = 0;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Installs a new certificate for new connections; existing ones keep theirs. */
  setTls(material: TlsMaterial): void {
    this.server.setSecureContext({ cert: material.cert, key: material.key, minVersion: 'TLSv1.2' });
  }

  /**
   * Stops accepting, lets in-flight requests finish (up to graceMs), then closes what is left.
   * Resolves when the listening socket and every connection are closed.
   */
  async shutdown(graceMs: number): Promise<{ forced: boolean }> {
    this.app.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const drained =
      this.inFlight === 0
        ? Promise.resolve(true)
        : new Promise<boolean>((resolve) => this.idle.push(() => resolve(true)));
    const forced = !(await Promise.race([
      drained,
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]));
    if (timer) clearTimeout(timer);
    if (forced)
      this.log.warn({ inFlight: this.inFlight }, 'grace period over; closing connections');
    this.server.closeAllConnections();
    await closed;
    return { forced };
  }
}
