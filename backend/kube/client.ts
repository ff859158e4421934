// A small Kubernetes REST client: the requests this backend makes (metadata-only lists and watches,
// bounded GETs, status patches) with full control of Accept headers and timeouts, which the
// generated @kubernetes/client-node APIs do not give. Authentication and TLS come from outside
// (`prepare`), in production from client-node's KubeConfig (see connect.ts).
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';

export interface KubeEndpoint {
  /** e.g. https://api.example:6443 or http://127.0.0.1:PORT */
  server: string;
  /**
   * Adds TLS settings and credentials to a request. Called per request, not once, because
   * in-cluster service account tokens rotate on disk.
   */
  prepare(opts: https.RequestOptions): Promise<void>;
}

/** A non-2xx answer from the API server, with the Status reason when it sent one. */
export class KubeError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

export class KubeTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = 'KubeTimeoutError';
  }
}

export const ACCEPT_JSON = 'application/json';
export const ACCEPT_METADATA_LIST =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
export const ACCEPT_METADATA = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

export interface RequestOptions {
  accept?: string;
  body?: unknown;
  contentType?: string;
  timeoutMs: number;
  /**
   * Send the request as this bearer token (a caller's own, for its self-subject reviews) instead
   * of the endpoint's credentials; the endpoint still supplies the server's CA.
   */
  asToken?: string;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- objects of any kind
  object: any;
}

export class KubeClient {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly secure: boolean;

  constructor(private readonly endpoint: KubeEndpoint) {
    this.url = new URL(endpoint.server);
    this.secure = this.url.protocol === 'https:';
    // One pool of kept-alive connections for short requests; watches use their own (below),
    // so a dozen long-lived streams can never starve a lookup on the request path.
    this.agent = this.secure
      ? new https.Agent({ keepAlive: true, maxSockets: 8 })
      : new http.Agent({ keepAlive: true, maxSockets: 8 });
  }

  private async options(
    method: string,
    path: string,
    accept: string,
    long: boolean,
    asToken?: string,
  ) {
    const opts: https.RequestOptions = {
      method,
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      port: this.url.port,
      path: `${this.url.pathname.replace(/\/$/, '')}${path}`,
      headers: { accept },
    };
    await this.endpoint.prepare(opts);
    if (asToken !== undefined) {
      // Nothing of our own identity may ride along: no client certificate, no other header.
      delete opts.cert;
      delete opts.key;
      delete opts.pfx;
      opts.headers = { accept, authorization: `Bearer ${asToken}` };
    }
    opts.agent = long ? false : this.agent;
    return opts;
  }

  private send(opts: https.RequestOptions): http.ClientRequest {
    return this.secure ? https.request(opts) : http.request(opts);
  }

  /** One request, bounded by timeoutMs from start to the last byte. */
  async request<T = unknown>(method: string, path: string, o: RequestOptions): Promise<T> {
    const { status, text } = await this.exchange(method, path, o);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (status >= 200 && status < 300) return body as T;
    throw toKubeError(status, body);
  }

  /**
   * A plain-text GET (a container log), bounded in time and in size: at most maxBytes are kept
   * whatever the server sends, so a server ignoring limitBytes cannot flood the process.
   */
  async requestText(path: string, o: { timeoutMs: number; maxBytes: number }): Promise<string> {
    const { status, text } = await this.exchange('GET', path, { ...o, accept: '*/*' });
    if (status >= 200 && status < 300) return text;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    throw toKubeError(status, body);
  }

  private async exchange(
    method: string,
    path: string,
    o: RequestOptions & { maxBytes?: number },
  ): Promise<{ status: number; text: string }> {
    const opts = await this.options(method, path, o.accept ?? ACCEPT_JSON, false, o.asToken);
    const payload = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
    if (payload) {
      opts.headers = {
        ...opts.headers,
        'content-type': o.contentType ?? 'application/json',
        'content-length': payload.length,
      };
    }
    return new Promise((resolve, reject) => {
      const req = this.send(opts);
      const timer = setTimeout(() => {
        req.destroy(new KubeTimeoutError(`${method} ${path}`, o.timeoutMs));
      }, o.timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          clearTimeout(timer);
          const all = Buffer.concat(chunks);
          const text = (o.maxBytes === undefined ? all : all.subarray(0, o.maxBytes)).toString(
            'utf8',
          );
          resolve({ status: res.statusCode ?? 0, text });
        };
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          size += c.length;
          if (o.maxBytes !== undefined && size >= o.maxBytes) {
            res.removeAllListeners('end');
            res.destroy();
            done();
          }
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        res.on('end', done);
      });
      req.end(payload);
    });
  }

  /**
   * Streams watch events until the server ends the stream (resolve) or something fails (reject
   * with KubeError for an HTTP status). `signal` stops it; that resolves.
   */
  async watch(
    path: string,
    accept: string,
    onEvent: (e: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    if (signal.aborted) return;
    const opts = await this.options('GET', path, accept, true);
    return new Promise<void>((resolve, reject) => {
      const req = this.send(opts);
      const abort = () => {
        req.destroy();
        resolve();
      };
      signal.addEventListener('abort', abort, { once: true });
      const finish = (err?: unknown) => {
        signal.removeEventListener('abort', abort);
        if (err && !signal.aborted) reject(err);
        else resolve();
      };
      req.on('error', finish);
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let body: unknown;
            try {
              body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              body = undefined;
            }
            finish(toKubeError(status, body));
          });
          return;
        }
        const lines = createInterface({ input: res, crlfDelay: Infinity });
        lines.on('line', (line) => {
          if (!line.trim()) return;
          let event: WatchEvent;
          try {
            event = JSON.parse(line) as WatchEvent;
          } catch {
            return; // a torn line at a connection drop; the resync covers it
          }
          onEvent(event);
        });
        // A dropped connection surfaces on both; without these listeners it would crash the process.
        res.on('error', finish);
        lines.on('error', finish);
        lines.on('close', () => finish());
      });
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function toKubeError(status: number, body: unknown): KubeError {
  const b = body as { reason?: unknown; message?: unknown } | undefined;
  return new KubeError(
    status,
    typeof b?.reason === 'string' ? b.reason : String(status),
    typeof b?.message === 'string' ? b.message : `HTTP ${status}`,
  );
}

/**
 * The path of one namespaced object, e.g. objectPath('/apis/build.openshift.io/v1', 'builds',
 * ns, name); namespace and name are encoded, as both may come from a request.
 */
export function objectPath(api: string, resource: string, namespace: string, name: string): string {
  return `${api}/namespaces/${encodeURIComponent(namespace)}/${resource}/${encodeURIComponent(name)}`;
}

/**
 * Whether a name can stand as the one path segment that names an object (apimachinery's
 * ValidatePathSegmentName). Names taken from a request are hostile: `.` or `..` would make the
 * path name the whole collection, a list where one object was meant.
 */
export function isPathSegmentName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/%]/.test(name);
}

/** An endpoint from a URL and a bearer token, for tests and tools; production uses a KubeConfig. */
export function tokenEndpoint(server: string, token: string, ca?: Buffer): KubeEndpoint {
  return {
    server,
    async prepare(opts) {
      opts.headers = { ...opts.headers, authorization: `Bearer ${token}` };
      if (ca) opts.ca = ca;
    },
  };
}
