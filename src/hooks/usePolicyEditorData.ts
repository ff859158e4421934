// Everything the policy editor reads from the cluster, in one place: both resources it edits, the
// BuildConfigs and namespaces it previews against, and what the user may do to each resource.
import { useMemo } from 'react';
import { useAccessReview, useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon, WatchK8sResource } from '@openshift-console/dynamic-plugin-sdk';
import type { ClusterBuildConfig } from '@userns-builds/core';
import {
  BUILD_POLICY_NAME,
  BUILD_POLICY_PLURAL,
  buildConfigGVK,
  buildPolicyGVK,
  CLUSTER_BUILD_NAME,
  clusterBuildGVK,
  ClusterBuildModel,
} from '../models';
import type { BuildConfigSlice } from '../utils/impact';
import { classifyObjectLoad } from '../utils/load-state';
import type { ObjectLoadState } from '../utils/load-state';

const clusterBuildWatch: WatchK8sResource = {
  groupVersionKind: clusterBuildGVK,
  name: CLUSTER_BUILD_NAME,
  isList: false,
};

export function useClusterBuild(): ObjectLoadState<ClusterBuildConfig> {
  const [data, loaded, error] = useK8sWatchResource<K8sResourceCommon>(clusterBuildWatch);
  return classifyObjectLoad<ClusterBuildConfig>(data, loaded, error);
}

const buildConfigsWatch: WatchK8sResource = { groupVersionKind: buildConfigGVK, isList: true };

export interface BuildConfigsLoad {
  buildConfigs: BuildConfigSlice[];
  loaded: boolean;
  error: unknown;
}

/** Every BuildConfig the user can list across namespaces (the impact preview's input). */
export function useBuildConfigs(): BuildConfigsLoad {
  const [data, loaded, error] =
    useK8sWatchResource<(K8sResourceCommon & BuildConfigSlice)[]>(buildConfigsWatch);
  return useMemo(
    () => ({ buildConfigs: Array.isArray(data) ? data : [], loaded, error }),
    [data, loaded, error],
  );
}

const namespacesWatch: WatchK8sResource = {
  groupVersionKind: { version: 'v1', kind: 'Namespace' },
  isList: true,
};

/** Namespace names for the exemption typeahead; empty when the user may not list them. */
export function useNamespaceNames(): string[] {
  const [data] = useK8sWatchResource<K8sResourceCommon[]>(namespacesWatch);
  return useMemo(
    () =>
      (Array.isArray(data) ? data : [])
        .map((n) => n.metadata?.name)
        .filter((n): n is string => typeof n === 'string')
        .sort(),
    [data],
  );
}

export interface Permission {
  allowed: boolean;
  loading: boolean;
}

export interface EditorAccess {
  updatePolicy: Permission;
  createPolicy: Permission;
  updateClusterBuild: Permission;
}

export function useEditorAccess(): EditorAccess {
  const [updatePolicy, updatePolicyLoading] = useAccessReview({
    group: buildPolicyGVK.group,
    resource: BUILD_POLICY_PLURAL,
    verb: 'update',
    name: BUILD_POLICY_NAME,
  });
  const [createPolicy, createPolicyLoading] = useAccessReview({
    group: buildPolicyGVK.group,
    resource: BUILD_POLICY_PLURAL,
    verb: 'create',
  });
  const [updateClusterBuild, updateClusterBuildLoading] = useAccessReview({
    group: ClusterBuildModel.apiGroup,
    resource: ClusterBuildModel.plural,
    verb: 'update',
    name: CLUSTER_BUILD_NAME,
  });
  return {
    updatePolicy: { allowed: updatePolicy, loading: updatePolicyLoading },
    createPolicy: { allowed: createPolicy, loading: createPolicyLoading },
    updateClusterBuild: { allowed: updateClusterBuild, loading: updateClusterBuildLoading },
  };
}
