// Access reviews and token reviews: the plugin hides controls with SelfSubjectAccessReviews and
// the backend checks callers with SubjectAccessReviews and TokenReviews.
import { badRequest } from './errors';
import { allowed, rulesFor, userByName, userByToken, type Attributes, type DemoUser } from './rbac';
import type { KubeObject, ResourceDef } from './types';
import { apiVersionOf } from './types';

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

const NON_RESOURCE_URLS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/version',
  '/healthz',
  '/readyz',
  '/livez',
];

function decide(
  user: DemoUser | undefined,
  spec: {
    resourceAttributes?: ResourceAttributes;
    nonResourceAttributes?: { path?: string; verb?: string };
  },
): object {
  if (!user) return { allowed: false, reason: 'unknown user' };
  if (spec.resourceAttributes) {
    const r = spec.resourceAttributes;
    const a: Attributes = {
      verb: r.verb ?? '',
      group: r.group ?? '',
      resource: r.resource ?? '',
      ...(r.subresource ? { subresource: r.subresource } : {}),
      ...(r.namespace ? { namespace: r.namespace } : {}),
      ...(r.name ? { name: r.name } : {}),
    };
    const ok = allowed(user, a);
    return ok
      ? { allowed: true, reason: "RBAC: allowed by the emulator's demo roles" }
      : { allowed: false };
  }
  if (spec.nonResourceAttributes) {
    const path = spec.nonResourceAttributes.path ?? '';
    const ok =
      user.rules.some((r) => r.verbs.includes('*')) ||
      NON_RESOURCE_URLS.some((u) =>
        u.endsWith('*') ? path.startsWith(u.slice(0, -1)) : path === u,
      );
    return { allowed: ok };
  }
  throw badRequest('exactly one of nonResourceAttributes or resourceAttributes must be specified');
}

export function reviews(def: ResourceDef, body: KubeObject | undefined, caller: DemoUser): object {
  const spec = ((body?.spec as Record<string, unknown> | undefined) ?? {}) as Record<string, never>;
  const base = {
    apiVersion: apiVersionOf(def),
    kind: def.kind,
    metadata: { creationTimestamp: null },
    spec,
  };
  switch (def.resource) {
    case 'selfsubjectaccessreviews':
      return { ...base, status: decide(caller, spec) };
    case 'subjectaccessreviews':
      return { ...base, status: decide(userByName((spec as { user?: string }).user ?? ''), spec) };
    case 'selfsubjectrulesreviews': {
      const ns = (spec as { namespace?: string }).namespace ?? '';
      return {
        ...base,
        status: {
          resourceRules: rulesFor(caller, ns),
          nonResourceRules: [{ verbs: ['get'], nonResourceURLs: NON_RESOURCE_URLS }],
          incomplete: false,
        },
      };
    }
    case 'tokenreviews': {
      const u = userByToken((spec as { token?: string }).token);
      return {
        ...base,
        spec: { audiences: (spec as { audiences?: string[] }).audiences ?? [] },
        status: u
          ? {
              authenticated: true,
              user: { username: u.username, uid: u.uid, groups: u.groups },
              audiences: (spec as { audiences?: string[] }).audiences ?? [],
            }
          : { authenticated: false, error: 'invalid bearer token' },
      };
    }
    case 'selfsubjectreviews':
      return {
        ...base,
        status: { userInfo: { username: caller.username, uid: caller.uid, groups: caller.groups } },
      };
    default:
      throw badRequest(`unsupported review ${def.resource}`);
  }
}
