// The only place the plugin asks the SDK about enforcement: it watches the refusing
// ValidatingAdmissionPolicy and its binding, and hands both to the pure classifyEnforcement.
import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon, WatchK8sResource } from '@openshift-console/dynamic-plugin-sdk';
import { ENFORCEMENT_POLICY_NAME } from '@userns-builds/core';
import { vapBindingGVK, vapGVK } from '../models';
import { classifyEnforcement } from '../utils/enforcement';
import type { EnforcementState } from '../utils/enforcement';

// Module-level so the watch requests are referentially stable across renders.
const policyWatch: WatchK8sResource = {
  groupVersionKind: vapGVK,
  name: ENFORCEMENT_POLICY_NAME,
  isList: false,
};
const bindingWatch: WatchK8sResource = {
  groupVersionKind: vapBindingGVK,
  name: ENFORCEMENT_POLICY_NAME,
  isList: false,
};

export function useEnforcement(): EnforcementState {
  const [policy, policyLoaded, policyError] = useK8sWatchResource<K8sResourceCommon>(policyWatch);
  const [binding, bindingLoaded, bindingError] =
    useK8sWatchResource<K8sResourceCommon>(bindingWatch);
  return classifyEnforcement(
    { data: policy, loaded: policyLoaded, error: policyError },
    { data: binding, loaded: bindingLoaded, error: bindingError },
  );
}
