// The states every dashboard panel shares: loading, the API's failures explained (with what to
// check and a retry), and "no builds to show", which is also what a user with no access sees.
import type { FC, ReactNode } from 'react';
import {
  Alert,
  AlertActionLink,
  Bullseye,
  EmptyState,
  EmptyStateBody,
  Spinner,
} from '@patternfly/react-core';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import type { ComplianceError } from '../../api/compliance';

export const PanelLoading: FC<{ label: string }> = ({ label }) => (
  <Bullseye className="userns-builds__panel-loading">
    <Spinner size="lg" aria-label={label} />
  </Bullseye>
);

/** Title and advice per failure; each a literal t() call so the extraction sees it. */
const useExplanation = (error: ComplianceError): { title: string; advice: ReactNode } => {
  const { t } = usePluginTranslation();
  switch (error.kind) {
    case 'Unavailable':
      return {
        title: t('The compliance service is not reachable'),
        advice: t(
          'Check that the userns-builds backend pods are running and ready, and that the userns-builds ConsolePlugin lists the backend service under spec.proxy with the alias "backend".',
        ),
      };
    case 'NotFound':
      return {
        title: t('This backend has no compliance API'),
        advice: t(
          'The userns-builds backend answering the console is older than this plugin, or the ConsolePlugin proxy points elsewhere. Update the backend to the plugin’s version.',
        ),
      };
    case 'Unauthorized':
      return {
        title: t('Your session was not accepted'),
        advice: t(
          'Log in to the console again. If this persists, the backend cannot review tokens.',
        ),
      };
    case 'Forbidden':
      return {
        title: t('You may not use the compliance API'),
        advice: t('Ask a cluster administrator for access to list builds.'),
      };
    case 'BadRequest':
      return {
        title: error.parameter
          ? t('The filter "{{parameter}}" was refused', { parameter: error.parameter })
          : t('A filter was refused'),
        advice: t('Change or clear the filter.'),
      };
    case 'Expired':
      return {
        title: t('The page of results expired'),
        advice: t('Go back to the first page; the list changed since it was read.'),
      };
    case 'Invalid':
      return {
        title: t('The compliance service answered with something unexpected'),
        advice: t('The backend and the plugin may be of different versions.'),
      };
    default:
      return {
        title: t('The compliance service failed'),
        advice: t('Try again; if it keeps failing, check the userns-builds backend logs.'),
      };
  }
};

export const PanelError: FC<{ error: ComplianceError; onRetry?: () => void }> = ({
  error,
  onRetry,
}) => {
  const { t } = usePluginTranslation();
  const { title, advice } = useExplanation(error);
  return (
    <Alert
      variant={error.kind === 'BadRequest' || error.kind === 'Expired' ? 'warning' : 'danger'}
      isInline
      title={title}
      data-test="compliance-error"
      actionLinks={onRetry && <AlertActionLink onClick={onRetry}>{t('Try again')}</AlertActionLink>}
    >
      <p>{advice}</p>
      <p className="userns-builds__error-detail">
        {error.status
          ? t('{{status}}: {{message}}', { status: error.status, message: error.message })
          : error.message}
      </p>
    </Alert>
  );
};

/**
 * No builds in view. The API shows each user only what they may list, so a user with no access
 * sees this too: it says so rather than suggesting something is broken.
 */
export const NoBuilds: FC<{ filtered?: boolean }> = ({ filtered }) => {
  const { t } = usePluginTranslation();
  return (
    <EmptyState
      headingLevel="h3"
      titleText={filtered ? t('No builds match these filters') : t('No builds in this window')}
      variant="sm"
      data-test="compliance-empty"
    >
      <EmptyStateBody>
        {filtered
          ? t('Clear a filter or widen the time window.')
          : t(
              'You see builds only in projects where you may list builds. Widen the time window, or ask for access to the projects you audit.',
            )}
      </EmptyStateBody>
    </EmptyState>
  );
};
