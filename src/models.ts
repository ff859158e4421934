// How the plugin names the BuildPolicy resource to the console: for watches, access reviews and
// the console's own resource pages. Derived from core's constants so there is one spelling.
import type { K8sModel } from '@openshift-console/dynamic-plugin-sdk';
import {
  POLICY_GROUP,
  POLICY_KIND,
  POLICY_NAME,
  POLICY_PLURAL,
  POLICY_VERSION,
} from '@userns-builds/core';

export const buildPolicyGVK = {
  group: POLICY_GROUP,
  version: POLICY_VERSION,
  kind: POLICY_KIND,
} as const;

export const BUILD_POLICY_PLURAL = POLICY_PLURAL;
export const BUILD_POLICY_NAME = POLICY_NAME;

/** The console's `group~version~kind` reference, used in its /k8s/... URLs. */
export const buildPolicyReference = `${POLICY_GROUP}~${POLICY_VERSION}~${POLICY_KIND}`;

/** The console's YAML editor for the singleton policy. */
export const buildPolicyYamlPath = `/k8s/cluster/${buildPolicyReference}/${POLICY_NAME}/yaml`;

/** The console's create page; our console.yaml-template prefills it with a `cluster` policy. */
export const buildPolicyCreatePath = `/k8s/cluster/${buildPolicyReference}/~new`;

/** The policy editor's page (console.page/route). */
export const policyEditorPath = '/userns-builds/edit';

/** Models for k8sCreate/k8sUpdate, which need the plural and scope besides the GVK. */
export const BuildPolicyModel: K8sModel = {
  apiGroup: POLICY_GROUP,
  apiVersion: POLICY_VERSION,
  kind: POLICY_KIND,
  plural: POLICY_PLURAL,
  namespaced: false,
  crd: true,
  abbr: 'BP',
  label: 'BuildPolicy',
  labelPlural: 'BuildPolicies',
};

/** OpenShift's cluster-wide build configuration, config.openshift.io/v1 Build `cluster`. */
export const ClusterBuildModel: K8sModel = {
  apiGroup: 'config.openshift.io',
  apiVersion: 'v1',
  kind: 'Build',
  plural: 'builds',
  namespaced: false,
  crd: true,
  abbr: 'B',
  label: 'Build',
  labelPlural: 'Builds',
};

export const clusterBuildGVK = {
  group: ClusterBuildModel.apiGroup,
  version: ClusterBuildModel.apiVersion,
  kind: ClusterBuildModel.kind,
} as const;

export const CLUSTER_BUILD_NAME = 'cluster';

export const buildConfigGVK = {
  group: 'build.openshift.io',
  version: 'v1',
  kind: 'BuildConfig',
} as const;

/** The flag console.flag/model sets when the BuildPolicy CRD is installed. */
export const BUILD_POLICY_FLAG = 'USERNS_BUILDS_BUILDPOLICY';

export const buildGVK = { group: 'build.openshift.io', version: 'v1', kind: 'Build' };
export const podGVK = { version: 'v1', kind: 'Pod' };

/** The console's BuildConfig model, as k8sPatch needs it. */
export const BuildConfigModel: K8sModel = {
  apiGroup: buildConfigGVK.group,
  apiVersion: buildConfigGVK.version,
  kind: buildConfigGVK.kind,
  plural: 'buildconfigs',
  abbr: 'BC',
  label: 'BuildConfig',
  labelPlural: 'BuildConfigs',
  namespaced: true,
};

/** The href of the plugin's tab on BuildConfig and Build pages (console.tab/horizontalNav). */
export const USER_NAMESPACE_TAB = 'user-namespace';

/** The console's URL of a BuildConfig's User namespace tab. */
export const buildConfigTabPath = (namespace: string, name: string) =>
  `/k8s/ns/${encodeURIComponent(namespace)}/buildconfigs/${encodeURIComponent(name)}/${USER_NAMESPACE_TAB}`;

/** The console's URL of a Build's User namespace tab. */
export const buildTabPath = (namespace: string, name: string) =>
  `/k8s/ns/${encodeURIComponent(namespace)}/builds/${encodeURIComponent(name)}/${USER_NAMESPACE_TAB}`;

/** The API server's enforcement of the policy (deploy/enforcement/), Kubernetes 1.30+. */
export const vapGVK = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  kind: 'ValidatingAdmissionPolicy',
} as const;

export const vapBindingGVK = { ...vapGVK, kind: 'ValidatingAdmissionPolicyBinding' } as const;
