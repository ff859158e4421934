// Export of the table's current filter as CSV or JSON, streamed from the API with progress
// (against the table's total) and cancel; the finished file is handed to the browser to save.
import type { FC } from 'react';
import { Alert, Button, Flex, FlexItem, Progress, ProgressSize } from '@patternfly/react-core';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import type { ComplianceFilter, ExportResult, SortKey } from '../../api/compliance';
import { useComplianceExport } from '../../hooks/useCompliance';

/** Saves a Blob under a name through a temporary link, as browsers allow for downloads. */
export const saveResult = ({ blob, filename }: ExportResult): void => {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked after the click has been handled, or some browsers cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
};

export const ExportControls: FC<{
  filter: ComplianceFilter;
  sort: SortKey;
  total: number | undefined;
}> = ({ filter, sort, total }) => {
  const { t } = usePluginTranslation();
  const { state, start, cancel } = useComplianceExport(saveResult);
  if (state.state === 'running') {
    const { rows, bytes } = state.progress;
    const value = total ? Math.min(100, Math.round((rows / total) * 100)) : undefined;
    return (
      <Flex alignItems={{ default: 'alignItemsCenter' }} data-test="compliance-export-progress">
        <FlexItem className="userns-builds__export-progress">
          <Progress
            size={ProgressSize.sm}
            value={value ?? 0}
            title={t('Exporting {{format}}', { format: state.format.toUpperCase() })}
            label={t('{{rows}} rows, {{kb}} KB', {
              rows: rows.toLocaleString('en-US'),
              kb: Math.round(bytes / 1024).toLocaleString('en-US'),
            })}
            aria-label={t('Export progress')}
          />
        </FlexItem>
        <FlexItem>
          <Button variant="secondary" onClick={cancel}>
            {t('Cancel export')}
          </Button>
        </FlexItem>
      </Flex>
    );
  }
  return (
    <Flex alignItems={{ default: 'alignItemsCenter' }}>
      <FlexItem>
        <Button
          variant="secondary"
          onClick={() => start(filter, 'csv', sort)}
          isDisabled={total === 0}
        >
          {t('Export CSV')}
        </Button>
      </FlexItem>
      <FlexItem>
        <Button
          variant="secondary"
          onClick={() => start(filter, 'json', sort)}
          isDisabled={total === 0}
        >
          {t('Export JSON')}
        </Button>
      </FlexItem>
      {state.state === 'done' && (
        <FlexItem data-test="compliance-export-done">
          {t('Exported {{rows}} rows', { rows: state.rows.toLocaleString('en-US') })}
        </FlexItem>
      )}
      {state.state === 'cancelled' && <FlexItem>{t('Export cancelled')}</FlexItem>}
      {state.state === 'error' && (
        <FlexItem>
          <Alert
            variant="danger"
            isInline
            isPlain
            title={t('The export failed: {{message}}', { message: state.error.message })}
          />
        </FlexItem>
      )}
    </Flex>
  );
};
