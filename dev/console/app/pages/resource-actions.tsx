// The Actions menu of a details page: the plugin's actions (console.action/provider) next to
// the ones the console itself offers (Start build on a BuildConfig, Delete on everything), each
// disabled while its access review is pending or denied.
import { useMemo, useState, type FC } from 'react';
import { useNavigate } from 'react-router';
import { Dropdown, DropdownItem, DropdownList, MenuToggle, Tooltip } from '@patternfly/react-core';
import type { Action, K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { getAPIVersionForModel } from '../../sdk';
import { resourcePath } from '../../sdk/components';
import { useAccessReview, useModal } from '../../sdk/hooks';
import { consoleFetchJSON, resourceURL } from '../../sdk/k8s';
import { DeleteModal } from '../../sdk/nav';
import { BuildConfigModel, BuildModel, referenceForModel } from '../../sdk/models';

const ActionItem: FC<{ action: Action }> = ({ action }) => {
  const navigate = useNavigate();
  const [allowed, loading] = useAccessReview(action.accessReview ?? {}, undefined, true);
  const permitted = !action.accessReview || allowed;
  const disabled = !!action.disabled || loading || !permitted;
  const item = (
    <DropdownItem
      key={action.id}
      isAriaDisabled={disabled}
      data-test-action={action.id}
      onClick={() => {
        if (disabled) return;
        if (typeof action.cta === 'function') action.cta();
        else if (action.cta.external) window.open(action.cta.href, '_blank', 'noopener');
        else navigate(action.cta.href);
      }}
    >
      {action.label}
    </DropdownItem>
  );
  return disabled && action.disabledTooltip ? (
    <Tooltip content={action.disabledTooltip}>{item}</Tooltip>
  ) : (
    item
  );
};

export const ActionsMenu: FC<{ actions: Action[] }> = ({ actions }) => {
  const [open, setOpen] = useState(false);
  return (
    <Dropdown
      isOpen={open}
      onSelect={() => setOpen(false)}
      onOpenChange={setOpen}
      popperProps={{ position: 'right' }}
      toggle={(ref) => (
        <MenuToggle
          ref={ref}
          onClick={() => setOpen(!open)}
          isExpanded={open}
          data-test-id="actions-menu-button"
        >
          Actions
        </MenuToggle>
      )}
    >
      <DropdownList>
        {actions.map((a) => (
          <ActionItem key={a.id} action={a} />
        ))}
      </DropdownList>
    </Dropdown>
  );
};

/** Actions the console itself offers on these kinds, next to the plugin's. */
export const useBuiltInActions = (
  model: K8sModel,
  obj: K8sResourceCommon | undefined,
): Action[] => {
  const launch = useModal();
  const navigate = useNavigate();
  return useMemo(() => {
    if (!obj?.metadata?.name) return [];
    const ns = obj.metadata.namespace;
    const name = obj.metadata.name;
    const out: Action[] = [];
    if (referenceForModel(model) === referenceForModel(BuildConfigModel))
      out.push({
        id: 'start-build',
        label: 'Start build',
        cta: () => {
          void consoleFetchJSON
            .post(resourceURL(model, { ns, name, path: 'instantiate' }), {
              kind: 'BuildRequest',
              apiVersion: 'build.openshift.io/v1',
              metadata: { name },
            })
            .then((b: K8sResourceCommon) =>
              navigate(resourcePath(BuildModel, b.metadata?.name, ns)),
            )
            .catch((e: Error) => window.alert(`Could not start the build: ${e.message}`));
        },
        accessReview: {
          group: model.apiGroup,
          resource: model.plural,
          subresource: 'instantiate',
          verb: 'create',
          name,
          namespace: ns,
        },
      });
    out.push({
      id: 'delete',
      label: `Delete ${model.label}`,
      cta: () =>
        launch(DeleteModal, {
          resource: { ...obj, kind: model.kind, apiVersion: getAPIVersionForModel(model) },
          onDeleted: () => navigate(resourcePath(model, undefined, ns)),
        }),
      accessReview: {
        group: model.apiGroup,
        resource: model.plural,
        verb: 'delete',
        name,
        namespace: ns,
      },
    });
    return out;
  }, [model, obj, launch, navigate]);
};
