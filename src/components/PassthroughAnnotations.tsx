// The BuildConfig annotations the cluster policy copies onto build pods: which keys, their values,
// and core's reason for any value the webhook would drop, shown before saving.
import { useState } from 'react';
import type { FC } from 'react';
import {
  Content,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  Stack,
  StackItem,
  TextInput,
  Title,
} from '@patternfly/react-core';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import type { EffectivePolicy } from '@userns-builds/core';
import { useBuildConfigPatch } from '../hooks/useBuildConfigEdit';
import type { BuildConfigLike, Moot } from '../utils/buildconfig-toggle';
import {
  annotationOperations,
  draftDrops,
  draftFrom,
  passthroughKeys,
} from '../utils/passthrough-edit';
import type { AnnotationDraft } from '../utils/passthrough-edit';
import { SaveActions, SaveFeedback } from './SaveFeedback';

interface Props {
  buildConfig: BuildConfigLike;
  policy: EffectivePolicy | undefined;
  moot: Moot | undefined;
  canPatch: boolean;
}

export const PassthroughAnnotations: FC<Props> = ({
  buildConfig: live,
  policy,
  moot,
  canPatch,
}) => {
  const { t } = usePluginTranslation();
  const keys = passthroughKeys(policy);
  const { saveState, save, reset } = useBuildConfigPatch();
  const [edit, setEdit] = useState<{ draft: AnnotationDraft; base: BuildConfigLike }>();
  const draft = edit?.draft ?? draftFrom(live, keys);
  const drops = draftDrops(policy, live, draft);
  const disabled = !canPatch || saveState.state === 'saving';
  const passes = !moot || moot.why === 'Override';

  const saveOn = async (base: BuildConfigLike, next: AnnotationDraft) => {
    if (await save(base, annotationOperations(base, next))) setEdit(undefined);
    else setEdit({ draft: next, base });
  };

  return (
    <Stack hasGutter data-test="userns-passthrough">
      <StackItem>
        <Title headingLevel="h2">{t('Annotations passed to build pods')}</Title>
      </StackItem>
      {keys.length === 0 ? (
        <StackItem>
          <Content component="p">
            {t('The cluster policy passes no BuildConfig annotations to build pods.')}
          </Content>
        </StackItem>
      ) : (
        <>
          <StackItem>
            <Content component="p">
              {passes
                ? t(
                    'The cluster policy copies these BuildConfig annotations onto each build pod (a Build annotated with the same key wins). Leave a value empty for none.',
                  )
                : t(
                    'The cluster policy allows these keys, but it does not apply in this namespace, so nothing is copied to build pods.',
                  )}
            </Content>
          </StackItem>
          <StackItem>
            <Form
              onSubmit={(e) => {
                e.preventDefault();
                if (edit) void saveOn(edit.base, edit.draft);
              }}
            >
              {keys.map((key, i) => {
                const id = `userns-builds-passthrough-${i}`;
                const reason = passes ? drops[key] : undefined;
                return (
                  <FormGroup key={key} label={key} fieldId={id}>
                    <TextInput
                      id={id}
                      value={draft[key] ?? ''}
                      isDisabled={disabled}
                      validated={reason ? 'warning' : 'default'}
                      onChange={(_e, value) => {
                        reset();
                        setEdit({ draft: { ...draft, [key]: value }, base: edit?.base ?? live });
                      }}
                      aria-describedby={reason ? `${id}-helper` : undefined}
                    />
                    {reason && (
                      <FormHelperText>
                        <HelperText id={`${id}-helper`}>
                          <HelperTextItem variant="warning" data-test="userns-passthrough-drop">
                            {t('Build pods will not get this value: {{reason}}', { reason })}
                          </HelperTextItem>
                        </HelperText>
                      </FormHelperText>
                    )}
                  </FormGroup>
                );
              })}
              {canPatch && (
                <SaveActions
                  label={t('Save annotations')}
                  hasEdit={!!edit}
                  disabled={disabled}
                  saving={saveState.state === 'saving'}
                  onCancel={() => {
                    reset();
                    setEdit(undefined);
                  }}
                />
              )}
            </Form>
          </StackItem>
          <StackItem>
            <SaveFeedback
              state={saveState}
              current={
                <code>
                  {keys.map((k) => `${k}=${live.metadata?.annotations?.[k] ?? ''}`).join(', ')}
                </code>
              }
              onReapply={() => edit && void saveOn(live, edit.draft)}
            />
          </StackItem>
        </>
      )}
    </Stack>
  );
};
