import { useMemo } from 'react';
import type { FC } from 'react';
import { Card, CardBody, CardTitle, Content, Label } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import type { EffectivePolicy } from '@userns-builds/core';
import { buildPreview } from '../utils/preview';
import { BuildChoiceText, DecisionSourceText } from './PolicyText';

interface BuildPreviewProps {
  /** undefined: no BuildPolicy, so the preview shows OpenShift's own behaviour. */
  policy: EffectivePolicy | undefined;
}

export const BuildPreview: FC<BuildPreviewProps> = ({ policy }) => {
  const { t } = usePluginTranslation();
  const rows = useMemo(() => buildPreview(policy), [policy]);
  const columns = {
    choice: t('The build says'),
    outcome: t('How it runs'),
    why: t('Why'),
  };
  return (
    <Card>
      <CardTitle component="h2">{t('What happens to a build')}</CardTitle>
      <CardBody>
        <Content component="p">
          {t('For a build in a namespace that is not exempt, by what its strategy sets:')}
        </Content>
        <Table aria-label={t('What happens to a build')} variant="compact">
          <Thead>
            <Tr>
              <Th>{columns.choice}</Th>
              <Th>{columns.outcome}</Th>
              <Th>{columns.why}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {rows.map(({ choice, decision }) => (
              <Tr key={choice} data-testid={`preview-${choice}`}>
                <Td dataLabel={columns.choice}>
                  <code>
                    <BuildChoiceText choice={choice} />
                  </code>
                </Td>
                <Td dataLabel={columns.outcome}>
                  {decision.userNamespaces ? (
                    <Label status="success">{t('User namespace')}</Label>
                  ) : (
                    <Label status="warning">{t('Privileged')}</Label>
                  )}
                </Td>
                <Td dataLabel={columns.why}>
                  <DecisionSourceText source={decision.source} choice={choice} />
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </CardBody>
    </Card>
  );
};
