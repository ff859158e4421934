// Demo users and their permissions. Rules have the shape of RBAC PolicyRules so access reviews
// and rules reviews can be answered from the same table the authorizer uses.
import type { UserInfo } from './types';

export interface Rule {
  verbs: string[];
  apiGroups: string[];
  /** `resource` or `resource/subresource`; `*` for all. */
  resources: string[];
  /** Restricts the rule to these namespaces, as a RoleBinding would; absent = cluster-wide. */
  namespaces?: string[];
  resourceNames?: string[];
}

export interface DemoUser extends UserInfo {
  token: string;
  rules: Rule[];
}

export type DemoUserName = 'admin' | 'developer' | 'auditor' | 'backend';

/** Namespaces the developer can edit. */
export const DEVELOPER_NAMESPACES = ['team-a', 'team-b', 'team-c'];
export const BACKEND_NAMESPACE = 'userns-builds';

const READ = ['get', 'list', 'watch'];

/** What every authenticated user may do (OpenShift's basic-user, self-access-reviewer, cached discovery). */
const BASIC: Rule[] = [
  {
    verbs: ['create'],
    apiGroups: ['authorization.k8s.io'],
    resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
  },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  // Projects are filtered per user by the projects endpoint itself.
  { verbs: ['list', 'watch', 'get'], apiGroups: ['project.openshift.io'], resources: ['projects'] },
  // Lets the console and the toggle preview read the cluster policy and whether the CRD exists.
  { verbs: READ, apiGroups: ['userns.builds.dev'], resources: ['buildpolicies'] },
  { verbs: READ, apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'] },
];

const EDIT_RESOURCES = [
  'pods',
  'pods/log',
  'builds',
  'builds/log',
  'builds/details',
  'builds/clone',
  'buildconfigs',
  'buildconfigs/instantiate',
  'leases',
];

// Fixed, documented demo tokens: this is a local emulator, never a real cluster.
export const DEMO_USERS: Record<DemoUserName, DemoUser> = {
  admin: {
    username: 'admin',
    uid: 'a0000000-0000-4000-8000-000000000001',
    groups: ['system:cluster-admins', 'system:authenticated'],
    token: 'sha256~demo-admin-token',
    rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
  },
  developer: {
    username: 'developer',
    uid: 'a0000000-0000-4000-8000-000000000002',
    groups: ['system:authenticated'],
    token: 'sha256~demo-developer-token',
    rules: [
      ...BASIC,
      {
        verbs: ['*'],
        apiGroups: ['', 'build.openshift.io', 'coordination.k8s.io'],
        resources: EDIT_RESOURCES,
        namespaces: DEVELOPER_NAMESPACES,
      },
      {
        verbs: READ,
        apiGroups: [''],
        resources: ['namespaces', 'events'],
        namespaces: DEVELOPER_NAMESPACES,
      },
    ],
  },
  auditor: {
    username: 'auditor',
    uid: 'a0000000-0000-4000-8000-000000000003',
    groups: ['system:authenticated'],
    token: 'sha256~demo-auditor-token',
    rules: [
      ...BASIC,
      {
        verbs: READ,
        apiGroups: ['', 'build.openshift.io'],
        resources: ['builds', 'builds/log', 'buildconfigs', 'pods', 'pods/log', 'namespaces'],
      },
      { verbs: READ, apiGroups: ['config.openshift.io'], resources: ['builds'] },
      // Whether enforcement is installed is part of what an auditor checks.
      {
        verbs: READ,
        apiGroups: ['admissionregistration.k8s.io'],
        resources: ['validatingadmissionpolicies', 'validatingadmissionpolicybindings'],
      },
    ],
  },
  // The backend's service account: the webhook needs nothing, the verdict controller and the
  // compliance API need these (see deploy/ RBAC).
  backend: {
    username: `system:serviceaccount:${BACKEND_NAMESPACE}:userns-builds-backend`,
    uid: 'a0000000-0000-4000-8000-000000000004',
    groups: [
      'system:serviceaccounts',
      `system:serviceaccounts:${BACKEND_NAMESPACE}`,
      'system:authenticated',
    ],
    token: 'sha256~demo-backend-token',
    rules: [
      ...BASIC,
      {
        verbs: READ,
        apiGroups: ['', 'build.openshift.io'],
        resources: ['builds', 'buildconfigs', 'pods', 'pods/log', 'namespaces'],
      },
      { verbs: ['patch', 'update'], apiGroups: ['build.openshift.io'], resources: ['builds'] },
      {
        verbs: ['get', 'patch', 'update'],
        apiGroups: ['userns.builds.dev'],
        resources: ['buildpolicies/status'],
      },
      {
        verbs: ['create'],
        apiGroups: ['authorization.k8s.io'],
        resources: ['subjectaccessreviews'],
      },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'] },
      {
        verbs: ['*'],
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        namespaces: [BACKEND_NAMESPACE],
      },
    ],
  },
};

export function userByToken(token: string | undefined): DemoUser | undefined {
  if (!token) return undefined;
  return Object.values(DEMO_USERS).find((u) => u.token === token);
}

export function userByName(name: string): DemoUser | undefined {
  return Object.values(DEMO_USERS).find((u) => u.username === name);
}

/**
 * The user a request impersonates (`Impersonate-User`, `kubectl --as`): a demo user keeps its
 * rules; any other name gets only what every authenticated user may do, unless it is in
 * `system:masters`, the group Kubernetes binds to cluster-admin (openshift-apiserver's loopback
 * user, `system:apiserver`, is in it).
 */
export function impersonatedUser(username: string, groups: string[]): DemoUser {
  const known = userByName(username);
  const all = [
    ...new Set([...(groups.length ? groups : (known?.groups ?? [])), 'system:authenticated']),
  ];
  return {
    username,
    uid: '',
    groups: all,
    token: '',
    rules: all.includes('system:masters') ? DEMO_USERS.admin.rules : (known?.rules ?? BASIC),
  };
}

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Empty for cluster-scoped requests (and for cluster-wide lists). */
  namespace?: string;
  name?: string;
}

const has = (list: string[] | undefined, v: string): boolean =>
  !!list && (list.includes('*') || list.includes(v));

export function ruleAllows(rule: Rule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb) || !has(rule.apiGroups, a.group)) return false;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  if (!has(rule.resources, res) && !rule.resources.includes(`${a.resource}/*`)) return false;
  if (rule.resourceNames && (!a.name || !rule.resourceNames.includes(a.name))) return false;
  if (rule.namespaces && (!a.namespace || !rule.namespaces.includes(a.namespace))) return false;
  return true;
}

export function allowed(user: Pick<DemoUser, 'rules'> | undefined, a: Attributes): boolean {
  return !!user && user.rules.some((r) => ruleAllows(r, a));
}

/** The message a real API server puts in a 403. */
export function forbiddenMessage(username: string, a: Attributes): string {
  const qr = a.group ? `${a.resource}.${a.group}` : a.resource;
  const subject = a.name ? `${qr} "${a.name}"` : qr;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `${subject} is forbidden: User "${username}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${scope}`;
}

/** What a SelfSubjectRulesReview reports for one namespace. */
export function rulesFor(user: DemoUser, namespace: string): Omit<Rule, 'namespaces'>[] {
  return user.rules
    .filter((r) => !r.namespaces || r.namespaces.includes(namespace))
    .map(({ namespaces: _ns, ...r }) => r);
}
