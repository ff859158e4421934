// Watch streams: newline-delimited JSON events over a chunked HTTP response, or one event per
// WebSocket frame. Both resume from a resourceVersion and report 410 Expired once it is compacted.
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { ApiError } from './errors';
import type { Matcher } from './selectors';
import type { Store, StoreEvent } from './store';
import type { KubeObject } from './types';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchSink {
  send(line: string): void;
  close(): void;
  onClose(cb: () => void): void;
}

export function httpSink(res: ServerResponse): WatchSink {
  res.writeHead(200, {
    'content-type': 'application/json',
    'cache-control': 'no-cache, private',
    'transfer-encoding': 'chunked',
  });
  res.flushHeaders();
  return {
    send: (line) => void res.write(`${line}\n`),
    close: () => res.end(),
    onClose: (cb) => res.on('close', cb),
  };
}

/** `base64.binary.k8s.io` frames are base64 text, as the API server sends them to browsers. */
export function wsSink(ws: WebSocket): WatchSink {
  const base64 = ws.protocol === 'base64.binary.k8s.io';
  return {
    send: (line) => ws.send(base64 ? Buffer.from(line).toString('base64') : line),
    close: () => ws.close(1000),
    onClose: (cb) => ws.on('close', cb),
  };
}

export interface WatchOptions {
  store: Store;
  key: string;
  namespace?: string;
  match: Matcher;
  resourceVersion?: string;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
  allowBookmarks?: boolean;
  /** A bookmark is an object of the watched type carrying only a resourceVersion. */
  bookmarkType?: { apiVersion: string; kind: string };
  /** Shapes each object for the client (typed apiVersion, Table row, metadata only...). */
  encode(obj: KubeObject, first: boolean): object;
  /** For virtual resources derived from stored ones (projects from namespaces). */
  view?: (obj: KubeObject) => KubeObject | undefined;
}

export function serveWatch(sink: WatchSink, o: WatchOptions): void {
  let first = true;
  const write = (type: EventType, object: object) => sink.send(JSON.stringify({ type, object }));
  const emit = (type: EventType, obj: KubeObject) => {
    write(type, o.encode(obj, first));
    first = false;
  };
  const shaped = (obj: KubeObject | undefined): KubeObject | undefined => {
    if (!obj) return undefined;
    if (o.namespace && obj.metadata.namespace !== o.namespace) return undefined;
    const v = o.view ? o.view(obj) : obj;
    return v && o.match(v) ? v : undefined;
  };
  const onEvent = (e: StoreEvent) => {
    if (e.key !== o.key) return;
    const now = shaped(e.object);
    if (e.type === 'ADDED') {
      if (now) emit('ADDED', now);
      return;
    }
    if (e.type === 'DELETED') {
      if (now) emit('DELETED', now);
      return;
    }
    // A change can move an object into or out of a selector's view.
    const before = shaped(e.prev);
    if (now && before) emit('MODIFIED', now);
    else if (now) emit('ADDED', now);
    else if (before)
      emit('DELETED', {
        ...before,
        metadata: { ...before.metadata, resourceVersion: e.object.metadata.resourceVersion },
      });
  };

  const rv = o.resourceVersion;
  const fromCurrent = !rv || rv === '0';
  const current = o.store.resourceVersion;
  let sub: { backlog: StoreEvent[]; cancel: () => void };
  try {
    const from = fromCurrent ? current : Number(rv);
    if (!Number.isInteger(from) || from < 0)
      throw new ApiError(400, 'BadRequest', `invalid resource version: ${rv}`);
    sub = o.store.watchFrom(from, onEvent);
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', String(e));
    // The API server reports an expired version as an ERROR event on a 200 stream.
    write('ERROR', err.toStatus());
    sink.close();
    return;
  }
  if (fromCurrent || o.sendInitialEvents) {
    for (const obj of o.store.list(o.key, o.namespace)) {
      const v = shaped(obj);
      if (v) emit('ADDED', v);
    }
  }
  if (o.sendInitialEvents && o.allowBookmarks) {
    write('BOOKMARK', {
      ...(o.bookmarkType ?? {}),
      metadata: {
        resourceVersion: String(current),
        annotations: { 'k8s.io/initial-events-end': 'true' },
      },
    });
  }
  for (const e of sub.backlog) onEvent(e);

  let closed = false;
  const timer = setTimeout(() => finish(), (o.timeoutSeconds ?? 1800) * 1000);
  const finish = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    sub.cancel();
    sink.close();
  };
  sink.onClose(finish);
}
