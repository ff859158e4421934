// OpenShift's projects (`project.openshift.io/v1`): never stored, a view of the namespaces a user
// may see, as openshift-apiserver serves them from its authorization cache.
import type { Api, ListQuery, ListResult, RequestContext } from './api';
import { ApiError } from './errors';
import { allowed, forbiddenMessage, type DemoUser } from './rbac';
import type { KubeObject, ResourceDef } from './types';

const GROUP = 'project.openshift.io';

export function isProjects(def: ResourceDef): boolean {
  return def.group === GROUP && def.resource === 'projects';
}

export function projectOf(ns: KubeObject): KubeObject {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'Project',
    metadata: ns.metadata,
    spec: {
      finalizers: (ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? ['kubernetes'],
    },
    status: ns.status ?? { phase: 'Active' },
  };
}

/** A user sees a project when they may get its namespace. */
export function canSeeNamespace(user: DemoUser, name: string): boolean {
  return allowed(user, { verb: 'get', group: '', resource: 'namespaces', namespace: name, name });
}

export class Projects {
  constructor(private readonly api: Api) {}

  private get namespaces(): ResourceDef {
    const def = this.api.registry.find('', 'v1', 'namespaces');
    if (!def) throw new Error('namespaces are not served');
    return def;
  }

  /**
   * Every project the user sees that matches the selectors, in one list: OpenShift does not page
   * projects, and a page cut from all namespaces would be short and its `remainingItemCount`
   * would tell the user how many namespaces they cannot see.
   */
  list(user: DemoUser, q: ListQuery): ListResult {
    const { limit: _limit, continue: _continue, ...unpaged } = q;
    const all = this.api.list(this.namespaces, undefined, unpaged);
    return {
      items: all.items.filter((n) => canSeeNamespace(user, n.metadata.name ?? '')).map(projectOf),
      metadata: { resourceVersion: all.metadata.resourceVersion },
    };
  }

  get(user: DemoUser, name: string): KubeObject {
    this.mustSee(user, 'get', name);
    return projectOf(this.api.get(this.namespaces, undefined, name));
  }

  /** Deletes the project's namespace (not under `dryRun`), answering as OpenShift does. */
  async delete(user: DemoUser, name: string, ctx: RequestContext): Promise<object> {
    this.mustSee(user, 'delete', name);
    await this.api.delete(this.namespaces, undefined, name, ctx);
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, group: GROUP, kind: 'projects' },
    };
  }

  /** What a watch on projects shows this user of a namespace: its project, or nothing. */
  view(user: DemoUser): (ns: KubeObject) => KubeObject | undefined {
    return (ns) => (canSeeNamespace(user, ns.metadata.name ?? '') ? projectOf(ns) : undefined);
  }

  private mustSee(user: DemoUser, verb: string, name: string): void {
    if (!canSeeNamespace(user, name))
      throw new ApiError(
        403,
        'Forbidden',
        forbiddenMessage(user.username, {
          verb,
          group: GROUP,
          resource: 'projects',
          namespace: name,
          name,
        }),
      );
  }
}
