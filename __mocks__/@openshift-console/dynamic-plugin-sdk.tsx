// Typed stubs of the SDK parts the plugin uses (jest.config.js maps the SDK here). Each is declared
// with the real SDK's type, so a stub that drifts from the SDK fails `tsc -p .`. Tests set return
// values per case; the defaults describe "still loading" and "allowed".
import { useEffect } from 'react';
import type * as sdk from '@openshift-console/dynamic-plugin-sdk';

/**
 * A jest.fn whose default implementation is checked against the SDK function's real signature
 * (a bare `jest.fn(...) as unknown as ...` would accept any default).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any SDK function
function stub<F extends (...args: any[]) => any>(
  implementation: (...args: Parameters<F>) => ReturnType<F>,
): jest.MockedFunction<F> {
  return jest.fn(implementation) as unknown as jest.MockedFunction<F>;
}

// The console gives no data while loading, which the SDK's result type does not say.
export const useK8sWatchResource = stub<typeof sdk.useK8sWatchResource>(() => [
  undefined as never,
  false,
  undefined,
]);

export const useAccessReview = stub<typeof sdk.useAccessReview>(() => [true, false]);

/** Resolves to an empty body unless a test says otherwise. */
export const consoleFetchText = stub<typeof sdk.consoleFetchText>(() => Promise.resolve(''));

/** Rejects until a test routes it (e.g. with src/__fixtures__/compliance/fetch.ts). */
export const consoleFetch = stub<typeof sdk.consoleFetch>(() =>
  Promise.reject(new Error('consoleFetch is not stubbed in this test')),
);

/** Rejects unless a test says otherwise: a save that nobody planned for must not pass silently. */
export const k8sUpdate = stub<typeof sdk.k8sUpdate>(() =>
  Promise.reject(new Error('k8sUpdate: no response set in this test')),
);

export const k8sGet = stub<typeof sdk.k8sGet>(() =>
  Promise.reject(new Error('k8sGet: no response set in this test')),
);

export const k8sCreate = stub<typeof sdk.k8sCreate>(() =>
  Promise.reject(new Error('k8sCreate: no response set in this test')),
);

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
