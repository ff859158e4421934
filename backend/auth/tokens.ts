// Who is calling: the bearer token from the request, checked with a TokenReview (the backend's own
// credentials). Results are cached briefly under a hash of the token; the token itself is never
// stored as a key, never logged, and never sent anywhere but the API server.
import { createHash } from 'node:crypto';
import { HttpError } from '../http';
import { KubeError, type KubeClient } from '../kube/client';
import { TtlCache } from './ttl-cache';

export interface Caller {
  username: string;
  groups: string[];
  /** The bearer token, for the caller's own self-subject reviews. Never log it. */
  token: string;
  /** sha256 of the token: the cache key for everything about this caller. */
  tokenHash: string;
}

export function unauthorized(message: string): HttpError {
  return new HttpError(401, 'Unauthorized', message, { 'www-authenticate': 'Bearer' });
}

export function unavailable(what: string): HttpError {
  return new HttpError(503, 'ServiceUnavailable', `${what}; try again shortly`, {
    'retry-after': '2',
  });
}

// RFC 6750 b64token, and no longer than any real token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const TOKEN_MAX = 16 * 1024;

/** The token from an Authorization header; 401 when it is missing or not a bearer token. */
export function bearerToken(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) throw unauthorized('an Authorization: Bearer token is required');
  const m = value.length <= TOKEN_MAX + 16 ? BEARER.exec(value) : null;
  const token = m?.[1];
  if (!token) throw unauthorized('the Authorization header is not a bearer token');
  return token;
}

export const hashToken = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

interface TokenReviewStatus {
  status?: {
    authenticated?: boolean;
    user?: { username?: string; groups?: string[] };
  };
}

type Review = { ok: true; username: string; groups: string[] } | { ok: false };

export class Authenticator {
  private readonly cache: TtlCache<Review>;

  constructor(
    private readonly client: KubeClient,
    private readonly o: { ttlMs: number; timeoutMs: number; maxEntries?: number },
  ) {
    this.cache = new TtlCache(o.maxEntries ?? 10_000);
  }

  /** The caller, or 401; 503 when the API server cannot be asked. */
  async authenticate(authorization: string | string[] | undefined): Promise<Caller> {
    const token = bearerToken(authorization);
    const tokenHash = hashToken(token);
    const review = await this.cache.getOrLoad(
      tokenHash,
      () => this.review(token),
      // A rejected token is remembered for less time: it may be one that is just being issued.
      (r) => (r.ok ? this.o.ttlMs : Math.min(this.o.ttlMs, 5000)),
    );
    if (!review.ok) throw unauthorized('the bearer token is not valid');
    return { username: review.username, groups: review.groups, token, tokenHash };
  }

  private async review(token: string): Promise<Review> {
    let answer: TokenReviewStatus;
    try {
      answer = await this.client.request<TokenReviewStatus>(
        'POST',
        '/apis/authentication.k8s.io/v1/tokenreviews',
        {
          body: {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenReview',
            spec: { token },
          },
          timeoutMs: this.o.timeoutMs,
        },
      );
    } catch (err) {
      throw unavailable(
        err instanceof KubeError
          ? `the token could not be checked (TokenReview: HTTP ${err.status})`
          : 'the token could not be checked (TokenReview failed)',
      );
    }
    const user = answer?.status?.user;
    if (answer?.status?.authenticated !== true || typeof user?.username !== 'string') {
      return { ok: false };
    }
    return {
      ok: true,
      username: user.username,
      groups: Array.isArray(user.groups) ? user.groups.filter((g) => typeof g === 'string') : [],
    };
  }
}
