/* eslint-disable @typescript-eslint/no-explicit-any -- these mirror the SDK's declared signatures, which return Promise<any> */
// consoleFetch* and the k8s* resource functions, following the SDK 4.22 sources
// (lib/utils/k8s/k8s-resource.js, k8s-utils.js): same URL shapes under /api/kubernetes, same
// adapters, same HttpError. The shell's server adds the user's bearer token, like the console's.
import type {
  K8sModel,
  K8sResourceCommon,
  Patch,
  QueryParams,
  Selector,
} from '@openshift-console/dynamic-plugin-sdk';
import {
  HttpError,
  TimeoutError,
} from '@openshift-console/dynamic-plugin-sdk/lib/utils/error/http-error';

export { HttpError };

export const k8sBasePath = '/api/kubernetes';

type ResourceURLOptions = {
  ns?: string;
  name?: string;
  path?: string;
  queryParams?: QueryParams | Record<string, string>;
};

const getK8sAPIPath = ({ apiGroup = 'core', apiVersion }: K8sModel): string => {
  const isLegacy = apiGroup === 'core' && apiVersion === 'v1';
  let p = isLegacy ? '/api/' : '/apis/';
  if (!isLegacy && apiGroup) p += `${apiGroup}/`;
  return p + apiVersion;
};

export const getK8sResourcePath = (model: K8sModel, options: ResourceURLOptions): string => {
  let u = getK8sAPIPath(model);
  if (model.namespaced && options.ns) u += `/namespaces/${options.ns}`;
  u += `/${model.plural}`;
  // Some names (users) carry characters that must be escaped.
  if (options.name) u += `/${encodeURIComponent(options.name)}`;
  if (options.path) u += `/${options.path}`;
  const q = Object.entries(options.queryParams ?? {});
  if (q.length) u += `?${q.map(([k, v]) => `${k}=${v}`).join('&')}`;
  return u;
};

export const resourceURL = (model: K8sModel, options: ResourceURLOptions): string =>
  `${k8sBasePath}${getK8sResourcePath(model, options)}`;

type Requirement = { key: string; operator: string; values?: string[] };

const requirementToString = ({ key, operator, values = [] }: Requirement): string => {
  switch (operator) {
    case 'Equals':
      return `${key}=${values[0]}`;
    case 'NotEquals':
      return `${key}!=${values[0]}`;
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    case 'In':
      return `${key} in (${values.join(',')})`;
    case 'NotIn':
      return `${key} notin (${values.join(',')})`;
    case 'GreaterThan':
      return `${key} > ${values[0]}`;
    case 'LessThan':
      return `${key} < ${values[0]}`;
    default:
      return '';
  }
};

/** A Selector to a label selector string; bare label maps (the old format) are accepted. */
export const selectorToString = (selector: Selector | Record<string, string> = {}): string => {
  const s = selector as Selector;
  const oldFormat = !s.matchLabels && !s.matchExpressions;
  const labels = (oldFormat ? selector : s.matchLabels) as Record<string, string> | undefined;
  const reqs: Requirement[] = Object.keys(labels ?? {})
    .sort()
    .map((k) => ({ key: k, operator: 'Equals', values: [labels![k]!] }));
  (s.matchExpressions ?? []).forEach((me) => reqs.push(me as Requirement));
  return reqs.map(requirementToString).join(',');
};

const cookie = (name: string): string | undefined =>
  document.cookie
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === name)?.[1];

/**
 * fetch with the console's headers and error handling: CSRF token on writes, a timeout (default
 * 60s), and an HttpError carrying the response and the parsed Status for non-2xx answers.
 */
export const consoleFetch = async (
  url: string,
  options: RequestInit = {},
  timeout = 60_000,
): Promise<Response> => {
  const headers = new Headers(options.headers);
  headers.set('X-CSRFToken', cookie('csrf-token') ?? '');
  const controller = new AbortController();
  const timer = timeout > 0 ? setTimeout(() => controller.abort(), timeout) : undefined;
  let response: Response;
  try {
    response = await fetch(url, {
      credentials: 'same-origin',
      ...options,
      headers,
      signal: options.signal ?? controller.signal,
    });
  } catch (e) {
    if (controller.signal.aborted) throw new TimeoutError(url, timeout);
    throw e;
  } finally {
    clearTimeout(timer);
  }
  if (response.ok) return response;
  throw await httpErrorFor(response);
};

type ErrorBody = {
  message?: string;
  error?: string;
  details?: { causes?: { message?: string; field?: string }[] };
};

/**
 * The HttpError the console's coFetch throws (its validateStatus): statusText for a body that
 * isn't JSON; for a 403 the Status message or "Access denied due to cluster policy."; otherwise
 * the first cause as `Error "<message>" for field "<field>".`, else message, error, statusText.
 */
export const httpErrorFor = async (response: Response): Promise<HttpError> => {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return new HttpError(response.statusText, response.status, response);
  let json: ErrorBody | undefined;
  try {
    json = (await response.json()) as ErrorBody;
  } catch {
    return new HttpError(response.statusText, response.status, response);
  }
  if (response.status === 403) {
    const message = json?.message || 'Access denied due to cluster policy.';
    return new HttpError(message, response.status, response, json);
  }
  const cause = json?.details?.causes?.[0];
  const reason =
    (cause && `Error "${cause.message}" for field "${cause.field}".`) ||
    json?.message ||
    json?.error ||
    response.statusText;
  return new HttpError(reason, response.status, response, json);
};

const fetchJSONWith = async (
  url: string,
  method = 'GET',
  options: RequestInit = {},
  timeout?: number | null,
): Promise<any> => {
  const headers = new Headers(options.headers);
  headers.set('Accept', 'application/json');
  const response = await consoleFetch(url, { ...options, method, headers }, timeout ?? undefined);
  const text = await response.text();
  if (!text) return {};
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? JSON.parse(text) : text;
};

const withBody =
  (
    method: string,
    contentType: string,
  ): ((
    url: string,
    json: unknown,
    options?: RequestInit | null,
    timeout?: number | null,
  ) => Promise<any>) =>
  (url, json, options, timeout) => {
    const headers = new Headers(options?.headers);
    if (json !== undefined && json !== null) headers.set('Content-Type', contentType);
    return fetchJSONWith(
      url,
      method,
      {
        ...options,
        headers,
        body: json === undefined || json === null ? undefined : JSON.stringify(json),
      },
      timeout,
    );
  };

/** consoleFetchJSON and its method helpers (.post/.put/.patch/.delete), as in the console. */
export const consoleFetchJSON = Object.assign(
  (url: string, method = 'GET', options?: RequestInit | null, timeout?: number | null) =>
    fetchJSONWith(url, method, options ?? {}, timeout),
  {
    delete: withBody('DELETE', 'application/json'),
    post: withBody('POST', 'application/json'),
    put: withBody('PUT', 'application/json'),
    // The console sends JSON patches (RFC 6902) from k8sPatch.
    patch: withBody('PATCH', 'application/json-patch+json'),
  },
);

export const consoleFetchText = async (
  url: string,
  options?: RequestInit,
  timeout?: number,
): Promise<string> => (await consoleFetch(url, options, timeout)).text();

type Opts = { name?: string; ns?: string; path?: string; queryParams?: QueryParams };

const optsFrom = (options: Opts): Opts => ({
  ...(options.name && { name: options.name }),
  ...(options.ns && { ns: options.ns }),
  ...(options.path && { path: options.path }),
  ...(options.queryParams && { queryParams: options.queryParams }),
});

export const k8sGet = (
  model: K8sModel,
  name?: string,
  ns?: string,
  opts?: Opts,
  requestInit?: RequestInit,
): Promise<any> =>
  consoleFetchJSON(resourceURL(model, { ns, name, ...opts }), 'GET', requestInit ?? null, null);

export const k8sCreate = <R>(
  model: K8sModel,
  data: R & K8sResourceCommon,
  opts: Opts = {},
): Promise<R> =>
  consoleFetchJSON.post(resourceURL(model, { ns: data?.metadata?.namespace, ...opts }), data);

export const k8sUpdate = <R>(
  model: K8sModel,
  data: R & K8sResourceCommon,
  ns?: string,
  name?: string,
  opts?: Opts,
): Promise<R> =>
  consoleFetchJSON.put(
    resourceURL(model, {
      ns: ns || data.metadata?.namespace,
      name: name || data.metadata?.name,
      ...opts,
    }),
    data,
  );

export const k8sPatch = <R>(
  model: K8sModel,
  resource: R & K8sResourceCommon,
  data: (Patch | null | undefined | false)[],
  opts: Opts = {},
): Promise<R> => {
  // The console drops falsy entries and skips the request when nothing is left.
  const patches = data.filter(Boolean);
  if (patches.length === 0) return Promise.resolve(resource);
  return consoleFetchJSON.patch(
    resourceURL(model, {
      ns: resource.metadata?.namespace,
      name: resource.metadata?.name,
      ...opts,
    }),
    patches,
  );
};

export const k8sKill = <R>(
  model: K8sModel,
  resource: R & K8sResourceCommon,
  opts: Opts = {},
  requestInit: RequestInit = {},
  json: unknown = null,
): Promise<any> => {
  const { propagationPolicy } = model;
  const body =
    json ?? (propagationPolicy && { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy });
  return consoleFetchJSON.delete(
    resourceURL(model, {
      ns: resource.metadata?.namespace,
      name: resource.metadata?.name,
      ...opts,
    }),
    body || null,
    requestInit,
  );
};

export const k8sList = async (
  model: K8sModel,
  queryParams: Record<string, any> = {},
  raw = false,
  requestInit: RequestInit = {},
): Promise<any> => {
  const query = Object.entries(queryParams)
    .filter(([k]) => k !== 'ns')
    .map(([k, v]) => {
      // A selector object becomes its string form; a string is one already (the shell's watches
      // pass strings, and re-parsing one as a label map turns it into character indexes).
      const value = k === 'labelSelector' && typeof v !== 'string' ? selectorToString(v) : v;
      return `${encodeURIComponent(k)}=${encodeURIComponent(value)}`;
    })
    .join('&');
  const listURL = resourceURL(model, { ns: queryParams.ns });
  const result = await consoleFetchJSON(`${listURL}?${query}`, 'GET', requestInit, null);
  const items = result.items?.map((i: K8sResourceCommon) => ({
    kind: model.kind,
    apiVersion: result.apiVersion,
    ...i,
  }));
  return raw ? { ...result, items } : items;
};

// The option-object forms the SDK exports as k8sGet/k8sCreate/... (its "Resource" adapters).
type WithModel = Opts & { model: K8sModel; requestInit?: RequestInit };

export const k8sGetResource = <R extends K8sResourceCommon>(o: WithModel): Promise<R> =>
  k8sGet(o.model, o.name, o.ns, optsFrom(o), o.requestInit);
export const k8sCreateResource = <R extends K8sResourceCommon>(
  o: WithModel & { data: R },
): Promise<R> => k8sCreate<R>(o.model, o.data, optsFrom(o));
export const k8sUpdateResource = <R extends K8sResourceCommon>(
  o: WithModel & { data: R },
): Promise<R> => k8sUpdate<R>(o.model, o.data, o.ns, o.name, optsFrom(o));
export const k8sPatchResource = <R extends K8sResourceCommon>(
  o: WithModel & { resource: R; data: Patch[] },
): Promise<R> => k8sPatch<R>(o.model, o.resource, o.data, optsFrom(o));
export const k8sDeleteResource = (
  o: WithModel & { resource: K8sResourceCommon; json?: Record<string, any> },
): Promise<any> => k8sKill(o.model, o.resource, optsFrom(o), o.requestInit, o.json);
type ListOptions = {
  model: K8sModel;
  queryParams: Record<string, any>;
  requestInit?: RequestInit;
};
export const k8sListResource = <R extends K8sResourceCommon>(
  o: ListOptions,
): Promise<R[] | { items: R[] }> => k8sList(o.model, o.queryParams, false, o.requestInit);
export const k8sListResourceItems = async <R extends K8sResourceCommon>(
  o: ListOptions,
): Promise<R[]> => {
  const r = await k8sListResource<R>(o);
  return Array.isArray(r) ? r : r.items;
};
