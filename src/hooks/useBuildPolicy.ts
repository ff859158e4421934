// The only place the plugin asks the SDK for the BuildPolicy; components get a PolicyLoadState.
import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon, WatchK8sResource } from '@openshift-console/dynamic-plugin-sdk';
import type { BuildPolicy } from '@userns-builds/core';
import { BUILD_POLICY_NAME, buildPolicyGVK } from '../models';
import { classifyPolicyLoad } from '../utils/load-state';
import type { PolicyLoadState } from '../utils/load-state';

// Module-level so the watch request is referentially stable across renders.
const policyWatch: WatchK8sResource = {
  groupVersionKind: buildPolicyGVK,
  name: BUILD_POLICY_NAME,
  isList: false,
};

export function useBuildPolicy(): PolicyLoadState {
  const [data, loaded, loadError] = useK8sWatchResource<BuildPolicy & K8sResourceCommon>(
    policyWatch,
  );
  return classifyPolicyLoad(data, loaded, loadError);
}
