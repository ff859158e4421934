// Type-level proof that the shell's SDK keeps the package's contracts: `npm run typecheck` fails
// when an export drifts from @openshift-console/dynamic-plugin-sdk's declaration. Components whose
// props are only a subset (the dev shell doesn't render everything the console does) are listed
// in `Partial` below and checked by name only.
import type * as Real from '@openshift-console/dynamic-plugin-sdk';
import type * as Impl from './index';

type Checked =
  | 'useK8sWatchResource'
  | 'useK8sWatchResources'
  | 'useAccessReview'
  | 'useActiveNamespace'
  | 'useK8sModel'
  | 'useK8sModels'
  | 'getGroupVersionKindForModel'
  | 'getGroupVersionKindForResource'
  | 'getAPIVersionForModel'
  | 'consoleFetch'
  | 'consoleFetchText'
  | 'k8sGet'
  | 'k8sCreate'
  | 'k8sUpdate'
  | 'k8sPatch'
  | 'k8sDelete'
  | 'k8sList'
  | 'k8sListItems'
  | 'ResourceLink'
  | 'ListPageHeader'
  | 'Timestamp'
  | 'HttpError'
  | 'isAllNamespacesKey';

type Partial =
  | 'consoleFetchJSON'
  | 'ListPageBody'
  | 'StatusIconAndText'
  | 'YellowExclamationTriangleIcon'
  | 'GreenCheckCircleIcon'
  | 'RedExclamationCircleIcon'
  | 'BlueInfoCircleIcon'
  | 'DocumentTitle'
  | 'HorizontalNav'
  | 'useResolvedExtensions'
  | 'ActionServiceProvider'
  | 'useFlag'
  | 'useModal'
  | 'useOverlay';

type AssertAssignable<T extends U, U> = T;

// A function, not a mapped type, so the compiler reports each drifting export by name.
export const checkExports = (impl: Pick<typeof Impl, Checked>): Pick<typeof Real, Checked> => impl;
export type NamedExports = AssertAssignable<keyof typeof Impl, keyof typeof Real>;
export type PartialExportsExist = AssertAssignable<Partial, keyof typeof Impl>;
