// The request target of an HTTP/1.1 request (RFC 9112 §3.2), taken apart without ever throwing
// anything but a RequestTargetError. Node hands the target over exactly as the client sent it, so
// `new URL(req.url, base)` is wrong twice: it throws on targets such as `//[` (outside whatever
// error boundary the server has) and it reads a path starting with `//` as a host. Every server
// in this repository (the webhook, the local cluster, the console shell) parses targets here.

/** A target the server cannot serve; the message says what was wrong, for a 400 answer. */
export class RequestTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestTargetError';
  }
}

export interface RequestTarget {
  /** The path as sent (percent-encoding kept), always starting with `/`; never a host. */
  path: string;
  /** `?` and the query as sent, or ''. */
  search: string;
  query: URLSearchParams;
  /** The host[:port] of an absolute-form target, which stands in for the Host header. */
  authority?: string;
}

const ABSOLUTE = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i;

/** Quotes a piece of a hostile target for an error message: bounded, control characters escaped. */
export function quoteTarget(s: string): string {
  return JSON.stringify(s.length > 100 ? `${s.slice(0, 100)}…` : s);
}

export function parseRequestTarget(raw: string | undefined): RequestTarget {
  let target = raw ?? '';
  if (target === '') throw new RequestTargetError('empty request target');
  // Clients never send fragments; one that does gets it dropped, as URL parsers do.
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  let authority: string | undefined;
  if (target === '*') {
    throw new RequestTargetError('asterisk-form request target "*" is not served');
  } else if (!target.startsWith('/')) {
    const absolute = ABSOLUTE.exec(target);
    if (!absolute) {
      throw new RequestTargetError(
        `request target ${quoteTarget(target)} is neither a path starting with "/" nor an absolute http(s) URL`,
      );
    }
    const [prefix, rawScheme = '', host = ''] = absolute;
    const scheme = rawScheme.toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') {
      throw new RequestTargetError(`request target scheme ${quoteTarget(scheme)} is not served`);
    }
    if (!URL.canParse(target)) {
      throw new RequestTargetError(`request target ${quoteTarget(target)} is not a valid URL`);
    }
    authority = host;
    const rest = target.slice(prefix.length);
    target = rest.startsWith('/') ? rest : `/${rest}`;
  }
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const search = q < 0 ? '' : target.slice(q);
  return {
    path,
    search: search === '?' ? '' : search,
    query: new URLSearchParams(search),
    ...(authority !== undefined ? { authority } : {}),
  };
}

/** The path's segments, percent-decoded; `%zz` and friends are a RequestTargetError. */
export function pathSegments(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw new RequestTargetError(
          `malformed percent-encoding in path segment ${quoteTarget(segment)}`,
        );
      }
    });
}

/**
 * Checks a path that is about to be appended to an upstream base URL, so that it can only ever
 * name something below that base: no empty segment (`//` reads as a host to URL parsers), no `.`
 * or `..`, and no segment that decodes to one of those or to a `/` or `\`. A trailing `/` is fine.
 */
export function checkRelayPath(path: string): void {
  if (!path.startsWith('/')) {
    throw new RequestTargetError(`path ${quoteTarget(path)} must start with "/"`);
  }
  const decoded = pathSegments(path);
  decoded.forEach((segment, i) => {
    const last = i === decoded.length - 1;
    if (segment === '' && !last) {
      throw new RequestTargetError(`path ${quoteTarget(path)} has an empty segment ("//")`);
    }
    if (segment === '.' || segment === '..') {
      throw new RequestTargetError(`path ${quoteTarget(path)} has a "${segment}" segment`);
    }
    if (/[/\\]/.test(segment)) {
      throw new RequestTargetError(
        `path ${quoteTarget(path)} has a segment with an encoded "/" or a "\\"`,
      );
    }
  });
}

/** RFC 3986's path characters: unreserved, sub-delims, `:`, `@`, `%` (escapes) and `/`. */
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/**
 * Checks that a request's path is one a server could have meant: only the characters RFC 3986
 * allows in a path, then everything `checkRelayPath` asks. A path such as `//[` is well-formed
 * HTTP yet names nothing on any route, and says so, rather than being merely not found.
 */
export function checkServedPath(path: string): void {
  const odd = [...path].find((c) => !PATH_CHARS.test(c));
  if (odd !== undefined) {
    throw new RequestTargetError(
      `path ${quoteTarget(path)} has ${quoteTarget(odd)}, which a URL path may not contain unescaped`,
    );
  }
  checkRelayPath(path);
}
