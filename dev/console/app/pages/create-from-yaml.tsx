// /k8s/ns/:ns/:plural/~new and /k8s/cluster/:plural/~new: Create from YAML, starting from the
// plugin's console.yaml-template for the kind when it has one, else from a bare object.
import { useMemo, useState, type FC } from 'react';
import { useNavigate } from 'react-router';
import { parse as parseYAML, stringify as toYAML } from 'yaml';
import { Alert, Button, PageSection, TextArea, Title } from '@patternfly/react-core';
import { useResolvedExtensions } from '@openshift/dynamic-plugin-sdk';
import type { K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { getAPIVersionForModel } from '../../sdk';
import { resourcePath } from '../../sdk/components';
import { k8sCreate } from '../../sdk/k8s';
import { isYamlTemplate } from '../extension-types';
import { matchesModel } from '../extensions';
import { NotFound, useModelFromParams } from './shared';

export const CreateFromYAMLPage: FC = () => {
  const { model, ns } = useModelFromParams();
  const [templates] = useResolvedExtensions(isYamlTemplate);
  const navigate = useNavigate();
  const template = model
    ? templates.find((t) => matchesModel(t.properties.model, model))?.properties.template
    : undefined;
  const initial = useMemo(() => {
    if (template) return template;
    if (!model) return '';
    return toYAML({
      apiVersion: getAPIVersionForModel(model),
      kind: model.kind,
      metadata: { name: 'example', ...(ns && { namespace: ns }) },
    });
  }, [template, model, ns]);
  const [text, setText] = useState<string>();
  const [error, setError] = useState<string>();
  if (!model) return <NotFound what="Resource type" />;
  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Create {model.label}</Title>
      </PageSection>
      <PageSection>
        <TextArea
          aria-label="YAML"
          value={text ?? initial}
          onChange={(_e, v) => setText(v)}
          rows={24}
          className="dev-console-code"
        />
        {error && <Alert variant="danger" isInline title={error} />}
        <Button
          className="dev-console-create"
          onClick={() => {
            try {
              const data = parseYAML(text ?? initial) as K8sResourceCommon;
              if (ns && model.namespaced) data.metadata = { ...data.metadata, namespace: ns };
              k8sCreate<K8sResourceCommon>(model, data)
                .then((o: K8sResourceCommon) =>
                  navigate(resourcePath(model, o.metadata?.name, o.metadata?.namespace)),
                )
                .catch((e: Error) => setError(e.message));
            } catch (e) {
              setError((e as Error).message);
            }
          }}
        >
          Create
        </Button>
      </PageSection>
    </>
  );
};
