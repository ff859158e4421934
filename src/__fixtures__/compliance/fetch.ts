// A stand-in for the console's fetch in component tests: answers compliance API URLs from the
// fixture files here, as Response-like objects (jsdom has no Response), bodies streamed in chunks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const fixture = (name: string): string => readFileSync(join(__dirname, name), 'utf8');
export const fixtureJSON = <T = unknown>(name: string): T => JSON.parse(fixture(name)) as T;

export interface FakeResponseInit {
  status?: number;
  headers?: Record<string, string>;
  /** Split the body into chunks of this many bytes when streamed. */
  chunkBytes?: number;
}

/** What the client reads of a Response: status, headers, json/text and a streamed body. */
export function fakeResponse(body: string, init: FakeResponseInit = {}): Response {
  const status = init.status ?? 200;
  const bytes = new TextEncoder().encode(body);
  const headers = new Map(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  let used = false;
  const take = () => {
    if (used) throw new TypeError('body already used');
    used = true;
  };
  const size = init.chunkBytes ?? bytes.length;
  const res = {
    ok: status >= 200 && status < 300,
    status,
    statusText: status === 200 ? 'OK' : `Status ${status}`,
    headers: { get: (k: string) => headers.get(k.toLowerCase()) ?? null },
    get bodyUsed() {
      return used;
    },
    json: async () => {
      take();
      return JSON.parse(body) as unknown;
    },
    text: async () => {
      take();
      return body;
    },
    body: {
      getReader: () => {
        take();
        let offset = 0;
        return {
          read: async () => {
            if (offset >= bytes.length) return { done: true, value: undefined };
            const value = bytes.slice(offset, offset + Math.max(1, size));
            offset += value.length;
            return { done: false, value };
          },
          releaseLock: () => undefined,
        };
      },
    },
  };
  return res as unknown as Response;
}

export const jsonResponse = (name: string, status = 200): Response =>
  fakeResponse(fixture(name), { status, headers: { 'content-type': 'application/json' } });

/** The console's HttpError for a non-2xx answer, as consoleFetch rejects with it. */
export class FakeHttpError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly response?: Response,
    readonly json?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export type Route = (url: URL) => Response | Error | Promise<Response | Error>;

/**
 * A fetcher answering by endpoint; a Response with a non-2xx status is thrown as the console's
 * HttpError (as consoleFetch does), an Error is thrown as it is (a network failure).
 */
export function fakeFetcher(routes: Partial<Record<'summary' | 'builds' | 'export', Route>>) {
  return jest.fn(async (url: string, _init?: RequestInit, _timeoutMs?: number) => {
    const u = new URL(url, 'http://console.test');
    const endpoint = u.pathname.split('/').pop() as 'summary' | 'builds' | 'export';
    const route = routes[endpoint];
    if (!route) throw new FakeHttpError('Not Found', 404);
    const answer = await route(u);
    if (answer instanceof Error) throw answer;
    if (!answer.ok) throw new FakeHttpError(answer.statusText, answer.status, answer);
    return answer;
  });
}
