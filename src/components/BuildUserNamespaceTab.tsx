// The "User namespace" tab on Build pages: the verdict and every fact behind it — the recorded
// verdict first, else the build pod and its log; which rule the webhook applied; the UID map the
// builder reported; the node; a link to the pod while it exists.
import type { FC, ReactNode } from 'react';
import {
  Alert,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Label,
  PageSection,
  Spinner,
  Title,
} from '@patternfly/react-core';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import { useBuildEvidenceDetails } from '../hooks/useBuildEvidence';
import { podGVK } from '../models';
import { verdictLabelProps } from '../utils/build-evidence';
import type { BuildMeta } from '../utils/build-evidence';
import { VerdictText } from './BuildUserNamespaceItem';
import { DecisionSourceName, OutcomeLabel } from './ToggleText';
import './build-evidence.css';

const BuildUserNamespaceTab: FC<{ obj?: K8sResourceCommon }> = ({ obj }) => {
  const { t } = usePluginTranslation();
  const build = (obj ?? {}) as BuildMeta;
  const { evidence, details, podChecked } = useBuildEvidenceDetails(build);
  if (!obj?.metadata?.name) return null;
  const namespace = obj.metadata.namespace;
  const term = (text: string, value: ReactNode, test: string) => (
    <DescriptionListGroup data-test={test}>
      <DescriptionListTerm>{text}</DescriptionListTerm>
      <DescriptionListDescription>{value}</DescriptionListDescription>
    </DescriptionListGroup>
  );
  const checking = <Spinner size="sm" aria-label={t('Checking the build pod')} />;
  return (
    <PageSection>
      <Title headingLevel="h2">{t('User namespace')}</Title>
      {evidence.state === 'error' && (
        <Alert variant="danger" isInline title={t('The build pod could not be read')}>
          {evidence.message}
        </Alert>
      )}
      <DescriptionList isHorizontal>
        {term(
          t('Verdict'),
          evidence.state === 'verdict' ? (
            <Label {...verdictLabelProps(evidence.verdict)} data-test="userns-verdict">
              <VerdictText verdict={evidence.verdict} />
            </Label>
          ) : evidence.state === 'loading' ? (
            checking
          ) : (
            '-'
          ),
          'userns-tab-verdict',
        )}
        {evidence.state === 'verdict' &&
          term(
            t('Evidence'),
            <Content component="p" className="userns-builds__evidence">
              {evidence.evidence}
            </Content>,
            'userns-tab-evidence',
          )}
        {evidence.state === 'verdict' &&
          term(
            t('Judged by'),
            evidence.source === 'recorded'
              ? t('The verdict recorded on the Build')
              : t('This page, from the build pod and its log'),
            'userns-tab-source',
          )}
        {term(
          t('Decided by'),
          !podChecked ? (
            checking
          ) : details.podName ? (
            <>
              {details.decided === 'true' || details.decided === 'false' ? (
                <>
                  <OutcomeLabel userNamespaces={details.decided === 'true'} />{' '}
                </>
              ) : null}
              <DecisionSourceName source={details.decisionSource} />
            </>
          ) : (
            t('Unknown: the build pod is gone')
          ),
          'userns-tab-decision',
        )}
        {term(
          t('UID map'),
          details.uidMap.length > 0 ? (
            <ul>
              {details.uidMap.map((m) => (
                <li key={`${m.container}:${m.host}:${m.size}`}>
                  {t('container {{container}} → host {{host}} ({{size}} IDs)', {
                    container: m.container,
                    host: m.host,
                    size: m.size,
                  })}
                </li>
              ))}
            </ul>
          ) : details.namespaceLine ? (
            t("None: the builder ran in the node's own user namespace")
          ) : (
            t('Not in the build log')
          ),
          'userns-tab-uid-map',
        )}
        {term(t('Node'), details.node ?? '-', 'userns-tab-node')}
        {term(
          t('Build pod'),
          !podChecked ? (
            checking
          ) : details.podName ? (
            <ResourceLink groupVersionKind={podGVK} name={details.podName} namespace={namespace} />
          ) : (
            t('Gone (pruned), or not created yet')
          ),
          'userns-tab-pod',
        )}
      </DescriptionList>
    </PageSection>
  );
};

export default BuildUserNamespaceTab;
