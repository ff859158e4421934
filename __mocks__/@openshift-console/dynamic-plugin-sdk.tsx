// Typed stubs of the SDK parts the plugin uses (jest.config.js maps the SDK here). Each is declared
// with the real SDK's type, so a stub that drifts from the SDK fails `tsc -p .`. Tests set return
// values per case; the defaults describe "still loading" and "allowed".
import { useEffect } from 'react';
import type * as sdk from '@openshift-console/dynamic-plugin-sdk';

export const useK8sWatchResource = jest.fn(() => [
  undefined,
  false,
  undefined,
]) as unknown as jest.MockedFunction<typeof sdk.useK8sWatchResource>;

export const useAccessReview = jest.fn(() => [true, false]) as unknown as jest.MockedFunction<
  typeof sdk.useAccessReview
>;

/** Resolves to an empty body unless a test says otherwise. */
export const consoleFetchText = jest.fn(() =>
  Promise.resolve(''),
) as unknown as jest.MockedFunction<typeof sdk.consoleFetchText>;

/** Sets document.title like the console's DocumentTitle (minus the product suffix). */
export const DocumentTitle: typeof sdk.DocumentTitle = ({ children }) => {
  useEffect(() => {
    document.title = children;
  }, [children]);
  return null;
};

export const ListPageHeader: typeof sdk.ListPageHeader = ({ title, helpText, children }) => (
  <header>
    <h1>{title}</h1>
    {helpText && <p>{helpText}</p>}
    {children}
  </header>
);
