// Method + path → handler. Exact paths for the operational endpoints and /mutate; prefixes for
// API trees, so the compliance API (/api/v1/...) can be mounted without touching this file.
import type { JsonAnswer } from './http';
import { HttpError } from './http';
import { RequestTargetError, checkRelayPath } from './request-target';

export interface RouteRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Empty unless the route asked for the body. */
  body: Buffer;
}

/** Where a route sits among paths: all that mostSpecific needs of any route table. */
export interface PathPattern {
  /** Exact path, or a prefix ending in '/' when `prefix` is set. */
  path: string;
  prefix?: boolean;
}

export interface Route extends PathPattern {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Read the request body (bounded) before calling the handler. */
  body?: boolean;
  handler: (req: RouteRequest) => Promise<JsonAnswer> | JsonAnswer;
}

export class Router {
  private readonly routes: Route[] = [];

  add(route: Route): this {
    this.routes.push(route);
    return this;
  }

  /** The route for a request, or an HttpError: 404 for an unknown path, 405 for a wrong method. */
  match(method: string, path: string): Route {
    const onPath = mostSpecific(this.routes, path);
    if (onPath.length === 0)
      throw new HttpError(404, 'NotFound', `no such path: ${truncate(path)}`);
    // HEAD is GET without the body (Node's response drops it): probes and load balancers use it.
    // A tree mounted by prefix reads its path segment by segment: it only ever sees clean ones
    // (no `//`, `..`, encoded `/`, or malformed escapes) that cannot reach outside it.
    if (onPath.some((r) => r.prefix)) cleanPath(path);
    const route = onPath.find((r) => r.method === (method === 'HEAD' ? 'GET' : method));
    if (!route) {
      const methods = onPath.flatMap((r) => (r.method === 'GET' ? ['GET', 'HEAD'] : [r.method]));
      const allow = [...new Set(methods)].join(', ');
      throw new HttpError(
        405,
        'MethodNotAllowed',
        `${truncate(method)} not allowed; use ${allow}`,
        {
          allow,
        },
      );
    }
    return route;
  }
}

/**
 * The routes on a path, the most specific only: those with exactly this path, else those with
 * the longest prefix of it (so /api/v1/compliance/ routes take precedence over the catch-all
 * /api/v1/). Empty when none matches.
 */
export function mostSpecific<R extends PathPattern>(routes: readonly R[], path: string): R[] {
  const matching = routes.filter((r) => (r.prefix ? path.startsWith(r.path) : r.path === path));
  const exact = matching.filter((r) => !r.prefix);
  if (exact.length) return exact;
  const longest = Math.max(0, ...matching.map((r) => r.path.length));
  return matching.filter((r) => r.path.length === longest);
}

function cleanPath(path: string): void {
  try {
    checkRelayPath(path);
  } catch (err) {
    if (err instanceof RequestTargetError) throw new HttpError(400, 'BadRequest', err.message);
    throw err;
  }
}

function truncate(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}
