// The per-BuildConfig switch (follow the cluster / user namespace / privileged) with what it does
// to the next build pod. Used by the BuildConfig's User namespace tab and its kebab action's modal.
import { useState } from 'react';
import type { FC } from 'react';
import {
  Alert,
  Content,
  Form,
  FormGroup,
  Radio,
  Spinner,
  Stack,
  StackItem,
  Title,
} from '@patternfly/react-core';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import type { EffectivePolicy } from '@userns-builds/core';
import { useBuildPolicy } from '../hooks/useBuildPolicy';
import { useBuildConfigPatch, useCanPatchBuildConfig } from '../hooks/useBuildConfigEdit';
import {
  TOGGLE_CHOICES,
  currentSetting,
  previewPolicy,
  strategyTarget,
  toggleEffect,
  toggleOperations,
  withChoice,
} from '../utils/buildconfig-toggle';
import type { BuildConfigLike, Moot, ToggleChoice } from '../utils/buildconfig-toggle';
import { podPreview } from '../utils/pod-preview';
import { DecisionSourceText } from './PolicyText';
import { ReasonText } from './ReasonText';
import { SaveActions, SaveFeedback } from './SaveFeedback';
import { CHOICE_TO_BUILD, ChoiceDescription, ChoiceText, OutcomeLabel } from './ToggleText';
import './buildconfig-toggle.css';

const MootAlert: FC<{ moot: Moot; namespace: string }> = ({ moot, namespace }) => {
  const { t } = usePluginTranslation();
  const alone = t(
    'OpenShift alone decides: following the cluster means privileged, and only "User namespace" (BUILD_PRIVILEGED=false) changes that.',
  );
  switch (moot.why) {
    case 'Override':
      return (
        <Alert
          variant="info"
          isInline
          title={t('The cluster policy requires user namespaces')}
          data-test="userns-moot"
        >
          {t(
            'Whatever is chosen here, every build of this BuildConfig runs in a user namespace (spec.userNamespaces.override: Required).',
          )}
        </Alert>
      );
    case 'Exempt':
      return (
        <Alert
          variant="info"
          isInline
          title={
            moot.system
              ? t('Namespace {{namespace}} belongs to the platform', { namespace })
              : t('Namespace {{namespace}} is exempt from the build policy', { namespace })
          }
          data-test="userns-moot"
        >
          {moot.system
            ? t('The build policy never touches openshift-* and kube-* namespaces.')
            : t('It is listed in spec.userNamespaces.exemptNamespaces.')}{' '}
          {alone}
        </Alert>
      );
    default:
      return (
        <Alert
          variant="info"
          isInline
          title={t('There is no build policy')}
          data-test="userns-moot"
        >
          {alone}
        </Alert>
      );
  }
};

/** The next build pod for the BuildConfig as it will be saved: decision, reason, the pod diff. */
export const NextBuildPreview: FC<{
  policy: EffectivePolicy | undefined;
  buildConfig: BuildConfigLike;
  choice: ToggleChoice;
}> = ({ policy, buildConfig, choice }) => {
  const { t } = usePluginTranslation();
  const preview = podPreview(policy, buildConfig);
  if (!preview) return null;
  const { decision } = preview.plan;
  const runsUserns = decision.userNamespaces && !preview.plan.blocked;
  return (
    <Stack hasGutter data-test="userns-next-build">
      <StackItem>
        <Title headingLevel="h3">{t('Next build pod')}</Title>
      </StackItem>
      <StackItem>
        <OutcomeLabel userNamespaces={runsUserns} />{' '}
        <DecisionSourceText source={decision.source} choice={CHOICE_TO_BUILD[choice]} />
      </StackItem>
      <StackItem>
        <Content component="ul" aria-label={t('Why')} data-test="userns-reasons">
          {decision.messages.map((message, i) => (
            <Content component="li" key={i}>
              <ReasonText message={message} />
            </Content>
          ))}
        </Content>
      </StackItem>
      {preview.plan.blocked && (
        <StackItem>
          <Alert
            variant="warning"
            isInline
            isPlain
            title={t(
              'The pod shares a host namespace, which Kubernetes does not allow with hostUsers: false; the webhook leaves it privileged.',
            )}
          />
        </StackItem>
      )}
      <StackItem>
        <Content component="p">
          {preview.openShiftUnprivileged
            ? t(
                'OpenShift creates the pod unprivileged, with the CRI-O user namespace annotations.',
              )
            : t('OpenShift creates the pod privileged, as root on the node.')}{' '}
          {preview.diff.length > 0
            ? t('The admission webhook then changes it:')
            : t('The admission webhook leaves it as it is.')}
        </Content>
      </StackItem>
      {preview.diff.map((section) => (
        <StackItem key={section.title}>
          <Content component="h4">{section.title}</Content>
          <pre className="userns-builds__diff" data-test="userns-diff">
            {section.lines.map((line) => `${line.sign} ${line.text}`).join('\n')}
          </pre>
        </StackItem>
      ))}
    </Stack>
  );
};

interface Draft {
  choice: ToggleChoice;
  /** The BuildConfig the choice was made on: the patch tests its env. */
  base: BuildConfigLike;
}

export const UserNamespaceControl: FC<{ buildConfig: BuildConfigLike; idPrefix?: string }> = ({
  buildConfig: live,
  idPrefix = 'userns-builds-toggle',
}) => {
  const { t } = usePluginTranslation();
  const policy = previewPolicy(useBuildPolicy());
  const { canPatch, checking } = useCanPatchBuildConfig(live);
  const { saveState, save, reset } = useBuildConfigPatch();
  const [draft, setDraft] = useState<Draft>();
  const name = live.metadata?.name ?? '';
  const namespace = live.metadata?.namespace ?? '';
  const current = currentSetting(live);
  const target = strategyTarget(live);
  const shown = draft?.choice ?? current.choice;
  const disabled = checking || !canPatch || !target.ok || saveState.state === 'saving';

  const choose = (choice: ToggleChoice) => {
    reset();
    setDraft(choice === current.choice ? undefined : { choice, base: draft?.base ?? live });
  };
  const saveOn = async (base: BuildConfigLike, choice: ToggleChoice) => {
    if (await save(base, toggleOperations(base, choice))) setDraft(undefined);
    else setDraft({ choice, base });
  };
  const ready = policy.state === 'ready' ? policy : undefined;
  const effect = ready ? toggleEffect(ready.policy, live) : undefined;

  return (
    <Stack hasGutter>
      {!target.ok && (
        <Alert
          variant="info"
          isInline
          title={t('This BuildConfig has no user namespace switch')}
          data-test="userns-unsupported"
        >
          {t(
            'OpenShift reads BUILD_PRIVILEGED for docker, source and custom builds only; this one uses the {{type}} strategy.',
            { type: target.type ?? '-' },
          )}
        </Alert>
      )}
      {target.ok && !checking && !canPatch && (
        <Alert variant="info" isInline title={t('Read only')} data-test="userns-read-only">
          {t(
            'You may not patch BuildConfig {{name}} in namespace {{namespace}}, so its user namespace setting cannot be changed here.',
            { name, namespace },
          )}
        </Alert>
      )}
      {effect?.moot && <MootAlert moot={effect.moot} namespace={namespace} />}
      {(current.unparseable.length > 0 || current.entries > 1) && (
        <Alert
          variant="warning"
          isInline
          isPlain
          title={t(
            'BUILD_PRIVILEGED is set {{count}} times, or to values OpenShift ignores; saving leaves exactly one.',
            { count: current.entries },
          )}
        />
      )}
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          if (draft) void saveOn(draft.base, draft.choice);
        }}
      >
        <FormGroup
          role="radiogroup"
          fieldId={`${idPrefix}-choice`}
          label={t('Builds of {{name}} run', { name })}
          isStack
        >
          {TOGGLE_CHOICES.map((choice) => (
            <Radio
              key={choice}
              id={`${idPrefix}-${choice}`}
              name={`${idPrefix}-choice`}
              label={<ChoiceText choice={choice} />}
              description={<ChoiceDescription choice={choice} />}
              isChecked={shown === choice}
              isDisabled={disabled}
              onChange={() => choose(choice)}
              data-test={`userns-choice-${choice}`}
            />
          ))}
        </FormGroup>
        {canPatch && target.ok && (
          <SaveActions
            label={t('Save')}
            hasEdit={!!draft}
            disabled={disabled}
            saving={saveState.state === 'saving'}
            onCancel={() => {
              reset();
              setDraft(undefined);
            }}
          />
        )}
      </Form>
      <SaveFeedback
        state={saveState}
        current={<ChoiceText choice={current.choice} />}
        onReapply={() => draft && void saveOn(live, draft.choice)}
      />
      {policy.state === 'loading' && (
        <Spinner size="md" aria-label={t('Loading the build policy')} />
      )}
      {policy.state === 'error' && (
        <Alert
          variant="warning"
          isInline
          title={t('The build policy could not be read, so there is no preview')}
        >
          {policy.message}
        </Alert>
      )}
      {ready && target.ok && (
        <NextBuildPreview
          policy={ready.policy}
          buildConfig={withChoice(live, shown)}
          choice={shown}
        />
      )}
    </Stack>
  );
};
