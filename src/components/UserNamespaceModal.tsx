// The BuildConfig kebab action's modal: the same switch as the User namespace tab, following the
// BuildConfig live so a save is tested against what the user sees.
import type { FC } from 'react';
import {
  Alert,
  Button,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  Spinner,
} from '@patternfly/react-core';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import { useBuildConfig } from '../hooks/useBuildConfigEdit';
import { UserNamespaceControl } from './UserNamespaceControl';

export interface UserNamespaceModalProps {
  namespace: string;
  name: string;
  closeOverlay: () => void;
}

export const UserNamespaceModal: FC<UserNamespaceModalProps> = ({
  namespace,
  name,
  closeOverlay,
}) => {
  const { t } = usePluginTranslation();
  const [bc, loaded, error] = useBuildConfig(namespace, name);
  return (
    <Modal
      isOpen
      variant="medium"
      onClose={closeOverlay}
      aria-labelledby="userns-builds-modal-title"
      data-test="userns-modal"
    >
      <ModalHeader
        title={t('User namespace for {{name}}', { name })}
        labelId="userns-builds-modal-title"
      />
      <ModalBody>
        {error ? (
          <Alert variant="danger" isInline title={t('The BuildConfig could not be read')}>
            {error instanceof Error ? error.message : String(error)}
          </Alert>
        ) : !loaded || !bc ? (
          <Spinner size="lg" aria-label={t('Loading the BuildConfig')} />
        ) : (
          <UserNamespaceControl buildConfig={bc} idPrefix="userns-builds-modal" />
        )}
      </ModalBody>
      <ModalFooter>
        <Button variant="link" onClick={closeOverlay}>
          {t('Close')}
        </Button>
      </ModalFooter>
    </Modal>
  );
};
