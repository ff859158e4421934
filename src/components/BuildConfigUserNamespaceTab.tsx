// The "User namespace" tab on BuildConfig pages (console.tab/horizontalNav): the switch with its
// preview, the passthrough annotations, and the last builds with their verdicts.
import type { FC } from 'react';
import { Divider, PageSection, Stack, StackItem, Title } from '@patternfly/react-core';
import type { K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import { useBuildPolicy } from '../hooks/useBuildPolicy';
import { useCanPatchBuildConfig } from '../hooks/useBuildConfigEdit';
import { previewPolicy, toggleEffect } from '../utils/buildconfig-toggle';
import type { BuildConfigLike } from '../utils/buildconfig-toggle';
import { PassthroughAnnotations } from './PassthroughAnnotations';
import { RecentBuilds } from './RecentBuilds';
import { UserNamespaceControl } from './UserNamespaceControl';

const BuildConfigUserNamespaceTab: FC<{ obj?: K8sResourceCommon }> = ({ obj }) => {
  const { t } = usePluginTranslation();
  const policy = previewPolicy(useBuildPolicy());
  const bc = (obj ?? {}) as BuildConfigLike;
  const { canPatch } = useCanPatchBuildConfig(bc);
  if (!obj?.metadata?.name) return null;
  const ready = policy.state === 'ready' ? policy : undefined;
  return (
    <PageSection>
      <Stack hasGutter>
        <StackItem>
          <Title headingLevel="h2">{t('User namespace')}</Title>
        </StackItem>
        <StackItem>
          <UserNamespaceControl buildConfig={bc} />
        </StackItem>
        {ready && (
          <>
            <StackItem>
              <Divider />
            </StackItem>
            <StackItem>
              <PassthroughAnnotations
                buildConfig={bc}
                policy={ready.policy}
                moot={toggleEffect(ready.policy, bc).moot}
                canPatch={canPatch}
              />
            </StackItem>
          </>
        )}
        <StackItem>
          <Divider />
        </StackItem>
        <StackItem>
          <RecentBuilds buildConfig={bc} />
        </StackItem>
      </Stack>
    </PageSection>
  );
};

export default BuildConfigUserNamespaceTab;
