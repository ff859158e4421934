// HTTP front of the emulator: authentication, authorization, routing to the REST handlers,
// content negotiation, Status errors, and watch over HTTP and WebSocket.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { parse as parseYaml } from 'yaml';
import type { Api, RequestContext } from './api';
import { discover } from './discovery';
import { openapiV3 } from './openapi';
import { ApiError, badRequest, methodNotAllowed, unauthorized } from './errors';
import { impersonate } from './impersonation';
import { listQuery, watchQuery, type WatchQuery } from './list-options';
import { patchTypeOf } from './patch';
import { decodeReview, isProtobuf } from './protobuf';
import { Projects, isProjects } from './projects';
import { allowed, forbiddenMessage, userByToken, type Attributes, type DemoUser } from './rbac';
import {
  RequestTargetError,
  parseRequestTarget,
  type RequestTarget,
} from '../../backend/request-target';
import { parseRequest, type RequestInfo } from './requestinfo';
import { reviews } from './reviews';
import { fieldMatcher, labelMatcher } from './selectors';
import {
  negotiate,
  partialMetadata,
  partialMetadataList,
  toTable,
  type Representation,
} from './table';
import type { KubeObject, ResourceDef } from './types';
import { apiVersionOf, storageKey } from './types';
import { httpSink, serveWatch, wsSink, type WatchSink } from './watch';

const MAX_BODY = 16 * 1024 * 1024;

export interface SubresourceRequest {
  def: ResourceDef;
  info: RequestInfo;
  query: URLSearchParams;
  body: unknown;
  ctx: RequestContext;
  user: DemoUser;
  res: ServerResponse;
}

/** A subresource handler answers with JSON, plain text, or by writing the response itself. */
export type SubresourceHandler = (
  r: SubresourceRequest,
) => Promise<{ code: number; json?: unknown; text?: string } | 'handled'>;

export const VERSION_INFO = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.0+userns-builds-emulator',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.24',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function tokenOf(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  // Browsers cannot set headers on WebSockets; kubectl and the console pass the token this way.
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim());
  const p = protocols.find((s) => s.startsWith('base64url.bearer.authorization.k8s.io.'));
  return p
    ? Buffer.from(p.slice('base64url.bearer.authorization.k8s.io.'.length), 'base64url').toString(
        'utf8',
      )
    : undefined;
}

function sendJson(res: ServerResponse, code: number, body: unknown, warnings: string[] = []): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'content-type': 'application/json',
    'cache-control': 'no-cache, private',
  };
  if (warnings.length)
    headers.warning = warnings.map((w) => `299 - ${JSON.stringify(w.replace(/[\r\n]+/g, ' '))}`);
  res.writeHead(code, headers);
  res.end(text);
}

/** A request the client got wrong, as the Status a real API server would send. */
function clientError(e: unknown): ApiError | undefined {
  if (e instanceof ApiError) return e;
  if (e instanceof RequestTargetError) return badRequest(e.message);
  return undefined;
}

function sendError(res: ServerResponse, e: unknown): void {
  const err =
    clientError(e) ??
    new ApiError(
      500,
      'InternalError',
      `Internal error occurred: ${(e as Error)?.message ?? String(e)}`,
    );
  if (!clientError(e)) console.error('[cluster] internal error', e);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY)
      throw new ApiError(
        413,
        'RequestEntityTooLarge',
        `Request entity too large: limit is ${MAX_BODY}`,
      );
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (!text) return undefined;
  // No content type means JSON, as for the API server; anything else it cannot decode is a 415.
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase() || 'application/json';
  if (mediaType !== 'application/json' && mediaType !== 'application/yaml') {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  }
  try {
    return mediaType === 'application/yaml' ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding body: ${(e as Error).message}`);
  }
}

export class ApiServer {
  readonly subresources = new Map<string, SubresourceHandler>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => {
      if (protocols.has('base64.binary.k8s.io')) return 'base64.binary.k8s.io';
      const first = [...protocols][0];
      return first ?? false;
    },
  });

  private readonly projects: Projects;

  constructor(private readonly api: Api) {
    this.projects = new Projects(api);
  }

  private authorize(user: DemoUser, info: RequestInfo): void {
    const namespace = info.resource === 'namespaces' && !info.group ? info.name : info.namespace;
    const a: Attributes = {
      verb: info.verb === 'watch' && info.name ? 'watch' : info.verb,
      group: info.group,
      resource: info.resource,
      ...(info.subresource ? { subresource: info.subresource } : {}),
      ...(namespace ? { namespace } : {}),
      ...(info.name ? { name: info.name } : {}),
    };
    if (!allowed(user, a)) {
      throw new ApiError(403, 'Forbidden', forbiddenMessage(user.username, a), {
        ...(info.name ? { name: info.name } : {}),
        group: info.group,
        kind: info.resource,
      });
    }
  }

  private resolve(info: RequestInfo): ResourceDef {
    const def = this.api.registry.find(info.group, info.version, info.resource);
    if (!def)
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (info.subresource && !def.subresources?.includes(info.subresource)) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    return def;
  }

  /** Authenticates and resolves a resource request; shared by HTTP and WebSocket. */
  private prepare(
    req: IncomingMessage,
    target: RequestTarget,
  ): { user: DemoUser; info?: RequestInfo; query: URLSearchParams } {
    const authenticated = userByToken(tokenOf(req));
    if (!authenticated) throw unauthorized();
    const user = impersonate(authenticated, req.headersDistinct);
    const info = parseRequest(req.method ?? 'GET', target.path, target.query);
    return { user, ...(info ? { info } : {}), query: target.query };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (e) {
      sendError(res, e);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = parseRequestTarget(req.url);
    const { path } = target;
    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (path === '/version') return sendJson(res, 200, VERSION_INFO);
    const { user, info, query } = this.prepare(req, target);
    if (!info) {
      const doc = path.startsWith('/openapi/v3')
        ? openapiV3(this.api.registry, path)
        : discover(this.api.registry, path);
      if (doc && req.method === 'GET') return sendJson(res, 200, doc);
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const def = this.resolve(info);
    this.authorize(user, info);
    const q = query;
    // Before a watch's 200 goes out.
    const watchOptions = info.verb === 'watch' ? watchQuery(q) : undefined;
    const ctx: RequestContext = { user, dryRun: dryRunOf(q), warnings: [] };
    const rep = negotiate(req.headers.accept, q.get('includeObject') ?? undefined);
    const raw = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method ?? '')
      ? await readRaw(req)
      : Buffer.alloc(0);
    const protobuf = isProtobuf(req.headers['content-type']);
    if (protobuf && !(def.virtual && info.verb === 'create')) {
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        'the emulator accepts application/json and application/yaml',
      );
    }
    const text = protobuf ? JSON.stringify(decodeReview(raw)) : raw.toString('utf8');
    const ns = def.namespaced ? info.namespace : undefined;
    const name = info.name;

    if (info.subresource && info.subresource !== 'status') {
      const handler = this.subresources.get(`${storageKey(def)}/${info.subresource}`);
      if (!handler) throw methodNotAllowed();
      const body = info.verb === 'patch' ? text : parseBody(text, req.headers['content-type']);
      const out = await handler({ def, info, query: q, body, ctx, user, res });
      if (out === 'handled') return;
      if (out.text !== undefined) {
        res.writeHead(out.code, { 'content-type': 'text/plain' }).end(out.text);
        return;
      }
      return sendJson(res, out.code, out.json, ctx.warnings);
    }

    if (isProjects(def))
      return this.project(def, info, q, watchOptions, rep, { ...ctx, user }, res);
    if (def.virtual) return this.review(def, info, text, req, res, user);

    switch (info.verb) {
      case 'get':
        return sendJson(
          res,
          200,
          this.represent(def, [this.api.get(def, ns, name!)], rep, {}, true),
        );
      case 'list': {
        const result = this.api.list(def, ns, listQuery(q));
        return sendJson(res, 200, this.represent(def, result.items, rep, result.metadata, false));
      }
      case 'watch':
        return this.watch(def, info, watchOptions ?? watchQuery(q), rep, user)(httpSink(res));
      case 'create': {
        if (name) throw methodNotAllowed();
        const obj = await this.api.create(
          def,
          ns,
          parseBody(text, req.headers['content-type']) as KubeObject,
          ctx,
        );
        return sendJson(res, 201, obj, ctx.warnings);
      }
      case 'update': {
        const obj = await this.api.update(
          def,
          ns,
          name!,
          parseBody(text, req.headers['content-type']) as KubeObject,
          ctx,
          info.subresource,
        );
        return sendJson(res, 200, obj, ctx.warnings);
      }
      case 'patch': {
        const obj = await this.api.patch(
          def,
          ns,
          name!,
          patchTypeOf(req.headers['content-type']),
          text,
          ctx,
          info.subresource,
        );
        return sendJson(res, 200, obj, ctx.warnings);
      }
      case 'delete':
        return sendJson(res, 200, await this.api.delete(def, ns, name!, ctx), ctx.warnings);
      case 'deletecollection': {
        const items = this.api.deleteCollection(def, ns, listQuery(q), ctx);
        return sendJson(res, 200, {
          kind: `${def.kind}List`,
          apiVersion: apiVersionOf(def),
          metadata: { resourceVersion: String(this.api.store.resourceVersion) },
          items,
        });
      }
      default:
        throw methodNotAllowed();
    }
  }

  private represent(
    def: ResourceDef,
    items: readonly KubeObject[],
    rep: Representation,
    listMeta: object,
    single: boolean,
  ): unknown {
    if (rep.as === 'Table')
      return toTable(
        def,
        items,
        rep,
        single ? { resourceVersion: items[0]?.metadata.resourceVersion } : listMeta,
      );
    if (rep.as === 'PartialObjectMetadata') {
      return single
        ? partialMetadata(items[0]!, rep.version)
        : partialMetadataList(items, rep.version, listMeta);
    }
    if (single) return items[0];
    return { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: listMeta, items };
  }

  /**
   * Checks a watch request (selectors included) and returns what starts it on a sink: a bad
   * selector must be a 400 before a 200 or a WebSocket upgrade has gone out.
   */
  private watch(
    def: ResourceDef,
    info: RequestInfo,
    w: WatchQuery,
    rep: Representation,
    user: DemoUser,
  ): (sink: WatchSink) => void {
    const projects = isProjects(def);
    const nameSelector = info.name ? `metadata.name=${info.name}` : undefined;
    const fields = fieldMatcher([w.fieldSelector, nameSelector].filter(Boolean).join(','), def);
    const labels = labelMatcher(w.labelSelector);
    return (sink) =>
      serveWatch(sink, {
        store: this.api.store,
        key: projects ? 'namespaces' : storageKey(def),
        ...(def.namespaced && info.namespace ? { namespace: info.namespace } : {}),
        match: (o) => labels(o) && fields(o),
        ...(w.resourceVersion !== undefined ? { resourceVersion: w.resourceVersion } : {}),
        ...(w.timeoutSeconds ? { timeoutSeconds: w.timeoutSeconds } : {}),
        sendInitialEvents: w.sendInitialEvents,
        allowBookmarks: w.allowBookmarks,
        bookmarkType: { apiVersion: apiVersionOf(def), kind: def.kind },
        ...(projects ? { view: this.projects.view(user) } : {}),
        encode: (obj, first) => {
          const typed = { ...obj, apiVersion: apiVersionOf(def), kind: def.kind };
          if (rep.as === 'Table')
            return toTable(
              def,
              [typed],
              rep,
              { resourceVersion: obj.metadata.resourceVersion },
              first,
            );
          if (rep.as === 'PartialObjectMetadata') return partialMetadata(typed, rep.version);
          return typed;
        },
      });
  }

  /** Projects: a per-user view of namespaces (`projects.ts`). */
  private async project(
    def: ResourceDef,
    info: RequestInfo,
    q: URLSearchParams,
    watchOptions: WatchQuery | undefined,
    rep: Representation,
    ctx: RequestContext & { user: DemoUser },
    res: ServerResponse,
  ): Promise<void> {
    const { user } = ctx;
    switch (info.verb) {
      case 'watch':
        return this.watch(def, info, watchOptions ?? watchQuery(q), rep, user)(httpSink(res));
      case 'list': {
        const { items, metadata } = this.projects.list(user, listQuery(q));
        return sendJson(res, 200, this.represent(def, items, rep, metadata, false));
      }
      case 'get':
        return sendJson(
          res,
          200,
          this.represent(def, [this.projects.get(user, info.name!)], rep, {}, true),
        );
      case 'delete':
        return sendJson(res, 200, await this.projects.delete(user, info.name!, ctx), ctx.warnings);
      default:
        throw methodNotAllowed();
    }
  }

  /** Access and token reviews: answered, never stored. */
  private review(
    def: ResourceDef,
    info: RequestInfo,
    text: string,
    req: IncomingMessage,
    res: ServerResponse,
    user: DemoUser,
  ): void {
    if (info.verb !== 'create') throw methodNotAllowed();
    const contentType = isProtobuf(req.headers['content-type'])
      ? 'application/json'
      : req.headers['content-type'];
    const body = parseBody(text, contentType) as KubeObject | undefined;
    const answer = reviews(def, body, user);
    return sendJson(res, 201, answer);
  }

  /** WebSocket upgrades: watches only, as the console uses them. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let start: (sink: WatchSink) => void;
    try {
      const { user, info, query } = this.prepare(req, parseRequestTarget(req.url));
      if (!info || info.verb !== 'watch')
        throw badRequest('only watch requests can be upgraded to a WebSocket');
      const def = this.resolve(info);
      this.authorize(user, info);
      start = this.watch(def, info, watchQuery(query), negotiate(req.headers.accept), user);
    } catch (e) {
      const err = clientError(e) ?? badRequest(String(e));
      const body = JSON.stringify(err.toStatus());
      socket.end(
        `HTTP/1.1 ${err.code} ${err.reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => start(wsSink(ws)));
  }
}

/** `dryRun=All` is the only value the API server knows; anything else is refused, not ignored. */
function dryRunOf(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  const unknown = values.filter((v) => v !== 'All');
  if (unknown.length > 0) {
    throw badRequest(
      `invalid dryRun value ${JSON.stringify(unknown[0])}: the only supported value is "All"`,
    );
  }
  return values.length > 0;
}
