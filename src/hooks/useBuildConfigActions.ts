// The BuildConfig kebab action (console.action/resource-provider): opens the user namespace switch
// in a modal. Disabled, with the reason, for users who may not patch the BuildConfig.
import { useMemo } from 'react';
import { useOverlay } from '@openshift-console/dynamic-plugin-sdk';
import type { Action, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { usePluginTranslation } from './usePluginTranslation';
import { UserNamespaceModal } from '../components/UserNamespaceModal';
import type { UserNamespaceModalProps } from '../components/UserNamespaceModal';
import { BuildConfigModel } from '../models';

export const EDIT_USER_NAMESPACE_ACTION = 'userns-builds-edit-user-namespace';

export function useBuildConfigActions(
  bc: K8sResourceCommon | undefined,
): [Action[], boolean, unknown] {
  const { t } = usePluginTranslation();
  const launch = useOverlay();
  const namespace = bc?.metadata?.namespace;
  const name = bc?.metadata?.name;
  const actions = useMemo((): Action[] => {
    if (!namespace || !name) return [];
    return [
      {
        id: EDIT_USER_NAMESPACE_ACTION,
        label: t('Edit user namespace'),
        description: t('Follow the cluster, or run builds in a user namespace or privileged'),
        cta: () =>
          launch<Omit<UserNamespaceModalProps, 'closeOverlay'>>(UserNamespaceModal, {
            namespace,
            name,
          }),
        accessReview: {
          group: BuildConfigModel.apiGroup,
          resource: BuildConfigModel.plural,
          verb: 'patch',
          name,
          namespace,
        },
        disabledTooltip: t('You may not patch this BuildConfig.'),
      },
    ];
  }, [t, launch, namespace, name]);
  return [actions, true, undefined];
}
