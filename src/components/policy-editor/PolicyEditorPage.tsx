// The build policy editor (console.page/route /userns-builds/edit): one page over the BuildPolicy
// `cluster` and OpenShift's cluster Build configuration, with inline validation from core, a YAML
// view kept in sync, the impact and the diff before saving, and conflicts that never lose an edit.
import { useMemo, useState } from 'react';
import type { FC, ReactNode } from 'react';
import {
  ActionGroup,
  Alert,
  Bullseye,
  Button,
  Card,
  CardBody,
  CardTitle,
  Content,
  PageSection,
  Spinner,
  Stack,
  StackItem,
  Tab,
  Tabs,
  TabTitleText,
  Title,
  ToggleGroup,
  ToggleGroupItem,
} from '@patternfly/react-core';
import { DocumentTitle, ListPageHeader } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import { parse as parseYAML } from 'yaml';
import { effectivePolicy, validatePolicySpec } from '@userns-builds/core';
import type { EffectivePolicy } from '@userns-builds/core';
import { useBuildPolicy } from '../../hooks/useBuildPolicy';
import {
  useBuildConfigs,
  useClusterBuild,
  useEditorAccess,
  useNamespaceNames,
} from '../../hooks/usePolicyEditorData';
import { useResourceDraft } from '../../hooks/useResourceDraft';
import type { ResourceDraft } from '../../hooks/useResourceDraft';
import { useResourceWriter } from '../../hooks/useResourceWriter';
import { useUnsavedChangesGuard } from '../../hooks/useUnsavedChangesGuard';
import {
  BUILD_POLICY_NAME,
  BuildPolicyModel,
  CLUSTER_BUILD_NAME,
  ClusterBuildModel,
} from '../../models';
import { editableView, getIn, isObject } from '../../utils/draft';
import type { JsonObject } from '../../utils/draft';
import { errorStatus } from '../../utils/load-state';
import { validateDraft } from '../../utils/policy-editor';
import { buildPolicyTemplate } from '../../yaml-templates';
import { BuildPolicyForm } from './BuildPolicyForm';
import { ChangeList, ConflictPanel } from './ChangesPanel';
import { ClusterBuildForm } from './ClusterBuildForm';
import { ImpactCard } from './ImpactCard';
import { YamlView } from './YamlView';
import './policy-editor.css';

const POLICY_TEMPLATE = parseYAML(buildPolicyTemplate) as JsonObject;
const CLUSTER_BUILD_TEMPLATE: JsonObject = {
  apiVersion: 'config.openshift.io/v1',
  kind: 'Build',
  metadata: { name: CLUSTER_BUILD_NAME },
  spec: {},
};
const CRD_MANIFEST = 'deploy/crd/buildpolicy.yaml';

type View = 'form' | 'yaml';

/** A resource as a form or as YAML, with the toggle between them; the page keeps the view. */
const ResourceViews: FC<{
  view: View;
  onViewChange(v: View): void;
  viewLabel: string;
  form: ReactNode;
  yamlId: string;
  yamlLabel: string;
  draft: ResourceDraft;
  readOnly: boolean;
}> = ({ view, onViewChange, viewLabel, form, yamlId, yamlLabel, draft, readOnly }) => {
  const { t } = usePluginTranslation();
  return (
    <>
      <StackItem>
        <ToggleGroup aria-label={viewLabel}>
          <ToggleGroupItem
            text={t('Form')}
            isSelected={view === 'form'}
            onChange={() => onViewChange('form')}
          />
          <ToggleGroupItem
            text={t('YAML')}
            isSelected={view === 'yaml'}
            onChange={() => onViewChange('yaml')}
          />
        </ToggleGroup>
      </StackItem>
      <StackItem>
        {view === 'form' ? (
          form
        ) : (
          <YamlView
            id={yamlId}
            label={yamlLabel}
            text={draft.yaml}
            error={draft.yamlError}
            readOnly={readOnly}
            onChange={draft.setYaml}
          />
        )}
      </StackItem>
    </>
  );
};

/** After a 409: the server's version beside the user's edit, until one of them is chosen. */
const DraftConflict: FC<{ title: string; draft: ResourceDraft }> = ({ title, draft }) =>
  draft.conflict ? (
    <StackItem>
      <ConflictPanel
        title={title}
        base={draft.base}
        mine={draft.draft}
        theirs={draft.conflict}
        onReapply={draft.reapply}
        onDiscard={draft.discard}
      />
    </StackItem>
  ) : null;

function savedPolicy(server: JsonObject | undefined): EffectivePolicy | undefined {
  if (!server) return undefined;
  const result = validatePolicySpec(server.spec ?? {});
  return result.ok ? effectivePolicy(result.spec) : undefined;
}

/** What a save sends: the draft under its fixed name, with the resourceVersion that was read. */
function payload(draft: ResourceDraft, name: string): K8sResourceCommon {
  const metadata = isObject(draft.draft.metadata) ? draft.draft.metadata : {};
  const resourceVersion = getIn(draft.base, ['metadata', 'resourceVersion']);
  const body = draft.base ? draft.draft : editableView(draft.draft);
  return {
    ...body,
    metadata: {
      ...(draft.base ? metadata : (body.metadata as JsonObject)),
      name,
      ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}),
    },
  } as K8sResourceCommon;
}

const PolicyEditorPage: FC = () => {
  const { t } = usePluginTranslation();
  const policyLoad = useBuildPolicy();
  const clusterLoad = useClusterBuild();
  const access = useEditorAccess();
  const buildConfigs = useBuildConfigs();
  const namespaces = useNamespaceNames();
  const writer = useResourceWriter();

  const policyServer =
    policyLoad.state === 'loaded' ? (policyLoad.policy as unknown as JsonObject) : undefined;
  const clusterServer =
    clusterLoad.state === 'loaded' ? (clusterLoad.object as unknown as JsonObject) : undefined;
  const policy = useResourceDraft(policyServer, POLICY_TEMPLATE);
  const cluster = useResourceDraft(clusterServer, CLUSTER_BUILD_TEMPLATE);

  const [tab, setTab] = useState<'policy' | 'cluster'>('policy');
  const [policyView, setPolicyView] = useState<View>('form');
  const [clusterView, setClusterView] = useState<View>('form');
  const [saving, setSaving] = useState(false);
  const [saveErrors, setSaveErrors] = useState<string[]>([]);
  const [savedAt, setSavedAt] = useState<string>();

  const policyInstalled = !(policyLoad.state === 'absent' && policyLoad.why === 'NotInstalled');
  const policyExists = policyLoad.state === 'loaded';
  const policyPermission = policyExists ? access.updatePolicy : access.createPolicy;
  const policyReadOnly = !policyInstalled || policyPermission.loading || !policyPermission.allowed;
  const clusterReadOnly =
    clusterLoad.state !== 'loaded' ||
    access.updateClusterBuild.loading ||
    !access.updateClusterBuild.allowed;

  const policyErrors = useMemo(() => validateDraft(policy.draft), [policy.draft]);
  const saved = useMemo(() => savedPolicy(policyServer), [policyServer]);
  const edited = useMemo(() => {
    if (policyErrors.length > 0 || policy.yamlError) return undefined;
    const result = validatePolicySpec(policy.draft.spec ?? {});
    return result.ok ? effectivePolicy(result.spec) : undefined;
  }, [policy.draft, policyErrors, policy.yamlError]);

  // Only a policy known to exist or known to be absent may be saved (never while loading).
  const policyKnown =
    policyLoad.state === 'loaded' || (policyLoad.state === 'absent' && policyInstalled);
  const policyWillSave = policyKnown && !policyReadOnly && (policy.dirty || !policyExists);
  const clusterPending = !clusterReadOnly && cluster.dirty;
  useUnsavedChangesGuard(
    policy.dirty || cluster.dirty,
    t('You have unsaved changes to the build policy. Leave this page and lose them?'),
  );

  const blockers = [
    policyWillSave && policyErrors.length > 0 ? t('The build policy has errors.') : undefined,
    policy.yamlError || cluster.yamlError ? t('The YAML does not parse.') : undefined,
    policy.conflict || cluster.conflict ? t('Resolve the conflict first.') : undefined,
  ].filter((b): b is string => !!b);
  const canSave = !saving && blockers.length === 0 && (policyWillSave || clusterPending);

  const saveOne = async (
    draft: ResourceDraft,
    model: K8sModel,
    name: string,
    exists: boolean,
  ): Promise<string | undefined> => {
    try {
      const data = payload(draft, name);
      const result = exists ? await writer.update(model, data) : await writer.create(model, data);
      draft.saved(result as unknown as JsonObject);
      return undefined;
    } catch (e) {
      const status = errorStatus(e);
      if (status === 409) {
        const latest = await writer.get(model, name).catch(() => undefined);
        draft.collided((latest ?? (exists ? draft.base : undefined) ?? {}) as JsonObject);
        return undefined;
      }
      return e instanceof Error ? e.message : String(e);
    }
  };

  const save = async () => {
    setSaving(true);
    setSaveErrors([]);
    setSavedAt(undefined);
    const errors: string[] = [];
    if (policyWillSave) {
      const error = await saveOne(policy, BuildPolicyModel, BUILD_POLICY_NAME, policyExists);
      if (error) errors.push(t('The build policy was not saved: {{error}}', { error }));
    }
    if (clusterPending) {
      const error = await saveOne(cluster, ClusterBuildModel, CLUSTER_BUILD_NAME, true);
      if (error)
        errors.push(t('The cluster build configuration was not saved: {{error}}', { error }));
    }
    setSaveErrors(errors);
    setSaving(false);
    if (errors.length === 0) setSavedAt(new Date().toISOString());
  };

  let policyBody: ReactNode;
  switch (policyLoad.state) {
    case 'loading':
      policyBody = (
        <Bullseye>
          <Spinner aria-label={t('Loading the build policy')} />
        </Bullseye>
      );
      break;
    case 'error':
      policyBody = (
        <Alert variant="danger" isInline title={t('The build policy could not be loaded')}>
          {policyLoad.message}
        </Alert>
      );
      break;
    default:
      policyBody = !policyInstalled ? (
        <Alert variant="warning" isInline title={t('The BuildPolicy API is not installed')}>
          <Content component="p">
            {t(
              'This cluster has no BuildPolicy resource type (userns.builds.dev/v1alpha1), so there is no policy to edit. A cluster administrator installs it with:',
            )}
          </Content>
          <Content component="pre">{`oc apply -f ${CRD_MANIFEST}`}</Content>
          <Content component="p">
            {t(
              "from this plugin's repository, or with the whole deployment. This page then offers to create the policy.",
            )}
          </Content>
        </Alert>
      ) : (
        <Stack hasGutter>
          {policyLoad.state === 'absent' && (
            <StackItem>
              <Alert variant="info" isInline title={t('No build policy yet')}>
                {t(
                  'Saving creates the BuildPolicy "cluster" from this form. Until then builds follow OpenShift\'s default.',
                )}
              </Alert>
            </StackItem>
          )}
          {!policyPermission.loading && !policyPermission.allowed && (
            <StackItem>
              <Alert variant="info" isInline title={t('Read-only')} data-testid="policy-read-only">
                {policyExists
                  ? t(
                      'You may not update the BuildPolicy "cluster" (verb update on buildpolicies.userns.builds.dev), so this form is read-only.',
                    )
                  : t(
                      'You may not create a BuildPolicy (verb create on buildpolicies.userns.builds.dev), so this form is read-only.',
                    )}
              </Alert>
            </StackItem>
          )}
          <DraftConflict title={t('The build policy changed on the server')} draft={policy} />
          {policy.overlaps.length > 0 && (
            <StackItem>
              <Alert variant="info" isInline title={t('Your edit was reapplied')}>
                {t('These fields were also changed on the server; your values were kept:')}{' '}
                {policy.overlaps.map((c) => c.path).join(', ')}
              </Alert>
            </StackItem>
          )}
          <ResourceViews
            view={policyView}
            onViewChange={setPolicyView}
            viewLabel={t('Build policy view')}
            form={
              <BuildPolicyForm
                draft={policy.draft}
                errors={policyErrors}
                readOnly={policyReadOnly}
                namespaces={namespaces}
                setField={policy.setField}
              />
            }
            yamlId="build-policy-yaml"
            yamlLabel={t('BuildPolicy YAML')}
            draft={policy}
            readOnly={policyReadOnly}
          />
        </Stack>
      );
  }

  let clusterBody: ReactNode;
  if (clusterLoad.state === 'loading') {
    clusterBody = <Spinner aria-label={t('Loading the cluster build configuration')} />;
  } else if (clusterLoad.state !== 'loaded') {
    clusterBody = (
      <Alert
        variant="warning"
        isInline
        title={t('The cluster build configuration could not be read')}
      >
        {clusterLoad.state === 'error'
          ? clusterLoad.message
          : t('There is no Build "cluster" (config.openshift.io/v1).')}
      </Alert>
    );
  } else {
    clusterBody = (
      <Stack hasGutter>
        {!access.updateClusterBuild.loading && !access.updateClusterBuild.allowed && (
          <StackItem>
            <Alert variant="info" isInline title={t('Read-only')} data-testid="cluster-read-only">
              {t(
                'You may not update the Build "cluster" (verb update on builds.config.openshift.io), so this form is read-only.',
              )}
            </Alert>
          </StackItem>
        )}
        <DraftConflict
          title={t('The cluster build configuration changed on the server')}
          draft={cluster}
        />
        <ResourceViews
          view={clusterView}
          onViewChange={setClusterView}
          viewLabel={t('Cluster build configuration view')}
          form={
            <ClusterBuildForm
              draft={cluster.draft}
              readOnly={clusterReadOnly}
              setField={cluster.setField}
            />
          }
          yamlId="cluster-build-yaml"
          yamlLabel={t('Build (config.openshift.io/v1) YAML')}
          draft={cluster}
          readOnly={clusterReadOnly}
        />
      </Stack>
    );
  }

  return (
    <>
      <DocumentTitle>{t('Edit build policy')}</DocumentTitle>
      <ListPageHeader
        title={t('Edit build policy')}
        helpText={t(
          "Build defaults and overrides for the whole cluster: the user namespace policy and OpenShift's own build configuration.",
        )}
      />
      <PageSection>
        <Stack hasGutter>
          <StackItem>
            <Tabs
              activeKey={tab}
              onSelect={(_e, key) => setTab(key === 'cluster' ? 'cluster' : 'policy')}
              aria-label={t('Resources')}
            >
              <Tab
                eventKey="policy"
                title={<TabTitleText>{t('User namespace policy')}</TabTitleText>}
              >
                <div className="userns-builds__tab">{policyBody}</div>
              </Tab>
              <Tab
                eventKey="cluster"
                title={<TabTitleText>{t('OpenShift build defaults and overrides')}</TabTitleText>}
              >
                <div className="userns-builds__tab">{clusterBody}</div>
              </Tab>
            </Tabs>
          </StackItem>
          {policyInstalled && (
            <StackItem>
              <ImpactCard saved={saved} edited={edited} load={buildConfigs} />
            </StackItem>
          )}
          <StackItem>
            <Card>
              <CardTitle component="h2">{t('Changes to save')}</CardTitle>
              <CardBody>
                <Stack hasGutter>
                  <StackItem>
                    <Title headingLevel="h3">{t('BuildPolicy "cluster"')}</Title>
                    {policyExists || !policyWillSave ? (
                      <ChangeList changes={policy.changes} label={t('BuildPolicy changes')} />
                    ) : (
                      <Content component="p">{t('Saving creates the BuildPolicy.')}</Content>
                    )}
                  </StackItem>
                  <StackItem>
                    <Title headingLevel="h3">{t('Build "cluster" (config.openshift.io/v1)')}</Title>
                    <ChangeList changes={cluster.changes} label={t('Cluster build changes')} />
                  </StackItem>
                  {saveErrors.map((e) => (
                    <StackItem key={e}>
                      <Alert variant="danger" isInline title={e} />
                    </StackItem>
                  ))}
                  {savedAt && !policy.dirty && !cluster.dirty && (
                    <StackItem>
                      <Alert
                        variant="success"
                        isInline
                        title={t('Saved')}
                        data-testid="save-success"
                      />
                    </StackItem>
                  )}
                  {blockers.length > 0 && (
                    <StackItem>
                      <Content component="small">{blockers.join(' ')}</Content>
                    </StackItem>
                  )}
                  <StackItem>
                    <ActionGroup>
                      <Button
                        variant="primary"
                        onClick={() => void save()}
                        isDisabled={!canSave}
                        isLoading={saving}
                      >
                        {policyExists || !policyWillSave ? t('Save') : t('Create and save')}
                      </Button>
                      <Button
                        variant="link"
                        isDisabled={saving || (!policy.dirty && !cluster.dirty)}
                        onClick={() => {
                          policy.discard();
                          cluster.discard();
                        }}
                      >
                        {t('Discard changes')}
                      </Button>
                    </ActionGroup>
                  </StackItem>
                </Stack>
              </CardBody>
            </Card>
          </StackItem>
        </Stack>
      </PageSection>
    </>
  );
};

export default PolicyEditorPage;
