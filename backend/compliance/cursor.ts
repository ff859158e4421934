// Continue tokens: the last row's sort key, signed, bound to the query and the caller that got
// it, and dated. A token the server did not issue, or one for other filters, is a 400; an old
// one is a 410, as a Kubernetes list says of an expired continue. Never a wrong page.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HttpError } from '../http';
import type { RowKey } from './build-index';
import type { Filters, Sort } from './query';
import { badParameter } from './query';

interface Payload {
  v: 1;
  /** The sort it walks. */
  s: Sort;
  /** Fingerprint of the filters and the caller. */
  f: string;
  /** createdMs, namespace, name of the last row served. */
  k: [number, string, string];
  /** Issued at, ms. */
  t: number;
}

/** The query and caller a token belongs to, as a short hash: a token shows none of it. */
export function fingerprint(filters: Filters, sort: Sort, caller: string): string {
  const canonical = JSON.stringify([
    caller,
    sort,
    filters.namespaces ? [...filters.namespaces].sort() : null,
    filters.buildConfig ?? null,
    filters.verdicts ? [...filters.verdicts].sort() : null,
    filters.strategy ?? null,
    filters.q ?? null,
    filters.sinceMs ?? null,
    filters.untilMs ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

export class CursorCodec {
  private readonly key: Buffer;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    opts: {
      /** Replicas behind one Service must share it; random (this process only) when absent. */
      key?: Buffer;
      ttlMs?: number;
      now?: () => number;
    } = {},
  ) {
    this.key = opts.key ?? randomBytes(32);
    this.ttlMs = opts.ttlMs ?? 15 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  encode(last: RowKey, sort: Sort, fp: string): string {
    const payload: Payload = {
      v: 1,
      s: sort,
      f: fp,
      k: [last.createdMs, last.namespace, last.name],
      t: this.now(),
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The key to continue after; throws 400 (not ours, other query) or 410 (expired). */
  decode(token: string, sort: Sort, fp: string): RowKey {
    const [body, mac, extra] = token.split('.');
    const forged = () => badParameter('continue', 'is not a token this API issued');
    if (!body || !mac || extra !== undefined || token.length > 2048) throw forged();
    const want = Buffer.from(this.sign(body));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) throw forged();
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    if (p.s !== sort || p.f !== fp) {
      throw badParameter('continue', 'was issued for a different query; start again without it');
    }
    if (this.now() - p.t > this.ttlMs) {
      throw new HttpError(
        410,
        'Expired',
        'the continue token has expired; start a new list without it',
      );
    }
    return { createdMs: p.k[0], namespace: p.k[1], name: p.k[2] };
  }
}
