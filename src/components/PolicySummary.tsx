import type { FC } from 'react';
import {
  Card,
  CardBody,
  CardHeader,
  CardTitle,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Label,
  LabelGroup,
  List,
  ListItem,
} from '@patternfly/react-core';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import type { EffectivePolicy, StringMap } from '@userns-builds/core';
import { buildPolicyYamlPath, policyEditorPath } from '../models';
import { LinkButton } from './LinkButton';
import { DefaultText, ModeText, OverrideText } from './PolicyText';
import './policy-overview.css';

const NoneText: FC = () => {
  const { t } = usePluginTranslation();
  return <Content component="small">{t('None')}</Content>;
};

const Names: FC<{ names: string[]; category: string }> = ({ names, category }) =>
  names.length === 0 ? (
    <NoneText />
  ) : (
    <LabelGroup categoryName={category} numLabels={10}>
      {names.map((name) => (
        <Label key={name} isCompact>
          {name}
        </Label>
      ))}
    </LabelGroup>
  );

const Annotations: FC<{ annotations: StringMap }> = ({ annotations }) => {
  const entries = Object.entries(annotations).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <NoneText />;
  return (
    <List isPlain>
      {entries.map(([key, value]) => (
        <ListItem key={key}>
          <code className="userns-builds__annotation">
            {key}={value}
          </code>
        </ListItem>
      ))}
    </List>
  );
};

interface PolicySummaryProps {
  policy: EffectivePolicy;
  canUpdate: boolean;
}

/** The effective policy: the spec with every default filled in, as the webhook applies it. */
export const PolicySummary: FC<PolicySummaryProps> = ({ policy, canUpdate }) => {
  const { t } = usePluginTranslation();
  const u = policy.userNamespaces;
  // Everyone may open the editor: without update it is read-only and says why.
  const edit = canUpdate ? (
    <>
      <LinkButton to={policyEditorPath} variant="primary">
        {t('Edit policy')}
      </LinkButton>{' '}
      <LinkButton to={buildPolicyYamlPath}>{t('Edit policy YAML')}</LinkButton>
    </>
  ) : (
    <LinkButton to={policyEditorPath}>{t('View in the policy editor')}</LinkButton>
  );
  return (
    <Card>
      <CardHeader actions={{ actions: edit, hasNoOffset: true }}>
        <CardTitle component="h2">{t('Effective policy')}</CardTitle>
      </CardHeader>
      <CardBody>
        <DescriptionList isHorizontal>
          <DescriptionListGroup>
            <DescriptionListTerm>{t('Builds that do not choose')}</DescriptionListTerm>
            <DescriptionListDescription>
              <DefaultText value={u.default} />
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t('Override')}</DescriptionListTerm>
            <DescriptionListDescription>
              <OverrideText value={u.override} />
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t('How the node is asked')}</DescriptionListTerm>
            <DescriptionListDescription>
              <ModeText value={u.mode} />
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t('Exempt namespaces')}</DescriptionListTerm>
            <DescriptionListDescription>
              <Names names={u.exemptNamespaces} category={t('Exempt namespaces')} />
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t('Annotation defaults (set when absent)')}</DescriptionListTerm>
            <DescriptionListDescription>
              <Annotations annotations={policy.buildDefaults.annotations} />
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t('Annotation overrides (always set)')}</DescriptionListTerm>
            <DescriptionListDescription>
              <Annotations annotations={policy.buildOverrides.annotations} />
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t('Passthrough annotations')}</DescriptionListTerm>
            <DescriptionListDescription>
              <Names
                names={policy.passthroughAnnotations}
                category={t('Passthrough annotations')}
              />
            </DescriptionListDescription>
          </DescriptionListGroup>
        </DescriptionList>
      </CardBody>
    </Card>
  );
};
