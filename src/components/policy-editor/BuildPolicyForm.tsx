// The form over the BuildPolicy `cluster`: every spec field, validated by core as the user types.
import { useState } from 'react';
import type { FC } from 'react';
import {
  Button,
  Content,
  ExpandableSection,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Radio,
  Split,
  SplitItem,
  TextInput,
} from '@patternfly/react-core';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import type { FieldError, UserNamespaceMode } from '@userns-builds/core';
import { getIn, isObject } from '../../utils/draft';
import type { JsonObject, PathSegment } from '../../utils/draft';
import {
  autoSizeValue,
  DEFAULT_USERNS_SIZE,
  errorsAt,
  mapToRootValue,
  MODE_REQUIREMENTS,
  parseSize,
  USERNS_ANNOTATION,
} from '../../utils/policy-editor';
import { ModeText } from '../PolicyText';
import { FieldErrors, MapEditor, StringList } from './fields';

interface BuildPolicyFormProps {
  draft: JsonObject;
  errors: FieldError[];
  readOnly: boolean;
  namespaces: string[];
  setField(path: readonly PathSegment[], value: unknown): void;
}

const U = ['spec', 'userNamespaces'] as const;

/** Fields with their own control; an error anywhere else is listed at the end of the form. */
const FIELD_PATHS = [
  'spec.userNamespaces.default',
  'spec.userNamespaces.override',
  'spec.userNamespaces.mode',
  'spec.userNamespaces.exemptNamespaces',
  'spec.buildDefaults',
  'spec.buildOverrides',
  'spec.passthroughAnnotations',
];

const ModeRequirementText: FC<{ mode: UserNamespaceMode }> = ({ mode }) => {
  const { t } = usePluginTranslation();
  const req = MODE_REQUIREMENTS.find((r) => r.mode === mode);
  if (!req) return null;
  return (
    <>
      {t('Needs OpenShift {{openshift}} and CRI-O {{crio}} on the nodes.', {
        openshift: req.openshift,
        crio: req.crio,
      })}{' '}
      {mode === 'CRIOAnnotation'
        ? t(
            'This is what OpenShift itself sets for BUILD_PRIVILEGED=false; CRI-O honours it only for build pods.',
          )
        : t(
            'Kubernetes refuses hostUsers: false for pods that share the host network, PID or IPC namespace; such pods stay privileged.',
          )}
    </>
  );
};

/** Presets for the CRI-O userns-mode annotation, and why some values are refused. */
const UsernsPresets: FC<{
  readOnly: boolean;
  onApply(value: string): void;
  idPrefix: string;
}> = ({ readOnly, onApply, idPrefix }) => {
  const { t } = usePluginTranslation();
  const [sizeText, setSizeText] = useState(String(DEFAULT_USERNS_SIZE));
  const size = parseSize(sizeText);
  return (
    <ExpandableSection toggleText={t('User namespace annotation presets')}>
      <Content component="p">
        {t(
          '{{annotation}} asks CRI-O for a user namespace. "auto" picks a free range of node IDs for each build pod; the size is how many IDs the build gets.',
          { annotation: USERNS_ANNOTATION },
        )}
      </Content>
      <Split hasGutter>
        <SplitItem>
          <TextInput
            id={`${idPrefix}-userns-size`}
            aria-label={t('Number of IDs')}
            value={sizeText}
            onChange={(_e, v) => setSizeText(v)}
            validated={size ? 'default' : 'error'}
            readOnlyVariant={readOnly ? 'default' : undefined}
          />
        </SplitItem>
        <SplitItem>
          <Button
            variant="secondary"
            isDisabled={readOnly || !size}
            onClick={() => size && onApply(autoSizeValue(size))}
          >
            {t('Use auto with this size')}
          </Button>
        </SplitItem>
        <SplitItem>
          <Button
            variant="secondary"
            isDisabled={readOnly || !size}
            onClick={() => size && onApply(mapToRootValue(size))}
          >
            {t('Use map-to-root')}
          </Button>
        </SplitItem>
      </Split>
      {!size && (
        <FieldErrors messages={[t('The size must be a whole number from 1 to 4294967295.')]} />
      )}
      <Content component="ul">
        <Content component="li">
          {t(
            'map-to-root=true maps the build user to root inside the user namespace only; on the node it is still an unprivileged ID, so it is allowed.',
          )}
        </Content>
        <Content component="li">
          {t(
            'A uidmapping or gidmapping onto host ID 0 (for example auto:uidmapping=0:0:65536) is refused: container root would be root on the node, which undoes the isolation.',
          )}
        </Content>
        <Content component="li">
          {t(
            "keep-id is refused: it keeps the build user's own ID on the node, and a build runs as root, so root in the build would be root on the node. CRI-O does not accept it for builds either.",
          )}
        </Content>
      </Content>
    </ExpandableSection>
  );
};

/** The annotations one layer sets on build pods, with its errors and the userns-mode presets. */
const AnnotationLayerGroup: FC<
  Pick<BuildPolicyFormProps, 'draft' | 'errors' | 'readOnly' | 'setField'> & {
    layer: 'buildDefaults' | 'buildOverrides';
    /** Names the layer in element ids: "default" or "override". */
    id: string;
    label: string;
    rowLabel: string;
    addLabel: string;
  }
> = ({ layer, id, label, rowLabel, addLabel, draft, errors, readOnly, setField }) => {
  const path = ['spec', layer, 'annotations'];
  const current = getIn(draft, path);
  return (
    <FormGroup fieldId={`userns-${id}-annotations`} role="group" label={label}>
      <MapEditor
        label={rowLabel}
        addLabel={addLabel}
        value={current}
        readOnly={readOnly}
        onChange={(next: JsonObject) => setField(path, next)}
      />
      <FieldErrors messages={errorsAt(errors, `spec.${layer}`)} />
      <UsernsPresets
        readOnly={readOnly}
        onApply={(value) =>
          setField(path, { ...(isObject(current) ? current : {}), [USERNS_ANNOTATION]: value })
        }
        idPrefix={`${id}s`}
      />
    </FormGroup>
  );
};

export const BuildPolicyForm: FC<BuildPolicyFormProps> = ({
  draft,
  errors,
  readOnly,
  namespaces,
  setField,
}) => {
  const { t } = usePluginTranslation();
  const field = (name: string) => getIn(draft, [...U, name]);
  const defaultValue = field('default');
  const override = field('override');
  const modeRaw = field('mode');
  const mode: UserNamespaceMode =
    modeRaw === 'HostUsers' || modeRaw === 'Both' ? modeRaw : 'CRIOAnnotation';
  const errorsFor = (path: string) => errorsAt(errors, path);
  const layerProps = { draft, errors, readOnly, setField };

  return (
    <Form onSubmit={(e) => e.preventDefault()} aria-label={t('Build policy')}>
      <FormGroup
        role="radiogroup"
        isInline
        fieldId="userns-default"
        label={t('Default for builds that do not choose')}
      >
        <Radio
          id="userns-default-enabled"
          name="userns-default"
          label={t('Enabled: builds run in a user namespace')}
          isChecked={defaultValue === 'Enabled'}
          isDisabled={readOnly}
          onChange={() => setField([...U, 'default'], 'Enabled')}
        />
        <Radio
          id="userns-default-disabled"
          name="userns-default"
          label={t('Disabled: builds run privileged')}
          isChecked={defaultValue !== 'Enabled'}
          isDisabled={readOnly}
          onChange={() => setField([...U, 'default'], 'Disabled')}
        />
        <FieldErrors messages={errorsFor('spec.userNamespaces.default')} />
      </FormGroup>
      <FormGroup role="radiogroup" isInline fieldId="userns-override" label={t('Override')}>
        <Radio
          id="userns-override-required"
          name="userns-override"
          label={t('Required: every build runs in a user namespace, whatever it asks for')}
          isChecked={override === 'Required'}
          isDisabled={readOnly}
          onChange={() => setField([...U, 'override'], 'Required')}
        />
        <Radio
          id="userns-override-none"
          name="userns-override"
          label={t('None: a build may choose with BUILD_PRIVILEGED')}
          isChecked={override !== 'Required'}
          isDisabled={readOnly}
          onChange={() => setField([...U, 'override'], 'None')}
        />
        <FieldErrors messages={errorsFor('spec.userNamespaces.override')} />
      </FormGroup>
      <FormGroup fieldId="userns-mode" label={t('How the node is asked for a user namespace')}>
        <FormSelect
          id="userns-mode"
          value={mode}
          isDisabled={readOnly}
          onChange={(_e, value) => setField([...U, 'mode'], value)}
        >
          {MODE_REQUIREMENTS.map((r) => (
            <FormSelectOption key={r.mode} value={r.mode} label={r.mode} />
          ))}
        </FormSelect>
        <FormHelperText>
          <HelperText>
            <HelperTextItem>
              <ModeText value={mode} />
              {'. '}
              <ModeRequirementText mode={mode} />
            </HelperTextItem>
          </HelperText>
        </FormHelperText>
        <FieldErrors messages={errorsFor('spec.userNamespaces.mode')} />
      </FormGroup>
      <FormGroup fieldId="userns-exempt" label={t('Exempt namespaces')} role="group">
        <StringList
          label={t('Exempt namespace')}
          addLabel={t('Add namespace')}
          value={field('exemptNamespaces')}
          readOnly={readOnly}
          suggestions={namespaces}
          onChange={(next) => setField([...U, 'exemptNamespaces'], next)}
        />
        <FieldErrors messages={errorsFor('spec.userNamespaces.exemptNamespaces')} />
      </FormGroup>
      <AnnotationLayerGroup
        layer="buildDefaults"
        id="default"
        label={t('Annotation defaults (set when absent)')}
        rowLabel={t('Default annotation')}
        addLabel={t('Add default annotation')}
        {...layerProps}
      />
      <AnnotationLayerGroup
        layer="buildOverrides"
        id="override"
        label={t('Annotation overrides (always set)')}
        rowLabel={t('Override annotation')}
        addLabel={t('Add override annotation')}
        {...layerProps}
      />
      <FormGroup fieldId="userns-passthrough" role="group" label={t('Passthrough annotations')}>
        <Content component="small">
          {t(
            'Annotation keys copied from a Build or its BuildConfig onto the build pod. Values that would undo the isolation are dropped.',
          )}
        </Content>
        <StringList
          label={t('Passthrough key')}
          addLabel={t('Add passthrough key')}
          value={getIn(draft, ['spec', 'passthroughAnnotations'])}
          readOnly={readOnly}
          onChange={(next) => setField(['spec', 'passthroughAnnotations'], next)}
        />
        <FieldErrors messages={errorsFor('spec.passthroughAnnotations')} />
      </FormGroup>
      <FieldErrors
        messages={errors
          .filter(
            (e) =>
              !FIELD_PATHS.some(
                (p) => e.path === p || e.path.startsWith(`${p}.`) || e.path.startsWith(`${p}[`),
              ),
          )
          .map((e) => `${e.path}: ${e.message}`)}
      />
    </Form>
  );
};
