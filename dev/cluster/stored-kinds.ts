// Kinds the emulator stores and serves with the full REST protocol but does not act on: what an
// install of userns-builds applies (`kubectl apply -k deploy/overlays/openshift`). No controller
// runs a Deployment here; the backend is started by whoever starts the cluster, and a Service
// reaches it through the ServiceDirectory.
import type { ResourceDef } from './types';

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const kinds: [group: string, version: string, kind: string, namespaced: boolean, short?: string][] =
  [
    ['', 'v1', 'ServiceAccount', true, 'sa'],
    ['', 'v1', 'Service', true, 'svc'],
    ['apps', 'v1', 'Deployment', true, 'deploy'],
    ['policy', 'v1', 'PodDisruptionBudget', true, 'pdb'],
    ['networking.k8s.io', 'v1', 'NetworkPolicy', true, 'netpol'],
    ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', false],
    ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', false],
    ['rbac.authorization.k8s.io', 'v1', 'Role', true],
    ['rbac.authorization.k8s.io', 'v1', 'RoleBinding', true],
    ['console.openshift.io', 'v1', 'ConsolePlugin', false],
    ['operator.openshift.io', 'v1', 'Console', false],
    ['monitoring.coreos.com', 'v1', 'ServiceMonitor', true],
    ['monitoring.coreos.com', 'v1', 'PrometheusRule', true],
  ];

export const STORED_KINDS: ResourceDef[] = kinds.map(
  ([group, version, kind, namespaced, short]) => {
    const singular = kind.toLowerCase();
    return {
      group,
      version,
      kind,
      singular,
      resource: singular.endsWith('y') ? `${singular.slice(0, -1)}ies` : `${singular}s`,
      namespaced,
      verbs: ALL,
      ...(short ? { shortNames: [short] } : {}),
    };
  },
);
