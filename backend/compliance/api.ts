// The compliance endpoints: who is calling (401), what they may see, what they asked for (400),
// then an answer from the in-memory index. Nothing here lists Builds from the API server.
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { NamespaceAccess, Visibility } from '../auth/access';
import type { Authenticator, Caller } from '../auth/tokens';
import { unavailable } from '../auth/tokens';
import { writeChunk, type JsonAnswer } from '../http';
import type { Logger } from '../log';
import type { Route, RouteRequest } from '../router';
import { readPage, type BuildIndex, type RowKey } from './build-index';
import { csvHeader, csvLine } from './csv';
import { fingerprint, type CursorCodec } from './cursor';
import {
  parseBuildsQuery,
  parseExportQuery,
  parseSummaryQuery,
  rowFilter,
  type Filters,
  type Sort,
} from './query';
import { publicRow, type BuildRow } from './rows';
import { summarize, summarizeTallies } from './summary';

export const API_PREFIX = '/api/v1/compliance/';
const EXPORT_CHUNK = 500;

export interface ComplianceDeps {
  index: BuildIndex;
  /** True once the Build cache has listed everything. */
  synced: () => boolean;
  auth: Authenticator;
  access: NamespaceAccess;
  cursors: CursorCodec;
  log: Logger;
}

/** The row test for a caller: namespaces they may list, intersected with the filters. */
export function scopeTest(visibility: Visibility, filters: Filters): (r: BuildRow) => boolean {
  const rest = rowFilter(filters);
  const wanted = filters.namespaces;
  const allowed = visibility.all ? undefined : visibility.namespaces;
  return (r) =>
    (allowed === undefined || allowed.has(r.namespace)) &&
    (wanted === undefined || wanted.has(r.namespace)) &&
    rest(r);
}

function count(rows: readonly BuildRow[], test: (r: BuildRow) => boolean): number {
  let n = 0;
  for (const r of rows) if (test(r)) n++;
  return n;
}

export class ComplianceApi {
  constructor(private readonly d: ComplianceDeps) {}

  routes(): Route[] {
    const get = (name: string, handler: (req: RouteRequest) => Promise<JsonAnswer>): Route => ({
      method: 'GET',
      path: `${API_PREFIX}${name}`,
      handler: (req) => this.logged(name, req, handler),
    });
    return [
      get('summary', (r) => this.summary(r)),
      get('builds', (r) => this.builds(r)),
      get('export', (r) => this.export(r)),
    ];
  }

  private async logged(
    name: string,
    req: RouteRequest,
    handler: (req: RouteRequest) => Promise<JsonAnswer>,
  ): Promise<JsonAnswer> {
    const started = performance.now();
    const uid = randomUUID();
    try {
      const answer = await handler(req);
      this.d.log.info(
        { uid, endpoint: name, status: answer.status, ms: Math.round(performance.now() - started) },
        'compliance request',
      );
      return answer;
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      this.d.log.info({ uid, endpoint: name, status }, 'compliance request refused');
      throw err;
    }
  }

  /** Authenticates, then checks the cache is there: a caller never learns that before the 401. */
  private async caller(req: RouteRequest): Promise<{ caller: Caller; visibility: Visibility }> {
    const caller = await this.d.auth.authenticate(req.headers.authorization);
    if (!this.d.synced()) throw unavailable('the build cache is still loading');
    return { caller, visibility: await this.d.access.visibility(caller) };
  }

  private async summary(req: RouteRequest): Promise<JsonAnswer> {
    const { visibility } = await this.caller(req);
    const f = parseSummaryQuery(req.query);
    const byNamespaceOnly =
      f.buildConfig === undefined &&
      f.verdicts === undefined &&
      f.strategy === undefined &&
      f.q === undefined &&
      f.sinceMs === undefined &&
      f.untilMs === undefined;
    // Only namespaces narrow it: the index's running tallies answer without visiting a row.
    const body = byNamespaceOnly
      ? summarizeTallies(
          this.d.index.tallies,
          (ns) =>
            (visibility.all || visibility.namespaces.has(ns)) &&
            (f.namespaces === undefined || f.namespaces.has(ns)),
        )
      : summarize(this.d.index.rows('created'), scopeTest(visibility, f));
    return { status: 200, body };
  }

  private async builds(req: RouteRequest): Promise<JsonAnswer> {
    const { caller, visibility } = await this.caller(req);
    const q = parseBuildsQuery(req.query);
    const fp = fingerprint(q.filters, q.sort, caller.username);
    const from = q.continueToken ? this.d.cursors.decode(q.continueToken, q.sort, fp) : undefined;
    const test = scopeTest(visibility, q.filters);
    const page = readPage(this.d.index, q.sort, from, test, q.limit);
    return {
      status: 200,
      body: {
        items: page.items.map(publicRow),
        ...(page.last ? { continue: this.d.cursors.encode(page.last, q.sort, fp) } : {}),
        total: count(this.d.index.rows('created'), test),
      },
    };
  }

  private async export(req: RouteRequest): Promise<JsonAnswer> {
    const { visibility } = await this.caller(req);
    const q = parseExportQuery(req.query);
    const test = scopeTest(visibility, q.filters);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');
    const csv = q.format === 'csv';
    return {
      status: 200,
      body: undefined,
      contentType: csv ? 'text/csv; charset=utf-8; header=present' : 'application/json',
      headers: {
        'content-disposition': `attachment; filename="builds-${stamp}.${q.format}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      stream: (out) => this.stream(out, q.sort, test, csv),
    };
  }

  /** Page after page by key, so rows added meanwhile never repeat or shift a row out. */
  private async stream(
    out: Writable,
    sort: Sort,
    test: (r: BuildRow) => boolean,
    csv: boolean,
  ): Promise<void> {
    await writeChunk(out, csv ? csvHeader() : '[');
    let from: RowKey | undefined;
    let first = true;
    for (;;) {
      const page = readPage(this.d.index, sort, from, test, EXPORT_CHUNK);
      let chunk = '';
      for (const row of page.items) {
        const p = publicRow(row);
        if (csv) chunk += csvLine(p);
        else {
          chunk += `${first ? '\n' : ',\n'}${JSON.stringify(p)}`;
          first = false;
        }
      }
      if (chunk) await writeChunk(out, chunk);
      if (!page.last) break;
      from = page.last;
    }
    if (!csv) await writeChunk(out, first ? ']\n' : '\n]\n');
  }
}
