// useK8sWatchResource(s): the console's list-then-watch, shared between hooks that ask for the
// same thing (the console keys its redux store the same way), with the same
// [data, loaded, loadError] semantics: [] / {} while loading, NoModelError when the model is
// unknown after discovery, [undefined, true, undefined] for a null resource.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type {
  K8sModel,
  K8sResourceCommon,
  ResourcesObject,
  WatchK8sResource,
  WatchK8sResources,
  WatchK8sResults,
  WatchK8sResult,
} from '@openshift-console/dynamic-plugin-sdk';
import { k8sGet, k8sList, resourceURL, selectorToString } from './k8s';
import { modelRegistry, referenceForModel } from './models';

export class NoModelError extends Error {
  constructor() {
    super('Model does not exist');
    this.name = 'NoModelError';
  }
}

type Snapshot = { data: unknown; loaded: boolean; loadError: unknown };

type Query = {
  ns?: string;
  name?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
};

const keyOf = (o: K8sResourceCommon) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** One list-or-object watch, shared by every hook with the same model + query. Exported for tests. */
export class Watch {
  snapshot: Snapshot;
  private listeners = new Set<() => void>();
  private items = new Map<string, K8sResourceCommon>();
  private ws?: WebSocket;
  private stopped = false;
  private retry?: ReturnType<typeof setTimeout>;
  private poller?: ReturnType<typeof setInterval>;
  refs = 0;

  /** How often a watched object is fetched again, as the console's POLLs (30 s). */
  static pollMs = 30_000;

  constructor(
    private model: K8sModel,
    private query: Query,
    private isList: boolean,
  ) {
    this.snapshot = { data: isList ? [] : {}, loaded: false, loadError: undefined };
    // The console's watchK8sObject also GETs the object every 30 s, beside the watch: that is how
    // a failed load (403, 404, a restart) recovers, and how an error shows up on a live object.
    if (!isList) this.poller = setInterval(() => this.refetch(), Watch.pollMs);
    void this.start();
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private publish(next: Partial<Snapshot>) {
    this.snapshot = { ...this.snapshot, ...next };
    this.listeners.forEach((l) => l());
  }

  private publishItems() {
    this.publish({ data: [...this.items.values()], loaded: true, loadError: '' });
  }

  private async start(): Promise<void> {
    const { model, query } = this;
    let resourceVersion: string | undefined;
    try {
      if (this.isList) {
        const params: Record<string, string> = {};
        if (query.ns) params.ns = query.ns;
        if (query.labelSelector) params.labelSelector = query.labelSelector;
        if (query.fieldSelector) params.fieldSelector = query.fieldSelector;
        if (query.limit) params.limit = String(query.limit);
        const list = await k8sList(model, params, true);
        if (this.stopped) return;
        this.items = new Map(
          (list.items as K8sResourceCommon[]).map((o) => [keyOf(o), o] as const),
        );
        resourceVersion = list.metadata?.resourceVersion;
        this.publishItems();
      } else {
        const obj = await k8sGet(model, query.name, query.ns);
        if (this.stopped) return;
        resourceVersion = obj.metadata?.resourceVersion;
        this.publish({ data: obj, loaded: true, loadError: '' });
      }
    } catch (e) {
      if (this.stopped) return;
      this.publish({ loadError: e });
      // An object is retried by the 30-s poller, which opens the watch once it loads; a list
      // (no poller in the console either) retries here, which also recovers from a restart.
      if (this.isList) this.retry = setTimeout(() => void this.start(), 5000);
      return;
    }
    if (!this.watchable()) return;
    this.openSocket(resourceVersion);
  }

  private watchable(): boolean {
    return (this.model.verbs ?? ['watch']).includes('watch');
  }

  private openSocket(resourceVersion?: string) {
    const { model, query } = this;
    const queryParams: Record<string, string> = { watch: 'true' };
    // Single objects are watched through the list endpoint with a name field selector.
    const fieldSelector = query.name ? `metadata.name=${query.name}` : query.fieldSelector;
    if (query.labelSelector) queryParams.labelSelector = encodeURIComponent(query.labelSelector);
    if (fieldSelector) queryParams.fieldSelector = encodeURIComponent(fieldSelector);
    if (resourceVersion) queryParams.resourceVersion = encodeURIComponent(resourceVersion);
    const path = resourceURL(model, { ns: query.ns, queryParams });
    const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${window.location.host}${path}`);
    this.ws = ws;
    ws.onmessage = (msg) => {
      const event = JSON.parse(String(msg.data)) as { type: string; object: K8sResourceCommon };
      this.onEvent(event);
    };
    ws.onclose = () => {
      if (this.stopped || this.ws !== ws) return;
      this.ws = undefined;
      // Relist and rewatch: the simplest correct recovery after a dropped watch or a 410 Gone.
      this.retry = setTimeout(() => void this.start(), 1000);
    };
  }

  private onEvent({ type, object }: { type: string; object: K8sResourceCommon }) {
    if (type === 'ERROR') {
      this.ws?.close();
      return;
    }
    if (type === 'BOOKMARK') return;
    if (!this.isList) {
      // As the console's watchK8sObject: every event, DELETED included, goes through
      // modifyObject, so the final object stays on screen (data, loaded, loadError '').
      this.publish({ data: object, loaded: true, loadError: '' });
      if (type === 'DELETED') this.refetch();
      return;
    }
    const withKind = { kind: this.model.kind, ...object };
    if (type === 'DELETED') this.items.delete(keyOf(object));
    else this.items.set(keyOf(object), withKind);
    this.publishItems();
  }

  /**
   * One GET of the watched object, as the console's poller makes it every 30 s (and the shell
   * right after DELETED too). Its k8s reducer keeps data and loaded on an error ("better to keep
   * stale data around than to suddenly have it disappear"): a 404 after a delete becomes the
   * loadError with the deleted object still as data; a success clears the error, and opens the
   * watch if the first load had failed.
   */
  private refetch() {
    const { model, query } = this;
    // A watch event that arrives meanwhile is newer than this GET's answer, and wins.
    const after = this.snapshot;
    const current = () => !this.stopped && this.snapshot === after;
    void k8sGet(model, query.name, query.ns).then(
      (obj: K8sResourceCommon) => {
        if (!current()) return;
        const shown = after.data as K8sResourceCommon | undefined;
        const same =
          after.loaded &&
          !after.loadError &&
          !!obj.metadata?.resourceVersion &&
          shown?.metadata?.resourceVersion === obj.metadata.resourceVersion;
        if (!same) this.publish({ data: obj, loaded: true, loadError: '' });
        if (!this.ws && this.watchable()) this.openSocket(obj.metadata?.resourceVersion);
      },
      (e: unknown) => {
        if (current()) this.publish({ loadError: e });
      },
    );
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.poller);
    const ws = this.ws;
    this.ws = undefined;
    ws?.close();
  }
}

const watches = new Map<string, Watch>();

const queryFor = (resource: WatchK8sResource, model: K8sModel): Query => {
  const q: Query = {};
  if (resource.namespace && model.namespaced) q.ns = resource.namespace;
  if (resource.name) q.name = resource.name;
  if (resource.selector && Object.keys(resource.selector).length)
    q.labelSelector = selectorToString(resource.selector);
  if (resource.fieldSelector) q.fieldSelector = resource.fieldSelector;
  if (resource.limit) q.limit = resource.limit;
  return q;
};

const idFor = (model: K8sModel, resource: WatchK8sResource): string =>
  `${referenceForModel(model)}---${JSON.stringify(queryFor(resource, model))}---${resource.isList ? 'list' : 'obj'}`;

/** Reference-counted access to the shared watches; the last user closes the socket. */
const acquire = (model: K8sModel, resource: WatchK8sResource): Watch => {
  const id = idFor(model, resource);
  let w = watches.get(id);
  if (!w) {
    w = new Watch(model, queryFor(resource, model), !!resource.isList);
    watches.set(id, w);
  }
  w.refs += 1;
  return w;
};

const release = (id: string) => {
  const w = watches.get(id);
  if (!w) return;
  w.refs -= 1;
  if (w.refs <= 0) {
    w.stop();
    watches.delete(id);
  }
};

const useModelsVersion = () =>
  useSyncExternalStore(modelRegistry.subscribe, () => modelRegistry.version);

/** Deep-compare memo: callers pass fresh literals on every render, as with the console. */
const useDeepMemo = <T>(value: T): T => {
  const ref = useRef<{ json: string; value: T }>();
  const json = JSON.stringify(value ?? null);
  if (!ref.current || ref.current.json !== json) ref.current = { json, value };
  return ref.current.value;
};

const modelFor = (resource: WatchK8sResource | null | undefined) =>
  resource ? modelRegistry.find(resource.groupVersionKind ?? resource.kind) : undefined;

const EMPTY_SUBSCRIBE = () => () => undefined;

export const useK8sWatchResource = <R extends K8sResourceCommon | K8sResourceCommon[]>(
  initResource: WatchK8sResource | null,
): WatchK8sResult<R> => {
  const resource = useDeepMemo(initResource);
  const modelsVersion = useModelsVersion();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- re-resolve when discovery adds models
  const model = useMemo(() => modelFor(resource), [resource, modelsVersion]);
  const watch = useWatch(resource, model);
  const snapshot = useSyncExternalStore(watch?.subscribe ?? EMPTY_SUBSCRIBE, () => watch?.snapshot);
  return useMemo((): WatchK8sResult<R> => {
    if (!resource) return [undefined as unknown as R, true, undefined];
    if (!snapshot) {
      const data = (resource.isList ? [] : {}) as R;
      return modelRegistry.loaded && !model
        ? [data, true, new NoModelError()]
        : [data, false, undefined];
    }
    return [snapshot.data as R, snapshot.loaded, snapshot.loadError];
  }, [resource, snapshot, model]);
};

/**
 * Acquires in an effect (as the console dispatches its watch in one), so StrictMode's double
 * render can't leak a watch; the first render therefore reports "not loaded", like the console.
 */
function useWatch(resource: WatchK8sResource | null, model: K8sModel | undefined) {
  const id = resource && model ? idFor(model, resource) : undefined;
  const [held, setHeld] = useState<{ id: string; watch: Watch }>();
  useEffect(() => {
    if (!id || !resource || !model) return undefined;
    setHeld({ id, watch: acquire(model, resource) });
    return () => release(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- id captures resource and model
  }, [id]);
  return held && held.id === id ? held.watch : undefined;
}

export const useK8sWatchResources = <R extends ResourcesObject>(
  initResources: WatchK8sResources<R>,
): WatchK8sResults<R> => {
  const resources = useDeepMemo(initResources);
  const modelsVersion = useModelsVersion();
  const [, setTick] = useState(0);
  const force = useCallback(() => setTick((x) => x + 1), []);
  const entries = useMemo(
    () =>
      Object.entries(resources ?? {}).map(([key, res]) => {
        const model = modelFor(res);
        return { key, res, model };
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-resolve when discovery adds models
    [resources, modelsVersion],
  );
  const ids = entries.map((e) => (e.model ? idFor(e.model, e.res) : '')).join('\n');
  const [held, setHeld] = useState<{ ids: string; watches: (Watch | undefined)[] }>();
  useEffect(() => {
    const acquired = entries.map((e) => (e.model ? acquire(e.model, e.res) : undefined));
    const unsubs = acquired.map((w) => w?.subscribe(force));
    setHeld({ ids, watches: acquired });
    return () => {
      unsubs.forEach((u) => u?.());
      entries.forEach((e) => e.model && release(idFor(e.model, e.res)));
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- ids captures entries
  }, [ids, force]);
  const current = held?.ids === ids ? held.watches : [];
  const out: Record<string, { data: unknown; loaded: boolean; loadError: unknown }> = {};
  entries.forEach((e, i) => {
    const w = current[i];
    if (w) out[e.key] = w.snapshot;
    else if (modelRegistry.loaded && !e.model)
      out[e.key] = { data: e.res.isList ? [] : {}, loaded: true, loadError: new NoModelError() };
    else out[e.key] = { data: e.res.isList ? [] : {}, loaded: false, loadError: undefined };
  });
  return out as WatchK8sResults<R>;
};
