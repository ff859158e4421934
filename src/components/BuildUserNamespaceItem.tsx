// The Build details item (console.resource/details-item, right column): whether this build ran
// in a user namespace, with the evidence line behind the verdict and a link to all of it.
import type { FC } from 'react';
import { Alert, Content, Label, Spinner, Stack, StackItem } from '@patternfly/react-core';
import type { DetailsItemComponentProps } from '@openshift-console/dynamic-plugin-sdk';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import { Link } from 'react-router';
import type { Verdict } from '@userns-builds/core';
import { useBuildEvidence } from '../hooks/useBuildEvidence';
import { buildTabPath } from '../models';
import { useBuildPodRefusal } from '../hooks/useBuildPodRefusal';
import { verdictLabelProps } from '../utils/build-evidence';
import './build-evidence.css';

/** Each verdict has its own literal t() call so the i18n extraction sees every key. */
export const VerdictText: FC<{ verdict: Verdict }> = ({ verdict }) => {
  const { t } = usePluginTranslation();
  switch (verdict) {
    case 'UserNamespaced':
      return t('User namespace (verified)');
    case 'Requested':
      return t('Requested');
    case 'Privileged':
      return t('Privileged');
    default:
      return t('Unknown');
  }
};

/** The verdict and its evidence, from the build pod and its log. */
const BuildEvidence: FC<DetailsItemComponentProps> = ({ obj }) => {
  const { t } = usePluginTranslation();
  const evidence = useBuildEvidence(obj);
  switch (evidence.state) {
    case 'loading':
      return <Spinner size="md" aria-label={t('Checking the build pod')} />;
    case 'error':
      return (
        <Alert variant="danger" isInline isPlain title={t('The build pod could not be read')}>
          {evidence.message}
        </Alert>
      );
    case 'verdict':
      return (
        <Stack>
          <StackItem>
            <Label {...verdictLabelProps(evidence.verdict)} data-test="userns-verdict">
              <VerdictText verdict={evidence.verdict} />
            </Label>
          </StackItem>
          {evidence.evidence && (
            <StackItem>
              <Content component="small" className="userns-builds__evidence">
                {evidence.evidence}
              </Content>
            </StackItem>
          )}
          {obj.metadata?.namespace && obj.metadata.name && (
            <StackItem>
              <Link to={buildTabPath(obj.metadata.namespace, obj.metadata.name)}>
                {t('All evidence')}
              </Link>
            </StackItem>
          )}
        </Stack>
      );
  }
};

const BuildUserNamespaceItem: FC<DetailsItemComponentProps> = ({ obj }) => {
  const { t } = usePluginTranslation();
  const refusal = useBuildPodRefusal(obj);
  // A refused pod is the whole story: there is no pod to judge (nor to watch), and the message
  // says what to do.
  if (refusal !== undefined) {
    return (
      <Alert
        variant="danger"
        isInline
        isPlain
        title={t('The API server refused the build pod')}
        data-test="userns-refusal"
      >
        {refusal}
      </Alert>
    );
  }
  return <BuildEvidence obj={obj} />;
};

export default BuildUserNamespaceItem;
