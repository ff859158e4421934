// console.flag/model as the console does it: once API discovery has finished, each flag is true
// when its model is served and false when not, so extensions gated on it appear or stay hidden
// (the PluginStore filters them by `flags.required` / `flags.disallowed`).
import { useEffect, useSyncExternalStore } from 'react';
import { useExtensions, usePluginStore, type Extension } from '@openshift/dynamic-plugin-sdk';
import type { K8sModel } from '@openshift-console/dynamic-plugin-sdk';
import { matchesModel } from './extensions';
import { modelRegistry } from '../sdk/models';

type ModelFlagExt = Extension<
  'console.flag/model',
  { flag: string; model: { group?: string; version?: string; kind: string } }
>;

export const isModelFlag = (e: Extension): e is ModelFlagExt => e.type === 'console.flag/model';

/** Each flag: whether any known model matches its extension's model. */
export const modelFlags = (
  extensions: readonly ModelFlagExt[],
  models: readonly K8sModel[],
): Record<string, boolean> => {
  const flags: Record<string, boolean> = {};
  for (const { properties: p } of extensions) {
    flags[p.flag] = (flags[p.flag] ?? false) || models.some((m) => matchesModel(p.model, m));
  }
  return flags;
};

/** Renders nothing; keeps the PluginStore's model flags in step with discovery. */
export const ModelFlags = (): null => {
  const store = usePluginStore();
  const extensions = useExtensions(isModelFlag);
  const version = useSyncExternalStore(modelRegistry.subscribe, () => modelRegistry.version);
  useEffect(() => {
    // Before discovery finishes a missing model proves nothing: leave the flags unset.
    if (!modelRegistry.loaded || extensions.length === 0) return;
    const next = modelFlags(extensions, Object.values(modelRegistry.all()));
    const current = store.getFeatureFlags();
    if (Object.entries(next).some(([flag, value]) => current[flag] !== value)) {
      store.setFeatureFlags(next);
    }
  }, [store, extensions, version]);
  return null;
};
