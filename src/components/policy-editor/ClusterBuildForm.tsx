// The form over OpenShift's own cluster build configuration (config.openshift.io/v1 Build
// `cluster`): every field of buildDefaults and buildOverrides.
import type { FC } from 'react';
import {
  Alert,
  Checkbox,
  Form,
  FormFieldGroup,
  FormFieldGroupHeader,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Grid,
  GridItem,
  SplitItem,
  Stack,
  TextInput,
} from '@patternfly/react-core';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import { BUILD_PRIVILEGED_ENV } from '@userns-builds/core';
import { getIn, isObject } from '../../utils/draft';
import type { JsonObject, PathSegment } from '../../utils/draft';
import {
  AddRowButton,
  EditorRow,
  FieldErrors,
  MapEditor,
  NameValueList,
  removeAt,
  RowInput,
  updateAt,
} from './fields';

interface ClusterBuildFormProps {
  draft: JsonObject;
  readOnly: boolean;
  setField(path: readonly PathSegment[], value: unknown): void;
}

const D = ['spec', 'buildDefaults'] as const;
const O = ['spec', 'buildOverrides'] as const;

/** A text box bound to one string field; clearing it removes the field. */
const TextField: FC<{
  id: string;
  label: string;
  path: readonly PathSegment[];
  draft: JsonObject;
  readOnly: boolean;
  setField: ClusterBuildFormProps['setField'];
  placeholder?: string;
}> = ({ id, label, path, draft, readOnly, setField, placeholder }) => {
  const value = getIn(draft, path);
  return (
    <FormGroup fieldId={id} label={label}>
      <TextInput
        id={id}
        value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
        placeholder={placeholder}
        readOnlyVariant={readOnly ? 'default' : undefined}
        onChange={(_e, v) => setField(path, v === '' ? undefined : v)}
      />
    </FormGroup>
  );
};

interface GridField {
  id: string;
  label: string;
  path: readonly PathSegment[];
}

/** Text fields side by side, each `span` of the grid's 12 columns on a medium screen or wider. */
const TextFieldGrid: FC<{
  span: 3 | 4;
  fields: GridField[];
  draft: JsonObject;
  readOnly: boolean;
  setField: ClusterBuildFormProps['setField'];
}> = ({ span, fields, ...rest }) => (
  <Grid hasGutter md={span}>
    {fields.map(({ id, label, path }) => (
      <GridItem key={id}>
        <TextField id={id} label={label} path={path} {...rest} />
      </GridItem>
    ))}
  </Grid>
);

const ProxyFields: FC<{
  idPrefix: string;
  path: readonly PathSegment[];
  draft: JsonObject;
  readOnly: boolean;
  setField: ClusterBuildFormProps['setField'];
}> = ({ idPrefix, path, ...rest }) => {
  const { t } = usePluginTranslation();
  return (
    <TextFieldGrid
      span={4}
      fields={[
        { id: `${idPrefix}-http`, label: t('HTTP proxy'), path: [...path, 'httpProxy'] },
        { id: `${idPrefix}-https`, label: t('HTTPS proxy'), path: [...path, 'httpsProxy'] },
        { id: `${idPrefix}-no`, label: t('No proxy'), path: [...path, 'noProxy'] },
      ]}
      {...rest}
    />
  );
};

type Toleration = {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
};

const EFFECTS = ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'];

const Tolerations: FC<{
  value: unknown;
  readOnly: boolean;
  onChange(next: Toleration[] | undefined): void;
}> = ({ value, readOnly, onChange }) => {
  const { t } = usePluginTranslation();
  const rows: Toleration[] = Array.isArray(value)
    ? value.filter(isObject).map((v) => v as Toleration)
    : [];
  // An emptied field is no field: tolerations list only what they set.
  const update = (index: number, patch: Toleration) =>
    onChange(
      updateAt(rows, index, (row) => {
        const merged: Record<string, unknown> = { ...row, ...patch };
        return Object.fromEntries(
          Object.entries(merged).filter(([, v]) => v !== '' && v !== undefined),
        ) as Toleration;
      }),
    );
  return (
    <Stack hasGutter>
      {rows.map((row, index) => {
        const n = index + 1;
        return (
          <EditorRow
            key={index}
            removeLabel={t('Remove toleration {{n}}', { n })}
            readOnly={readOnly}
            onRemove={() => onChange(removeAt(rows, index))}
          >
            <RowInput
              label={t('Toleration {{n}} key', { n })}
              placeholder={t('key')}
              value={row.key ?? ''}
              readOnly={readOnly}
              onChange={(key) => update(index, { key })}
            />
            <SplitItem>
              <FormSelect
                aria-label={t('Toleration {{n}} operator', { n })}
                value={row.operator ?? 'Equal'}
                isDisabled={readOnly}
                onChange={(_e, operator) => update(index, { operator })}
              >
                <FormSelectOption value="Equal" label="Equal" />
                <FormSelectOption value="Exists" label="Exists" />
              </FormSelect>
            </SplitItem>
            <RowInput
              label={t('Toleration {{n}} value', { n })}
              placeholder={t('value')}
              value={row.value ?? ''}
              readOnly={readOnly}
              onChange={(value) => update(index, { value })}
            />
            <SplitItem>
              <FormSelect
                aria-label={t('Toleration {{n}} effect', { n })}
                value={row.effect ?? ''}
                isDisabled={readOnly}
                onChange={(_e, effect) => update(index, { effect })}
              >
                {EFFECTS.map((e) => (
                  <FormSelectOption key={e} value={e} label={e || t('Any effect')} />
                ))}
              </FormSelect>
            </SplitItem>
            <RowInput
              label={t('Toleration {{n}} seconds', { n })}
              placeholder={t('seconds')}
              type="number"
              isFilled={false}
              value={row.tolerationSeconds ?? ''}
              readOnly={readOnly}
              onChange={(v) =>
                update(index, { tolerationSeconds: v === '' ? undefined : Number(v) })
              }
            />
          </EditorRow>
        );
      })}
      {!readOnly && (
        <AddRowButton
          label={t('Add toleration')}
          onClick={() => onChange([...rows, { operator: 'Exists' }])}
        />
      )}
    </Stack>
  );
};

export const ClusterBuildForm: FC<ClusterBuildFormProps> = ({ draft, readOnly, setField }) => {
  const { t } = usePluginTranslation();
  const common = { draft, readOnly, setField };
  const env = getIn(draft, [...D, 'env']);
  const setsPrivileged =
    Array.isArray(env) && env.some((e) => isObject(e) && e.name === BUILD_PRIVILEGED_ENV);
  const forcePull = getIn(draft, [...O, 'forcePull']);
  return (
    <Form
      onSubmit={(e) => e.preventDefault()}
      aria-label={t('OpenShift cluster build configuration')}
    >
      <Alert variant="info" isInline title={t('OpenShift applies env after the security context')}>
        {t(
          "Environment variables set here reach every build, but OpenShift has already decided privileged or not by then. BUILD_PRIVILEGED here cannot switch builds to user namespaces: use the build policy, or BUILD_PRIVILEGED in a BuildConfig's strategy.",
        )}
      </Alert>
      <FormFieldGroup
        header={
          <FormFieldGroupHeader
            titleText={{ text: t('Build defaults'), id: 'cluster-build-defaults' }}
          />
        }
      >
        <FormGroup fieldId="default-proxy" role="group" label={t('Default proxy')}>
          <ProxyFields idPrefix="default-proxy" path={[...D, 'defaultProxy']} {...common} />
        </FormGroup>
        <FormGroup fieldId="git-proxy" role="group" label={t('Git proxy')}>
          <ProxyFields idPrefix="git-proxy" path={[...D, 'gitProxy']} {...common} />
        </FormGroup>
        <FormGroup fieldId="default-env" role="group" label={t('Environment variables')}>
          <NameValueList
            label={t('Environment variable')}
            addLabel={t('Add environment variable')}
            value={env}
            readOnly={readOnly}
            onChange={(next) => setField([...D, 'env'], next)}
          />
          {setsPrivileged && (
            <FieldErrors
              messages={[
                t(
                  "BUILD_PRIVILEGED here has no effect on whether builds run privileged: OpenShift reads it only from a build's own strategy env.",
                ),
              ]}
            />
          )}
        </FormGroup>
        <FormGroup fieldId="default-image-labels" role="group" label={t('Image labels (defaults)')}>
          <NameValueList
            label={t('Default image label')}
            addLabel={t('Add default image label')}
            value={getIn(draft, [...D, 'imageLabels'])}
            readOnly={readOnly}
            onChange={(next) => setField([...D, 'imageLabels'], next)}
          />
        </FormGroup>
        <FormGroup fieldId="default-resources" role="group" label={t('Resources of build pods')}>
          <TextFieldGrid
            span={3}
            fields={[
              {
                id: 'limits-cpu',
                label: t('CPU limit'),
                path: [...D, 'resources', 'limits', 'cpu'],
              },
              {
                id: 'limits-memory',
                label: t('Memory limit'),
                path: [...D, 'resources', 'limits', 'memory'],
              },
              {
                id: 'requests-cpu',
                label: t('CPU request'),
                path: [...D, 'resources', 'requests', 'cpu'],
              },
              {
                id: 'requests-memory',
                label: t('Memory request'),
                path: [...D, 'resources', 'requests', 'memory'],
              },
            ]}
            {...common}
          />
        </FormGroup>
      </FormFieldGroup>
      <FormFieldGroup
        header={
          <FormFieldGroupHeader
            titleText={{ text: t('Build overrides'), id: 'cluster-build-overrides' }}
          />
        }
      >
        <FormGroup
          fieldId="override-image-labels"
          role="group"
          label={t('Image labels (overrides)')}
        >
          <NameValueList
            label={t('Override image label')}
            addLabel={t('Add override image label')}
            value={getIn(draft, [...O, 'imageLabels'])}
            readOnly={readOnly}
            onChange={(next) => setField([...O, 'imageLabels'], next)}
          />
        </FormGroup>
        <FormGroup fieldId="override-node-selector" role="group" label={t('Node selector')}>
          <MapEditor
            label={t('Node selector label')}
            addLabel={t('Add node selector label')}
            value={getIn(draft, [...O, 'nodeSelector'])}
            readOnly={readOnly}
            onChange={(next) =>
              setField([...O, 'nodeSelector'], Object.keys(next).length ? next : undefined)
            }
          />
        </FormGroup>
        <FormGroup fieldId="override-tolerations" role="group" label={t('Tolerations')}>
          <Tolerations
            value={getIn(draft, [...O, 'tolerations'])}
            readOnly={readOnly}
            onChange={(next) => setField([...O, 'tolerations'], next)}
          />
        </FormGroup>
        <FormGroup fieldId="override-force-pull" label={t('Image pulls')}>
          <Checkbox
            id="override-force-pull"
            label={t('Always pull builder images (forcePull)')}
            isChecked={forcePull === true}
            isDisabled={readOnly}
            onChange={(_e, checked) => setField([...O, 'forcePull'], checked ? true : undefined)}
          />
        </FormGroup>
      </FormFieldGroup>
    </Form>
  );
};
