// The request handler: routes, bounded body reading, and the rule that a client mistake is a
// 4xx Status and never a crash. Transport-free (`dispatch`) so the fuzz test can drive the exact
// code the HTTPS server runs without sockets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Admission } from './admission';
import type { PluginAssets } from './assets';
import { HttpError, errorAnswer, readBody, writeAnswer, type JsonAnswer } from './http';
import type { Logger } from './log';
import type { MetadataLookup } from './metadata/lookup';
import type { Metrics } from './metrics';
import type { PolicySource } from './policy/source';
import { RequestTargetError, parseRequestTarget, type RequestTarget } from './request-target';
import { Router, type RouteRequest } from './router';

/** Where the console plugin's files are served; the ConsolePlugin's `backend.service.basePath`. */
export const PLUGIN_BASE = '/plugin/';

export interface AppDeps {
  log: Logger;
  metrics: Metrics;
  policy: PolicySource;
  metadata: MetadataLookup;
  maxBodyBytes: number;
  ownNamespace: string | undefined;
  trustedCreators: readonly string[];
  /** The console plugin's files, when this process also serves them. */
  assets?: PluginAssets | undefined;
}

export class App {
  readonly router = new Router();
  readonly admission: Admission;
  /** Set on SIGTERM: readyz fails and keep-alive connections are closed after their answer. */
  draining = false;
  /** More caches /readyz waits for (e.g. the compliance API's), by name. */
  readonly readinessChecks = new Map<string, () => boolean>();

  constructor(private readonly deps: AppDeps) {
    this.admission = new Admission(deps);
    this.router
      .add({
        method: 'POST',
        path: '/mutate',
        body: true,
        handler: (r) => this.admission.review(r.body),
      })
      .add({
        method: 'GET',
        path: '/healthz',
        handler: () => ({ status: 200, body: { status: 'ok' } }),
      })
      .add({ method: 'GET', path: '/readyz', handler: () => this.readiness() })
      .add({ method: 'GET', path: '/metrics', handler: () => this.metricsAnswer() })
      .add({
        method: 'GET',
        path: PLUGIN_BASE,
        prefix: true,
        handler: (r) => this.pluginAsset(r.path.slice(PLUGIN_BASE.length), r.headers),
      })
      // The API tree: the compliance routes are added by the service when there is a cluster;
      // anything else under it (or everything, without a cluster) is a 404 Status.
      .add({
        method: 'GET',
        path: '/api/v1/',
        prefix: true,
        handler: (r) =>
          errorAnswer(new HttpError(404, 'NotFound', `no such API path: ${r.path.slice(0, 100)}`)),
      });
  }

  private pluginAsset(name: string, headers: RouteRequest['headers']): JsonAnswer {
    const { assets } = this.deps;
    if (!assets) throw new HttpError(404, 'NotFound', 'this backend serves no plugin assets');
    const ifNoneMatch = headers['if-none-match'];
    return assets.answer(name, typeof ifNoneMatch === 'string' ? ifNoneMatch : undefined);
  }

  private readiness(): JsonAnswer {
    const extra = Object.fromEntries([...this.readinessChecks].map(([k, check]) => [k, check()]));
    const checks = {
      policy: this.deps.policy.synced(),
      metadata: this.deps.metadata.synced(),
      ...extra,
      draining: this.draining,
    };
    const ready =
      checks.policy && checks.metadata && Object.values(extra).every(Boolean) && !checks.draining;
    return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not ready', checks } };
  }

  private async metricsAnswer(): Promise<JsonAnswer> {
    const { registry } = this.deps.metrics;
    return { status: 200, body: await registry.metrics(), contentType: registry.contentType };
  }

  /** Answers a request whose body (if the route wants one) has already been read. */
  async dispatch(req: Omit<RouteRequest, 'body'> & { body?: Buffer }): Promise<JsonAnswer> {
    try {
      const route = this.router.match(req.method, req.path);
      return await route.handler({ ...req, body: req.body ?? Buffer.alloc(0) });
    } catch (err) {
      return this.failure(err, req.path);
    }
  }

  private failure(err: unknown, path: string): JsonAnswer {
    if (err instanceof HttpError) return errorAnswer(err);
    this.deps.log.error({ err, path }, 'unexpected error');
    return {
      status: 500,
      body: {
        apiVersion: 'v1',
        kind: 'Status',
        status: 'Failure',
        code: 500,
        reason: 'InternalError',
        message: 'internal error',
      },
    };
  }

  /** The node:https request listener. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    void this.serve(req, res);
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    let path = '';
    let answer: JsonAnswer;
    try {
      // Inside the boundary: a target no URL parser accepts (`//[`) is the client's mistake.
      const target = parseTarget(req.url);
      path = target.path;
      const route = this.router.match(method, path);
      const body = route.body ? await readBody(req, this.deps.maxBodyBytes) : undefined;
      answer = await this.dispatch({
        method,
        path,
        query: target.query,
        headers: req.headers,
        body,
      });
    } catch (err) {
      if (!(err instanceof HttpError) && (req.destroyed || res.destroyed)) return; // client went away
      answer = this.failure(err, path);
    }
    if (res.destroyed) return;
    if (this.draining) answer = { ...answer, headers: { ...answer.headers, connection: 'close' } };
    writeAnswer(res, answer);
  }
}

function parseTarget(raw: string | undefined): RequestTarget {
  try {
    return parseRequestTarget(raw);
  } catch (err) {
    if (err instanceof RequestTargetError) throw new HttpError(400, 'BadRequest', err.message);
    throw err;
  }
}
