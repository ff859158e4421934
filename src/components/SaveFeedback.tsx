// Saving an edit of a BuildConfig, shared by the toggle and the annotations editor: its buttons and
// what became of it. A conflict never loses
// the user's edit: it stays in the form, and one click re-bases it on the server's version.
import type { FC, ReactNode } from 'react';
import { ActionGroup, Alert, AlertActionLink, Button } from '@patternfly/react-core';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import type { SaveState } from '../hooks/useBuildConfigEdit';

interface SaveFeedbackProps {
  state: SaveState;
  /** What the server has now, shown beside a conflict. */
  current: ReactNode;
  /** Keep the user's edit, computed again against the server's current version. */
  onReapply: () => void;
}

export const SaveFeedback: FC<SaveFeedbackProps> = ({ state, current, onReapply }) => {
  const { t } = usePluginTranslation();
  if (state.state === 'saved')
    return (
      <Alert
        variant="success"
        isInline
        isPlain
        title={t('Saved. The next build uses it.')}
        data-test="userns-save-result"
      />
    );
  if (state.state !== 'failed') return null;
  const { failure } = state;
  if (failure.kind === 'conflict')
    return (
      <Alert
        variant="warning"
        isInline
        title={t('Someone else changed this BuildConfig')}
        data-test="userns-conflict"
        actionLinks={
          <AlertActionLink onClick={onReapply}>
            {t('Apply my change to the current version')}
          </AlertActionLink>
        }
      >
        <p>{t('Your change was not saved, and nothing of theirs was overwritten.')}</p>
        <p>
          {t('It now says:')} {current}
        </p>
      </Alert>
    );
  return (
    <Alert
      variant="danger"
      isInline
      title={
        failure.kind === 'forbidden'
          ? t('You may not change this BuildConfig')
          : t('The BuildConfig could not be saved')
      }
      data-test="userns-save-error"
    >
      {failure.message}
    </Alert>
  );
};

/** Save (submits the form) and Cancel (drops the edit), enabled while there is an edit. */
export const SaveActions: FC<{
  label: string;
  hasEdit: boolean;
  disabled: boolean;
  saving: boolean;
  onCancel: () => void;
}> = ({ label, hasEdit, disabled, saving, onCancel }) => {
  const { t } = usePluginTranslation();
  return (
    <ActionGroup>
      <Button type="submit" variant="primary" isDisabled={!hasEdit || disabled} isLoading={saving}>
        {label}
      </Button>
      <Button variant="link" isDisabled={!hasEdit || disabled} onClick={onCancel}>
        {t('Cancel')}
      </Button>
    </ActionGroup>
  );
};
