// The only place the dashboard reaches the SDK: the console's fetch (it adds the CSRF header and
// the console's impersonation; the proxy adds the user's token). Everything else is the pure
// client in ../api/compliance, so panels get a RequestState and never a raw Response.
import { useCallback, useEffect, useRef, useState } from 'react';
import { consoleFetch } from '@openshift-console/dynamic-plugin-sdk';
import {
  ComplianceError,
  fetchBuilds,
  fetchSummary,
  isAbort,
  streamExport,
  toComplianceError,
} from '../api/compliance';
import type {
  BuildsPage,
  ComplianceFilter,
  ComplianceSummary,
  ExportFormat,
  ExportProgress,
  ExportResult,
  Fetcher,
  SortKey,
} from '../api/compliance';

/** A panel's request never spins longer than this: past it the backend is reported unreachable. */
export const REQUEST_TIMEOUT_MS = 20_000;

const fetcher: Fetcher = (url, init, timeoutMs = REQUEST_TIMEOUT_MS) =>
  consoleFetch(url, init, timeoutMs);

export type RequestState<T> =
  { state: 'loading' } | { state: 'loaded'; data: T } | { state: 'error'; error: ComplianceError };

const asError = (err: unknown): ComplianceError => {
  const e = toComplianceError(err);
  return e instanceof ComplianceError ? e : new ComplianceError('Unavailable', e.message);
};

/** How long a preloaded answer may wait for the component that asked for it. */
export const PRELOAD_TTL_MS = 10_000;

/**
 * Requests started before the component that wants them has rendered: a page asks for its data
 * when its module is evaluated, instead of after its chunks, its translations and its first render.
 * At most one per endpoint (a new preload replaces the last); a hook whose key matches takes the
 * answer within PRELOAD_TTL_MS, a retry never does.
 */
const preloaded = new Map<string, { key: string; at: number; promise: Promise<unknown> }>();

function preload(endpoint: string, key: string, load: () => Promise<unknown>): void {
  const promise = load();
  // Nobody may take it: an unhandled rejection would be noise in the console's log.
  promise.catch(() => undefined);
  preloaded.set(endpoint, { key, at: Date.now(), promise });
}

function takePreloaded<T>(endpoint: string, key: string): Promise<T> | undefined {
  const p = preloaded.get(endpoint);
  if (!p || p.key !== key) return undefined;
  if (Date.now() - p.at > PRELOAD_TTL_MS) {
    preloaded.delete(endpoint);
    return undefined;
  }
  return p.promise as Promise<T>;
}

/**
 * Runs `load` whenever `key` changes (null: don't run), cancelling the previous request, and
 * returns its state plus a retry. Stale answers never overwrite newer ones. `endpoint` names the
 * preload slot to take a first answer from.
 */
function useRequest<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  endpoint: string,
): [RequestState<T>, () => void] {
  const [state, setState] = useState<{ key: string | null; value: RequestState<T> }>({
    key: null,
    value: { state: 'loading' },
  });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (key === null) return undefined;
    const controller = new AbortController();
    setState((s) =>
      s.key === key && s.value.state === 'loading' ? s : { key, value: { state: 'loading' } },
    );
    // A preloaded request is shared (a remount or React's strict-mode re-run may take it again),
    // so it is never aborted here: its answer is only ignored once this effect is cleaned up.
    const request =
      (attempt === 0 && takePreloaded<T>(endpoint, key)) || loadRef.current(controller.signal);
    request
      .then((data) => {
        if (!controller.signal.aborted) setState({ key, value: { state: 'loaded', data } });
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted || isAbort(err)) return;
        setState({ key, value: { state: 'error', error: asError(err) } });
      });
    return () => controller.abort();
  }, [key, attempt, endpoint]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return [state.key === key ? state.value : { state: 'loading' }, retry];
}

type BuildsPageRequest = { limit: number; continue?: string; sort: SortKey };

const summaryKey = (filter: ComplianceFilter) => JSON.stringify(filter);
const buildsKey = (filter: ComplianceFilter, page: BuildsPageRequest) =>
  JSON.stringify([filter, page]);

export function useComplianceSummary(
  filter: ComplianceFilter | null,
): [RequestState<ComplianceSummary>, () => void] {
  const key = filter ? summaryKey(filter) : null;
  return useRequest(key, (signal) => fetchSummary(fetcher, filter ?? {}, signal), 'summary');
}

export function useComplianceBuilds(
  filter: ComplianceFilter,
  page: BuildsPageRequest,
): [RequestState<BuildsPage>, () => void] {
  const key = buildsKey(filter, page);
  return useRequest(key, (signal) => fetchBuilds(fetcher, filter, page, signal), 'builds');
}

/**
 * Asks for the dashboard's summary and first table page now, for the hooks above to take when
 * they mount with the same filter and page (see `preload`).
 */
export function preloadCompliance(
  summary: ComplianceFilter,
  table: ComplianceFilter,
  page: BuildsPageRequest,
): void {
  preload('summary', summaryKey(summary), () => fetchSummary(fetcher, summary));
  preload('builds', buildsKey(table, page), () => fetchBuilds(fetcher, table, page));
}

export type ExportState =
  | { state: 'idle' }
  | { state: 'running'; format: ExportFormat; progress: ExportProgress }
  | { state: 'done'; format: ExportFormat; rows: number; bytes: number }
  | { state: 'cancelled' }
  | { state: 'error'; error: ComplianceError };

/** Starts, follows and cancels one export at a time; the finished file is handed to `save`. */
export function useComplianceExport(save: (result: ExportResult) => void): {
  state: ExportState;
  start: (filter: ComplianceFilter, format: ExportFormat, sort?: SortKey) => void;
  cancel: () => void;
} {
  const [state, setState] = useState<ExportState>({ state: 'idle' });
  const controller = useRef<AbortController>();
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => () => controller.current?.abort(), []);
  const start = useCallback((filter: ComplianceFilter, format: ExportFormat, sort?: SortKey) => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setState({ state: 'running', format, progress: { bytes: 0, rows: 0 } });
    streamExport(
      fetcher,
      filter,
      format,
      (progress) => {
        if (!c.signal.aborted) setState({ state: 'running', format, progress });
      },
      c.signal,
      sort,
    )
      .then((result) => {
        if (c.signal.aborted) return;
        saveRef.current(result);
        setState({ state: 'done', format, rows: result.rows, bytes: result.bytes });
      })
      .catch((err: unknown) => {
        if (c.signal.aborted || isAbort(err)) {
          setState({ state: 'cancelled' });
          return;
        }
        setState({ state: 'error', error: asError(err) });
      });
  }, []);
  const cancel = useCallback(() => {
    controller.current?.abort();
    setState({ state: 'cancelled' });
  }, []);
  return { state, start, cancel };
}
