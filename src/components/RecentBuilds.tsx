// The last builds of a BuildConfig with their verdicts, each linking to its Build.
import type { FC } from 'react';
import { Alert, Content, Label, Spinner, Stack, StackItem, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import { useBuildEvidence } from '../hooks/useBuildEvidence';
import { useRecentBuilds } from '../hooks/useBuildConfigEdit';
import { buildGVK } from '../models';
import { verdictLabelProps } from '../utils/build-evidence';
import type { BuildConfigLike } from '../utils/buildconfig-toggle';
import type { BuildLike } from '../utils/recent-builds';
import { VerdictText } from './BuildUserNamespaceItem';

export const RECENT_BUILDS = 5;

const VerdictCell: FC<{ build: BuildLike }> = ({ build }) => {
  const { t } = usePluginTranslation();
  const evidence = useBuildEvidence(build);
  switch (evidence.state) {
    case 'loading':
      return <Spinner size="sm" aria-label={t('Checking the build pod')} />;
    case 'error':
      return <>{t('Could not check: {{message}}', { message: evidence.message })}</>;
    default:
      return (
        <Label {...verdictLabelProps(evidence.verdict)} data-test="userns-verdict">
          <VerdictText verdict={evidence.verdict} />
        </Label>
      );
  }
};

export const RecentBuilds: FC<{ buildConfig: BuildConfigLike }> = ({ buildConfig }) => {
  const { t } = usePluginTranslation();
  const { builds, loaded, error } = useRecentBuilds(buildConfig, RECENT_BUILDS);
  const columns = { build: t('Build'), phase: t('Status'), verdict: t('User namespace') };
  return (
    <Stack hasGutter>
      <StackItem>
        <Title headingLevel="h2">{t('Recent builds')}</Title>
      </StackItem>
      <StackItem>
        {error ? (
          <Alert variant="danger" isInline isPlain title={t('The builds could not be listed')}>
            {error instanceof Error ? error.message : String(error)}
          </Alert>
        ) : !loaded ? (
          <Spinner size="md" aria-label={t('Loading builds')} />
        ) : builds.length === 0 ? (
          <Content component="p">{t('No builds yet.')}</Content>
        ) : (
          <Table aria-label={t('Recent builds')} variant="compact" data-test="userns-recent-builds">
            <Thead>
              <Tr>
                <Th>{columns.build}</Th>
                <Th>{columns.phase}</Th>
                <Th>{columns.verdict}</Th>
              </Tr>
            </Thead>
            <Tbody>
              {builds.map((b) => (
                <Tr key={b.metadata?.uid ?? b.metadata?.name}>
                  <Td dataLabel={columns.build}>
                    <ResourceLink
                      groupVersionKind={buildGVK}
                      name={b.metadata?.name}
                      namespace={b.metadata?.namespace}
                    />
                  </Td>
                  <Td dataLabel={columns.phase}>{b.status?.phase ?? '-'}</Td>
                  <Td dataLabel={columns.verdict}>
                    <VerdictCell build={b} />
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </StackItem>
    </Stack>
  );
};
