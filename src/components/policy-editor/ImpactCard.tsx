// What the edited policy would do to the BuildConfigs the user can list, next to what the saved
// policy does: per namespace, computed with core (utils/impact.ts).
import { useDeferredValue, useMemo } from 'react';
import type { FC } from 'react';
import { Alert, Card, CardBody, CardTitle, Content, Spinner } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import type { EffectivePolicy } from '@userns-builds/core';
import type { BuildConfigsLoad } from '../../hooks/usePolicyEditorData';
import { compareImpact, computeImpact } from '../../utils/impact';
import { errorStatus } from '../../utils/load-state';
import { ReasonText } from '../ReasonText';

/** Rows shown at most; the totals always cover every namespace. */
const MAX_ROWS = 100;

interface ImpactCardProps {
  saved: EffectivePolicy | undefined;
  /** undefined while the edit does not validate: nothing sensible to preview. */
  edited: EffectivePolicy | undefined;
  load: BuildConfigsLoad;
}

const Delta: FC<{ value: number }> = ({ value }) =>
  value === 0 ? null : <span>{` (${value > 0 ? '+' : ''}${value})`}</span>;

export const ImpactCard: FC<ImpactCardProps> = ({ saved, edited, load }) => {
  const { t } = usePluginTranslation();
  // Typing stays responsive with thousands of BuildConfigs: the table catches up after.
  const deferredEdited = useDeferredValue(edited);
  const savedImpact = useMemo(
    () => computeImpact(saved, load.buildConfigs),
    [saved, load.buildConfigs],
  );
  const result = useMemo(
    () =>
      deferredEdited
        ? compareImpact(savedImpact, computeImpact(deferredEdited, load.buildConfigs))
        : undefined,
    [savedImpact, deferredEdited, load.buildConfigs],
  );
  const columns = {
    namespace: t('Namespace'),
    userns: t('User namespace'),
    privileged: t('Privileged'),
    blocked: t('Blocked'),
    why: t('Why'),
  };
  let body;
  if (load.error) {
    body = (
      <Alert variant="warning" isInline isPlain title={t('The impact cannot be shown')}>
        {errorStatus(load.error) === 403
          ? t('You may not list BuildConfigs in every namespace.')
          : String((load.error as Error)?.message ?? load.error)}
      </Alert>
    );
  } else if (!load.loaded) {
    body = <Spinner size="lg" aria-label={t('Loading BuildConfigs')} />;
  } else if (!result) {
    body = <Content component="p">{t('Fix the errors in the policy to see its impact.')}</Content>;
  } else {
    const { totals, delta } = result;
    body = (
      <>
        <Content component="p" data-testid="impact-totals">
          {t(
            'Of {{count}} BuildConfigs, the next builds of {{userns}} will run in a user namespace ({{usernsDelta}}), {{privileged}} will stay privileged ({{privilegedDelta}}) and {{blocked}} will be blocked ({{blockedDelta}}).',
            {
              count: totals.userNamespaced + totals.privileged + totals.blocked,
              userns: totals.userNamespaced,
              privileged: totals.privileged,
              blocked: totals.blocked,
              usernsDelta: signed(delta.userNamespaced),
              privilegedDelta: signed(delta.privileged),
              blockedDelta: signed(delta.blocked),
            },
          )}
        </Content>
        <Table aria-label={t('Impact per namespace')} variant="compact">
          <Thead>
            <Tr>
              <Th>{columns.namespace}</Th>
              <Th modifier="wrap">{columns.userns}</Th>
              <Th modifier="wrap">{columns.privileged}</Th>
              <Th modifier="wrap">{columns.blocked}</Th>
              <Th>{columns.why}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {result.namespaces.slice(0, MAX_ROWS).map((n) => (
              <Tr key={n.namespace} data-testid={`impact-${n.namespace}`}>
                <Td dataLabel={columns.namespace}>{n.namespace}</Td>
                <Td dataLabel={columns.userns}>
                  {n.userNamespaced}
                  <Delta value={n.delta.userNamespaced} />
                </Td>
                <Td dataLabel={columns.privileged}>
                  {n.privileged}
                  <Delta value={n.delta.privileged} />
                </Td>
                <Td dataLabel={columns.blocked}>
                  {n.blocked}
                  <Delta value={n.delta.blocked} />
                </Td>
                <Td dataLabel={columns.why}>
                  {n.reasons[0] && <ReasonText message={n.reasons[0]} />}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
        {result.namespaces.length > MAX_ROWS && (
          <Content component="small">
            {t('Namespaces whose outcome changes come first; {{count}} more are not shown.', {
              count: result.namespaces.length - MAX_ROWS,
            })}
          </Content>
        )}
      </>
    );
  }
  return (
    <Card>
      <CardTitle component="h2">{t('Impact before saving')}</CardTitle>
      <CardBody>{body}</CardBody>
    </Card>
  );
};

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
