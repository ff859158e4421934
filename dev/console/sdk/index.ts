// The shell's `@openshift-console/dynamic-plugin-sdk` shared module. The npm package is only types
// plus `require('@console/...')` stubs that the real console resolves at build time; this module
// is what this host provides in their place. Pure parts of the npm package (extension type
// guards, enums, GVK helpers, HttpError) are re-exported as they are; see conformance.ts for the
// type check against the package's declarations.
export * from '@openshift-console/dynamic-plugin-sdk/lib/extensions';
export * from '@openshift-console/dynamic-plugin-sdk/lib/api/common-types';
export {
  getAPIVersionForModel,
  getGroupVersionKindForModel,
  getGroupVersionKindForResource,
} from '@openshift-console/dynamic-plugin-sdk/lib/utils/k8s/k8s-ref';
export { isAllNamespacesKey } from '@openshift-console/dynamic-plugin-sdk/lib/api/utils';

export {
  HttpError,
  consoleFetch,
  consoleFetchJSON,
  consoleFetchText,
  k8sGetResource as k8sGet,
  k8sCreateResource as k8sCreate,
  k8sUpdateResource as k8sUpdate,
  k8sPatchResource as k8sPatch,
  k8sDeleteResource as k8sDelete,
  k8sListResource as k8sList,
  k8sListResourceItems as k8sListItems,
} from './k8s';
export { useK8sWatchResource, useK8sWatchResources } from './watch';
export {
  checkAccess,
  useAccessReview,
  useAccessReviewAllowed,
  useActiveNamespace,
  useActivePerspective,
  useFlag,
  useK8sModel,
  useK8sModels,
  useModal,
  useOverlay,
  usePrometheusPoll,
  useQuickStartContext,
  useResolvedExtensions,
  useUserPreference,
  useUserSettings,
} from './hooks';
export {
  BlueInfoCircleIcon,
  DocumentTitle,
  ErrorBoundaryFallbackPage,
  ErrorStatus,
  GenericStatus,
  GreenCheckCircleIcon,
  InfoStatus,
  InventoryItem,
  InventoryItemBody,
  InventoryItemLoading,
  InventoryItemStatus,
  InventoryItemTitle,
  ListPageBody,
  ListPageCreate,
  ListPageCreateButton,
  ListPageCreateLink,
  ListPageFilter,
  ListPageHeader,
  Overview,
  OverviewGrid,
  PopoverStatus,
  ProgressStatus,
  QueryBrowser,
  RedExclamationCircleIcon,
  ResourceIcon,
  ResourceLink,
  ResourceStatus,
  StatusComponent,
  StatusIconAndText,
  StatusPopupItem,
  StatusPopupSection,
  SuccessStatus,
  Timestamp,
  useListPageFilter,
  YellowExclamationTriangleIcon,
} from './components';
export {
  ActionServiceProvider,
  CodeEditor,
  HorizontalNav,
  ResourceYAMLEditor,
  TableData,
  useActiveColumns,
  VirtualizedTable,
  YAMLEditor,
} from './nav';
