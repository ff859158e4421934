import type { FC } from 'react';
import { FormGroup, TextArea } from '@patternfly/react-core';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import { FieldErrors } from './fields';

/** The resource as YAML; edits apply to the form as soon as they parse. */
export const YamlView: FC<{
  id: string;
  label: string;
  text: string;
  error: string | undefined;
  readOnly: boolean;
  onChange(text: string): void;
}> = ({ id, label, text, error, readOnly, onChange }) => {
  const { t } = usePluginTranslation();
  return (
    <FormGroup fieldId={id} label={label}>
      <TextArea
        id={id}
        className="userns-builds__yaml"
        value={text}
        rows={Math.min(40, Math.max(12, text.split('\n').length + 1))}
        readOnlyVariant={readOnly ? 'default' : undefined}
        validated={error ? 'error' : 'default'}
        onChange={(_e, v) => onChange(v)}
        resizeOrientation="vertical"
      />
      {error && <FieldErrors messages={[t('The YAML is not applied: {{error}}', { error })]} />}
    </FormGroup>
  );
};
