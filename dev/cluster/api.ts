// The API server's generic REST semantics over the store: defaulting, validation, admission,
// optimistic concurrency, status subresources, finalizers, owner-reference garbage collection.
import { randomUUID } from 'node:crypto';
import type { Admission } from './admission';
import {
  ApiError,
  badRequest,
  expired,
  invalid,
  notFound,
  tooLargeResourceVersion,
  type StatusCause,
} from './errors';
import { applyPatchBody, type PatchType } from './patch';
import type { Registry } from './registry';
import { fieldMatcher, labelMatcher } from './selectors';
import type { Store } from './store';
import type { KubeObject, ResourceDef, UserInfo } from './types';
import { apiVersionOf, storageKey } from './types';
import { isObject } from '@userns-builds/core';

export interface RequestContext {
  user: UserInfo;
  dryRun: boolean;
  /** Collected for the `Warning` response header. */
  warnings: string[];
}

/** Per-resource behaviour, like the API server's registry strategies. */
export interface ResourceHooks {
  /** Defaulting and validation before admission; may throw an ApiError. */
  prepareCreate?(obj: KubeObject, ctx: RequestContext): void;
  prepareUpdate?(obj: KubeObject, old: KubeObject): void;
  afterCreate?(obj: KubeObject): void;
  afterUpdate?(obj: KubeObject, old: KubeObject): void;
  afterDelete?(obj: KubeObject): void;
}

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  items: KubeObject[];
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
}

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function specOf(obj: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = obj;
  return JSON.stringify(rest);
}

function encodeContinue(rv: number, after: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: after })).toString(
    'base64url',
  );
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const d = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      rv: number;
      start: string;
    };
    if (typeof d.rv !== 'number' || typeof d.start !== 'string') throw new Error('bad');
    return d;
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

export class Api {
  readonly hooks = new Map<string, ResourceHooks>();

  constructor(
    readonly store: Store,
    readonly registry: Registry,
    readonly admission: Admission,
  ) {}

  private hooksOf(def: ResourceDef): ResourceHooks {
    return this.hooks.get(storageKey(def)) ?? {};
  }

  private withType(def: ResourceDef, obj: KubeObject): KubeObject {
    // Versions of a CRD share storage; each is served with its own apiVersion.
    const { apiVersion: _a, kind: _k, ...rest } = obj;
    return { apiVersion: apiVersionOf(def), kind: def.kind, ...rest } as KubeObject;
  }

  get(def: ResourceDef, ns: string | undefined, name: string): KubeObject {
    const obj = this.store.get(storageKey(def), def.namespaced ? ns : undefined, name);
    if (!obj) throw notFound(storageKey(def), name, def.group, def.resource);
    return this.withType(def, obj);
  }

  list(def: ResourceDef, ns: string | undefined, q: ListQuery): ListResult {
    const key = storageKey(def);
    const labels = labelMatcher(q.labelSelector);
    const fields = fieldMatcher(q.fieldSelector, def);
    const current = this.store.resourceVersion;
    let rv = current;
    let start: string | undefined;
    if (q.continue) {
      const c = decodeContinue(q.continue);
      if (c.rv < this.store.oldestResumableRV) {
        throw expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      // Later pages show the same snapshot as the first, as etcd does.
      rv = c.rv;
      start = c.start;
    } else if (q.resourceVersion && q.resourceVersion !== '0') {
      const want = Number(q.resourceVersion);
      if (!/^\d+$/.test(q.resourceVersion))
        throw badRequest(`invalid resource version: ${q.resourceVersion}`);
      if (want > current) throw tooLargeResourceVersion(want, current);
      // Exact (also what a paged list with a version means): the list as it was at that version.
      if (q.resourceVersionMatch === 'Exact' || (!q.resourceVersionMatch && q.limit)) rv = want;
    }
    const items: KubeObject[] = [];
    let remaining = 0;
    let lastKey = '';
    const limit = q.limit && q.limit > 0 ? q.limit : Infinity;
    const selective = !!(q.labelSelector || q.fieldSelector);
    const scope = def.namespaced ? ns : undefined;
    // A page costs what it reads: the scan starts at the continue key (binary search) and stops
    // after the page; without selectors the rest is counted from positions, not visited.
    this.store.scan(key, scope, rv, start, (o, k) => {
      if (!labels(o) || !fields(o)) return true;
      if (items.length < limit) {
        items.push(o);
        lastKey = k;
        return true;
      }
      remaining++;
      return selective;
    });
    if (remaining > 0 && !selective) remaining = this.store.countAfter(key, scope, rv, lastKey);
    const metadata: ListResult['metadata'] = { resourceVersion: String(rv) };
    if (remaining > 0) {
      metadata.continue = encodeContinue(rv, lastKey);
      metadata.remainingItemCount = remaining;
    }
    const typed = def.version !== this.storedVersion(def);
    return { items: typed ? items.map((o) => this.withType(def, o)) : items, metadata };
  }

  private storedVersion(def: ResourceDef): string {
    return this.registry.byKey(storageKey(def))?.version ?? def.version;
  }

  private ensureNamespace(def: ResourceDef, ns: string | undefined): void {
    if (!def.namespaced) return;
    if (!ns)
      throw badRequest('the server could not find the requested resource: a namespace is required');
    if (!this.store.get('namespaces', undefined, ns))
      throw notFound('namespaces', ns, '', 'namespaces');
  }

  async create(
    def: ResourceDef,
    ns: string | undefined,
    body: KubeObject,
    ctx: RequestContext,
  ): Promise<KubeObject> {
    // A create may leave metadata out entirely; an update may not.
    if (isObject(body) && body.metadata === undefined) body.metadata = {};
    requireObjectBody(body);
    let obj = structuredClone(body);
    const wantVersion = apiVersionOf(def);
    if ((obj.apiVersion && obj.apiVersion !== wantVersion) || (obj.kind && obj.kind !== def.kind)) {
      throw badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${wantVersion})`,
      );
    }
    obj = this.withType(def, obj);
    const m = obj.metadata;
    if (def.namespaced) {
      if (m.namespace && ns && m.namespace !== ns) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      m.namespace = ns;
    } else delete m.namespace;
    if (!m.name && m.generateName)
      m.name = `${m.generateName}${randomUUID().replace(/-/g, '').slice(0, 5)}`;
    const causes: StatusCause[] = [];
    if (!m.name)
      causes.push({
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      });
    else if (!NAME_RE.test(m.name) || m.name.length > 253) {
      causes.push({
        field: 'metadata.name',
        message: `Invalid value: "${m.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      });
    } else if (def.resource === 'namespaces' && !LABEL_NAME_RE.test(m.name)) {
      causes.push({
        field: 'metadata.name',
        message: `Invalid value: "${m.name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
      });
    }
    if (causes.length) throw invalid(def.kind, m.name ?? '', causes, def.group);
    this.ensureNamespace(def, m.namespace);
    for (const f of ['uid', 'resourceVersion', 'deletionTimestamp', 'selfLink'] as const)
      Reflect.deleteProperty(m, f);
    m.uid = randomUUID();
    m.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    m.generation = 1;
    if (def.statusSubresource && def.custom) delete obj.status;
    this.hooksOf(def).prepareCreate?.(obj, ctx);
    const admitted = await this.admit(def, 'CREATE', obj, undefined, ctx);
    if (ctx.dryRun) return admitted;
    const created = this.store.create(storageKey(def), admitted);
    this.hooksOf(def).afterCreate?.(created);
    return this.withType(def, created);
  }

  /**
   * Admission of the body of a subresource create (a `BuildRequest` to `buildconfigs/instantiate`
   * or `builds/clone`), as the API server runs it before the subresource's storage sees the body:
   * webhooks and policies matching `<resource>/<subresource>` see it as the requester sent it.
   * Returns the body as mutated.
   */
  async admitSubresource(
    def: ResourceDef,
    subresource: string,
    kind: string,
    ns: string,
    name: string,
    body: KubeObject,
    ctx: RequestContext,
  ): Promise<KubeObject> {
    requireObjectBody(body);
    const obj = structuredClone(body);
    obj.metadata.namespace = ns;
    // The request's kind is the body's (BuildRequest), its resource the parent's.
    return this.admit({ ...def, kind }, 'CREATE', obj, undefined, ctx, subresource, name);
  }

  private async admit(
    def: ResourceDef,
    operation: 'CREATE' | 'UPDATE',
    obj: KubeObject,
    old: KubeObject | undefined,
    ctx: RequestContext,
    subresource?: string,
    name = obj.metadata.name,
  ): Promise<KubeObject> {
    const attributes = {
      def,
      operation,
      ...(subresource ? { subresource } : {}),
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      ...(name ? { name } : {}),
      object: obj,
      ...(old ? { oldObject: old } : {}),
      user: ctx.user,
      dryRun: ctx.dryRun,
    };
    const result = await this.admission.mutate(attributes);
    ctx.warnings.push(...result.warnings);
    const admitted = result.object ?? obj;
    // Validation sees the object every mutating webhook has had its say on.
    ctx.warnings.push(...this.admission.validate({ ...attributes, object: admitted }));
    return admitted;
  }

  async update(
    def: ResourceDef,
    ns: string | undefined,
    name: string,
    body: KubeObject,
    ctx: RequestContext,
    subresource?: string,
  ): Promise<KubeObject> {
    requireObjectBody(body);
    if (body.metadata.name && body.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const old = this.get(def, ns, name);
    let obj: KubeObject;
    if (subresource === 'status') {
      // Status writes change only status (and concurrency still applies).
      obj = {
        ...old,
        status: body.status,
        metadata: { ...old.metadata, resourceVersion: body.metadata.resourceVersion ?? '' },
      };
    } else {
      obj = this.withType(def, structuredClone(body));
      if (def.statusSubresource) {
        if (old.status === undefined) delete obj.status;
        else obj.status = old.status;
      }
    }
    const m = obj.metadata;
    m.name = name;
    if (def.namespaced) m.namespace = ns;
    m.uid = old.metadata.uid;
    m.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.deletionTimestamp) m.deletionTimestamp = old.metadata.deletionTimestamp;
    m.generation = (old.metadata.generation ?? 1) + (specOf(obj) !== specOf(old) ? 1 : 0);
    if (subresource !== 'status') this.hooksOf(def).prepareUpdate?.(obj, old);
    const admitted = await this.admit(def, 'UPDATE', obj, old, ctx, subresource);
    if (ctx.dryRun) return admitted;
    const key = storageKey(def);
    const updated = this.store.update(key, admitted);
    if (updated.metadata.deletionTimestamp && !updated.metadata.finalizers?.length) {
      this.removeNow(def, updated);
      return this.withType(def, updated);
    }
    this.hooksOf(def).afterUpdate?.(updated, old);
    return this.withType(def, updated);
  }

  async patch(
    def: ResourceDef,
    ns: string | undefined,
    name: string,
    type: PatchType,
    body: string,
    ctx: RequestContext,
    subresource?: string,
  ): Promise<KubeObject> {
    if (type === 'strategic' && def.custom) {
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
      );
    }
    let current: KubeObject;
    try {
      current = this.get(def, ns, name);
    } catch (e) {
      // Server-side apply creates what does not exist yet.
      if (type === 'apply' && e instanceof ApiError && e.code === 404) {
        return this.create(def, ns, applyPatchBody({ metadata: {} }, 'apply', body), ctx);
      }
      throw e;
    }
    const patched = applyPatchBody(current, type, body);
    if (!patched.metadata || typeof patched.metadata !== 'object')
      throw badRequest('metadata must be an object');
    // A patch that does not change resourceVersion applies to whatever is current (the API
    // server retries it on conflict); one that sets a stale version gets its 409.
    if (patched.metadata.resourceVersion === current.metadata.resourceVersion)
      patched.metadata.resourceVersion = '';
    return this.update(def, ns, name, patched, ctx, subresource);
  }

  async delete(
    def: ResourceDef,
    ns: string | undefined,
    name: string,
    ctx: RequestContext,
  ): Promise<KubeObject> {
    const obj = this.get(def, ns, name);
    if (ctx.dryRun) return obj;
    if (obj.metadata.finalizers?.length) {
      if (obj.metadata.deletionTimestamp) return obj;
      obj.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      obj.metadata.resourceVersion = '';
      return this.withType(def, this.store.update(storageKey(def), obj));
    }
    return this.withType(def, this.removeNow(def, obj));
  }

  deleteCollection(
    def: ResourceDef,
    ns: string | undefined,
    q: ListQuery,
    ctx: RequestContext,
  ): KubeObject[] {
    const { items } = this.list(def, ns, { ...q, limit: 0 });
    const out: KubeObject[] = [];
    for (const o of [...items]) {
      if (ctx.dryRun) out.push(o);
      else out.push(this.removeNow(def, o));
    }
    return out;
  }

  /** Removes an object, then (as the garbage collector would) everything it owns. */
  removeNow(def: ResourceDef, obj: KubeObject, cascade = true): KubeObject {
    const removed = this.store.remove(
      storageKey(def),
      def.namespaced ? obj.metadata.namespace : undefined,
      obj.metadata.name!,
    );
    this.hooksOf(def).afterDelete?.(removed);
    const uid = obj.metadata.uid;
    if (!uid || !cascade) return removed;
    const ns = def.namespaced ? obj.metadata.namespace : undefined;
    for (const d of this.storedDefs()) {
      if (!d.namespaced && ns) continue;
      const dependents = this.store
        .list(storageKey(d), d.namespaced ? ns : undefined)
        .filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === uid));
      for (const dep of dependents) {
        if (this.store.get(storageKey(d), dep.metadata.namespace, dep.metadata.name!))
          this.removeNow(d, dep);
      }
    }
    return removed;
  }

  /** One def per storage key, for every stored (non-virtual) resource. */
  storedDefs(): ResourceDef[] {
    const seen = new Set<string>();
    return this.registry.all().filter((d) => {
      const k = storageKey(d);
      if (d.virtual || seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
}

/** Create and update both need an object with an object `metadata`, as the API server does. */
function requireObjectBody(body: KubeObject): void {
  if (!isObject(body) || !isObject(body.metadata)) {
    throw badRequest('the body of the request was in an unknown format');
  }
}
