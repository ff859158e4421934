// Which policy actions the current user may take, so the page only offers those that will work.
import { useAccessReview } from '@openshift-console/dynamic-plugin-sdk';
import { BUILD_POLICY_NAME, BUILD_POLICY_PLURAL, buildPolicyGVK } from '../models';

export interface PolicyAccess {
  canCreate: boolean;
  canUpdate: boolean;
}

export function usePolicyAccess(): PolicyAccess {
  const [canCreate] = useAccessReview({
    group: buildPolicyGVK.group,
    resource: BUILD_POLICY_PLURAL,
    verb: 'create',
  });
  const [canUpdate] = useAccessReview({
    group: buildPolicyGVK.group,
    resource: BUILD_POLICY_PLURAL,
    verb: 'update',
    name: BUILD_POLICY_NAME,
  });
  return { canCreate, canUpdate };
}
