// Custom fields for the console's Cluster configuration page (console.cluster-configuration/item,
// group "Builds"): the policy's key choices, saved as soon as they change, as that page does.
import { useState } from 'react';
import type { FC } from 'react';
import {
  Alert,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Spinner,
} from '@patternfly/react-core';
import type { ClusterConfigurationFieldProps } from '@openshift-console/dynamic-plugin-sdk';
import { usePluginTranslation } from '../hooks/usePluginTranslation';
import { effectivePolicy } from '@userns-builds/core';
import { useBuildPolicy } from '../hooks/useBuildPolicy';
import { useResourceWriter } from '../hooks/useResourceWriter';
import { BuildPolicyModel, policyEditorPath } from '../models';
import { setIn } from '../utils/draft';
import { errorStatus } from '../utils/load-state';
import { LinkButton } from './LinkButton';
import { DefaultText, OverrideText } from './PolicyText';

type Field = 'default' | 'override';

const OPTIONS: Record<Field, readonly string[]> = {
  default: ['Enabled', 'Disabled'],
  override: ['None', 'Required'],
};

const OptionText: FC<{ field: Field; value: string }> = ({ field, value }) =>
  field === 'default' ? (
    <DefaultText value={value === 'Enabled' ? 'Enabled' : 'Disabled'} />
  ) : (
    <OverrideText value={value === 'Required' ? 'Required' : 'None'} />
  );

const PolicyField: FC<ClusterConfigurationFieldProps & { field: Field; label: string }> = ({
  readonly,
  field,
  label,
}) => {
  const { t } = usePluginTranslation();
  const load = useBuildPolicy();
  const writer = useResourceWriter();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  if (load.state === 'loading')
    return <Spinner size="md" aria-label={t('Loading the build policy')} />;
  if (load.state !== 'loaded') {
    return (
      <HelperText>
        <HelperTextItem>
          {load.state === 'absent'
            ? t('No build policy yet: create it in the policy editor.')
            : load.message}
        </HelperTextItem>
      </HelperText>
    );
  }
  const current = effectivePolicy(load.policy.spec).userNamespaces[field];
  const onChange = (value: string) => {
    setSaving(true);
    setError(undefined);
    // The watched object carries the resourceVersion read, so a concurrent edit is a 409.
    const next = setIn(load.policy, ['spec', 'userNamespaces', field], value);
    writer
      .update(BuildPolicyModel, next as never)
      .catch((e: unknown) =>
        setError(
          errorStatus(e) === 409
            ? t('The policy changed meanwhile; nothing was saved. Try again.')
            : e instanceof Error
              ? e.message
              : String(e),
        ),
      )
      .finally(() => setSaving(false));
  };
  return (
    <>
      <FormSelect
        aria-label={label}
        value={current}
        isDisabled={readonly || saving}
        onChange={(_e, value) => onChange(value)}
      >
        {OPTIONS[field].map((value) => (
          <FormSelectOption key={value} value={value} label={value} />
        ))}
      </FormSelect>
      <HelperText>
        <HelperTextItem>
          <OptionText field={field} value={current} />
        </HelperTextItem>
      </HelperText>
      {error && <Alert variant="danger" isInline isPlain title={error} />}
    </>
  );
};

export const DefaultField: FC<ClusterConfigurationFieldProps> = ({ readonly }) => {
  const { t } = usePluginTranslation();
  return (
    <PolicyField
      readonly={readonly}
      field="default"
      label={t('Default for builds that do not choose')}
    />
  );
};

export const OverrideField: FC<ClusterConfigurationFieldProps> = ({ readonly }) => {
  const { t } = usePluginTranslation();
  return <PolicyField readonly={readonly} field="override" label={t('Override')} />;
};

export const EditorLinkField: FC<ClusterConfigurationFieldProps> = ({ readonly }) => {
  const { t } = usePluginTranslation();
  return (
    <LinkButton to={policyEditorPath}>
      {readonly ? t('View in the policy editor') : t('Open the policy editor')}
    </LinkButton>
  );
};
