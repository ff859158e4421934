// Which namespaces a caller may list Builds in, asked with the caller's own token: one
// SelfSubjectAccessReview for the whole cluster; failing that, the caller's projects and one
// review per project. Cached per token for a short time. The answer is the only namespace list
// the API ever filters by, so a caller cannot learn about any other namespace.
import { KubeError, type KubeClient } from '../kube/client';
import { TtlCache } from './ttl-cache';
import { unauthorized, unavailable, type Caller } from './tokens';

/** 'all', or the namespaces allowed. */
export type Visibility = { all: true } | { all: false; namespaces: ReadonlySet<string> };

export const BUILDS_RESOURCE = { group: 'build.openshift.io', resource: 'builds', verb: 'list' };

interface ReviewAnswer {
  status?: { allowed?: boolean };
}
interface ProjectList {
  items?: { metadata?: { name?: string } }[];
}

export class NamespaceAccess {
  private readonly cache: TtlCache<Visibility>;

  constructor(
    private readonly client: KubeClient,
    private readonly o: {
      ttlMs: number;
      timeoutMs: number;
      /** Per-namespace reviews in flight at once for one caller. */
      concurrency?: number;
      maxEntries?: number;
    },
  ) {
    this.cache = new TtlCache(o.maxEntries ?? 10_000);
  }

  visibility(caller: Caller): Promise<Visibility> {
    return this.cache.getOrLoad(
      caller.tokenHash,
      () => this.ask(caller.token),
      () => this.o.ttlMs,
    );
  }

  private async ask(token: string): Promise<Visibility> {
    if (await this.mayList(token, undefined)) return { all: true };
    const projects = await this.call<ProjectList>(
      token,
      'GET',
      '/apis/project.openshift.io/v1/projects',
    );
    const names = [
      ...new Set(
        (projects.items ?? [])
          .map((p) => p.metadata?.name)
          .filter((n): n is string => typeof n === 'string' && n !== ''),
      ),
    ];
    const allowed = new Set<string>();
    let next = 0;
    const worker = async () => {
      for (let ns = names[next++]; ns !== undefined; ns = names[next++]) {
        if (await this.mayList(token, ns)) allowed.add(ns);
      }
    };
    await Promise.all(Array.from({ length: this.o.concurrency ?? 8 }, worker));
    return { all: false, namespaces: allowed };
  }

  private async mayList(token: string, namespace: string | undefined): Promise<boolean> {
    const answer = await this.call<ReviewAnswer>(
      token,
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { ...BUILDS_RESOURCE, ...(namespace ? { namespace } : {}) } },
      },
    );
    return answer?.status?.allowed === true;
  }

  private async call<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await this.client.request<T>(method, path, {
        body,
        asToken: token,
        timeoutMs: this.o.timeoutMs,
      });
    } catch (err) {
      // The token passed a TokenReview a moment ago; a 401 now means it was just revoked.
      if (err instanceof KubeError && err.status === 401)
        throw unauthorized('the bearer token is not valid');
      // A caller who may not list projects or create reviews simply sees nothing.
      if (err instanceof KubeError && err.status === 403) return {} as T;
      throw unavailable('access could not be checked');
    }
  }
}
