// The overview's enforcement card: whether the API server itself refuses build pods that are not
// user-namespaced (a ValidatingAdmissionPolicy bound to the BuildPolicy), and a warning when the
// policy says Required without that guarantee.
import type { FC } from 'react';
import {
  Alert,
  Card,
  CardBody,
  CardTitle,
  Content,
  Label,
  List,
  ListItem,
  Spinner,
  Stack,
  StackItem,
} from '@patternfly/react-core';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import type { EffectivePolicy } from '@userns-builds/core';
import { requiredIsUnguarded } from '../utils/enforcement';
import type { EnforcementState, InactiveReason } from '../utils/enforcement';

/** Each reason has its own literal t() call so the i18n extraction sees every key. */
const InactiveReasonText: FC<{ reason: InactiveReason }> = ({ reason }) => {
  const { t } = usePluginTranslation();
  switch (reason) {
    case 'BindingPolicyName':
      return t('The binding does not reference the userns-builds-required policy.');
    case 'BindingNotDeny':
      return t('The binding does not deny (spec.validationActions lacks Deny).');
    case 'BindingParamRef':
      return t('The binding does not take its parameters from the BuildPolicy named cluster.');
    case 'PolicyParamKind':
      return t('The policy does not take BuildPolicy parameters (spec.paramKind).');
  }
};

const StateLabel: FC<{ state: EnforcementState }> = ({ state }) => {
  const { t } = usePluginTranslation();
  switch (state.state) {
    case 'active':
      return (
        <Label status="success" data-testid="enforcement-state">
          {t('Active')}
        </Label>
      );
    case 'not-installed':
      return <Label data-testid="enforcement-state">{t('Not installed')}</Label>;
    case 'inactive':
      return (
        <Label status="warning" data-testid="enforcement-state">
          {t('Installed, not active')}
        </Label>
      );
    case 'unknown':
      return <Label data-testid="enforcement-state">{t('Unknown')}</Label>;
    case 'loading':
      return <Spinner size="md" aria-label={t('Checking enforcement')} />;
  }
};

const Explanation: FC<{ state: EnforcementState; policy: EffectivePolicy | undefined }> = ({
  state,
  policy,
}) => {
  const { t } = usePluginTranslation();
  switch (state.state) {
    case 'active':
      return policy?.userNamespaces.override === 'Required'
        ? t(
            'The API server refuses every build pod that is not in a user namespace, even while the userns-builds backend is down.',
          )
        : t(
            'The API server refuses nothing until the policy says Required; with default Enabled it warns about build pods that stayed privileged.',
          );
    case 'not-installed':
      return state.why === 'NoAPI'
        ? t('This cluster has no ValidatingAdmissionPolicy API (Kubernetes 1.30, OpenShift 4.17).')
        : t(
            'Only the webhook applies the policy: a build pod created while the backend is down runs as OpenShift made it.',
          );
    case 'inactive':
      return (
        <List>
          {state.reasons.map((reason) => (
            <ListItem key={reason}>
              <InactiveReasonText reason={reason} />
            </ListItem>
          ))}
        </List>
      );
    case 'unknown':
      return state.status === 403
        ? t('You do not have permission to read admission policies.')
        : state.message;
    case 'loading':
      return null;
  }
};

export const EnforcementStatus: FC<{
  state: EnforcementState;
  policy: EffectivePolicy | undefined;
}> = ({ state, policy }) => {
  const { t } = usePluginTranslation();
  return (
    <Card data-testid="enforcement-status">
      <CardTitle component="h2">{t('Enforcement in the API server')}</CardTitle>
      <CardBody>
        <Stack hasGutter>
          <StackItem>
            <StateLabel state={state} />
          </StackItem>
          <StackItem>
            {state.state === 'inactive' ? (
              <Explanation state={state} policy={policy} />
            ) : (
              <Content component="p">
                <Explanation state={state} policy={policy} />
              </Content>
            )}
          </StackItem>
          {requiredIsUnguarded(policy?.userNamespaces.override, state) && (
            <StackItem>
              <Alert
                variant="warning"
                isInline
                title={t('Required is not guaranteed without enforcement')}
                data-testid="enforcement-warning"
              >
                {t(
                  'The policy requires user namespaces, but while the userns-builds backend is down a build pod is admitted privileged. Install the ValidatingAdmissionPolicy and its binding from deploy/enforcement/.',
                )}
              </Alert>
            </StackItem>
          )}
        </Stack>
      </CardBody>
    </Card>
  );
};
