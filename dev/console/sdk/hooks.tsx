/* eslint-disable @typescript-eslint/no-explicit-any -- overlays take any component with any props, as the SDK's useModal/useOverlay do */
// The SDK's hooks that need the host: access reviews, the active namespace, models, extensions,
// user settings, modals. State the console keeps in redux lives in small contexts here.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ComponentType,
  type FC,
  type ReactNode,
} from 'react';
import {
  useResolvedExtensions as useResolvedExtensionsLib,
  usePluginStore,
  type Extension,
} from '@openshift/dynamic-plugin-sdk';
import type {
  AccessReviewResourceAttributes,
  K8sGroupVersionKind,
  K8sModel,
} from '@openshift-console/dynamic-plugin-sdk';
import { k8sCreate } from './k8s';
import { modelRegistry, ProjectModel, SelfSubjectAccessReviewModel } from './models';

export const ALL_NAMESPACES_KEY = '#ALL_NS#';

type SSAR = { status?: { allowed: boolean; reason?: string } };

// Memoized like the console's checkAccess: one review per attribute set per page load (the
// user switcher reloads the page, so a cached answer never outlives its user).
const accessCache = new Map<string, Promise<SSAR>>();

/** Every attribute present, '' where absent: the cache key and the review both need them all. */
const fullAttributes = (attrs: AccessReviewResourceAttributes | undefined) => {
  const {
    group = '',
    resource = '',
    subresource = '',
    verb = '',
    name = '',
    namespace = '',
  } = attrs || {};
  return { group, resource, subresource, verb, name, namespace };
};

export const checkAccess = (attrs: AccessReviewResourceAttributes): Promise<SSAR> => {
  const { group, resource, subresource, verb, name, namespace } = fullAttributes(attrs);
  const key = [group, resource, subresource, verb, name, namespace].join('~');
  let p = accessCache.get(key);
  if (!p) {
    // Projects are namespaced by their own name, as in the console.
    const reviewNamespace =
      group === ProjectModel.apiGroup && resource === ProjectModel.plural ? name : namespace;
    p = k8sCreate(SelfSubjectAccessReviewModel, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: {
          group,
          resource,
          subresource,
          verb,
          name,
          namespace: reviewNamespace,
        },
      },
    } as never) as Promise<SSAR>;
    // A failed review must be retried next time, not cached.
    p.catch(() => accessCache.delete(key));
    accessCache.set(key, p);
  }
  return p;
};

export const useAccessReview = (
  resourceAttributes: AccessReviewResourceAttributes,
  _impersonate?: unknown,
  noCheckForEmptyGroupAndResource?: boolean,
): [boolean, boolean] => {
  const [loading, setLoading] = useState(true);
  const [isAllowed, setAllowed] = useState(false);
  const { group, resource, subresource, verb, name, namespace } =
    fullAttributes(resourceAttributes);
  const skipCheck = noCheckForEmptyGroupAndResource && !group && !resource;
  useEffect(() => {
    if (skipCheck) {
      setAllowed(false);
      setLoading(false);
      return;
    }
    let live = true;
    checkAccess({ group, resource, subresource, verb: verb as never, name, namespace })
      .then((r) => {
        if (!live) return;
        setAllowed(!!r.status?.allowed);
        setLoading(false);
      })
      .catch((e) => {
        if (!live) return;
        console.warn('SelfSubjectAccessReview failed', e);
        // The console enables the control when the review itself fails; the server still
        // enforces access.
        setAllowed(true);
        setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [group, resource, subresource, verb, name, namespace, skipCheck]);
  return [isAllowed, loading];
};

export const useAccessReviewAllowed = (attrs: AccessReviewResourceAttributes): boolean =>
  useAccessReview(attrs)[0];

type NamespaceState = { namespace: string; setNamespace: (ns: string) => void };

export const ActiveNamespaceContext = createContext<NamespaceState>({
  namespace: ALL_NAMESPACES_KEY,
  setNamespace: () => undefined,
});

export const useActiveNamespace = (): [string, (ns: string) => void] => {
  const { namespace, setNamespace } = useContext(ActiveNamespaceContext);
  return [namespace, setNamespace];
};

const useModelsVersion = () =>
  useSyncExternalStore(modelRegistry.subscribe, () => modelRegistry.version);

/** [model, inFlight]: inFlight is true until discovery finishes, as in the console. */
export const useK8sModel = (gvk?: string | K8sGroupVersionKind): [K8sModel, boolean] => {
  const v = useModelsVersion();
  const key = typeof gvk === 'string' ? gvk : JSON.stringify(gvk ?? null);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- key stands for gvk; v for discovery
  const m = useMemo(() => modelRegistry.find(gvk), [key, v]);
  return [m as K8sModel, !modelRegistry.loaded];
};

export const useK8sModels = (): [Record<string, K8sModel>, boolean] => {
  const v = useModelsVersion();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- v changes when models change
  const all = useMemo(() => modelRegistry.all(), [v]);
  return [all, !modelRegistry.loaded];
};

/** The console's signature: type guards as rest arguments, any of which may match. */
export const useResolvedExtensions = <E extends Extension>(
  ...typeGuards: ((e: Extension) => e is E)[]
) => {
  const predicate = useCallback(
    (e: Extension): e is E => typeGuards.some((g) => g(e)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- guards are module-level functions
    typeGuards,
  );
  return useResolvedExtensionsLib<E>(predicate);
};

export const useFlag = (flag: string): boolean => {
  const store = usePluginStore();
  const [flags, setFlags] = useState(() => store.getFeatureFlags());
  useEffect(
    () =>
      store.subscribe(['FeatureFlagsChanged' as never], () => setFlags(store.getFeatureFlags())),
    [store],
  );
  return !!flags[flag];
};

const settingsKey = (key: string) => `dev-console.user-settings.${key}`;

/** The console stores these in a ConfigMap per user; localStorage keeps them per browser. */
export const useUserSettings = <T,>(key: string, defaultValue?: T, _sync?: boolean) => {
  const [value, setValue] = useState<T>(() => {
    const raw = localStorage.getItem(settingsKey(key));
    return raw === null ? (defaultValue as T) : (JSON.parse(raw) as T);
  });
  const set = useCallback(
    (next: T | ((prev: T) => T)) =>
      setValue((prev) => {
        const v = typeof next === 'function' ? (next as (p: T) => T)(prev) : next;
        localStorage.setItem(settingsKey(key), JSON.stringify(v));
        return v;
      }),
    [key],
  );
  return [value, set, true] as [T, typeof set, boolean];
};
export const useUserPreference = useUserSettings;

export const useActivePerspective = (): [string, (p: string, next?: string) => void] => [
  'admin',
  () => undefined,
];

type Overlay = { id: number; Component: ComponentType<any>; props: Record<string, unknown> };

export const OverlayContext = createContext<{
  launch: (Component: ComponentType<any>, props: Record<string, unknown>) => void;
}>({ launch: () => undefined });

/** Renders overlays launched with useOverlay/useModal; each gets a closeOverlay/closeModal prop. */
export const OverlayProvider: FC<{ children?: ReactNode }> = ({ children }) => {
  const [overlays, setOverlays] = useState<Overlay[]>([]);
  const launch = useCallback((Component: ComponentType<any>, props: Record<string, unknown>) => {
    setOverlays((o) => [...o, { id: Date.now() + Math.random(), Component, props }]);
  }, []);
  const value = useMemo(() => ({ launch }), [launch]);
  return (
    <OverlayContext.Provider value={value}>
      {children}
      {overlays.map(({ id, Component, props }) => {
        const close = () => setOverlays((o) => o.filter((x) => x.id !== id));
        return <Component key={id} {...props} closeOverlay={close} closeModal={close} />;
      })}
    </OverlayContext.Provider>
  );
};

export const useOverlay = () => {
  const { launch } = useContext(OverlayContext);
  return useCallback(
    (Component: ComponentType<any>, props: Record<string, unknown> = {}) =>
      launch(Component, props),
    [launch],
  );
};

export const useModal = () => {
  const { launch } = useContext(OverlayContext);
  return useCallback(
    (Component: ComponentType<any>, props: Record<string, unknown> = {}) =>
      launch(Component, props),
    [launch],
  );
};

/** Prometheus isn't part of the local cluster: report that as the console does on an outage. */
export const usePrometheusPoll = (): [undefined, boolean, unknown] => [
  undefined,
  true,
  new Error('Prometheus is not available in the local dev console'),
];

export const useQuickStartContext = () => ({});
