// The only place the BuildConfig toggle and its annotations editor ask the SDK for anything: may
// this user patch the BuildConfig, send a JSON patch, watch one BuildConfig and its builds.
import { useCallback, useMemo, useState } from 'react';
import {
  k8sPatch,
  useAccessReview,
  useK8sWatchResource,
} from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon, WatchK8sResource } from '@openshift-console/dynamic-plugin-sdk';
import { BuildConfigModel, buildGVK, buildConfigGVK } from '../models';
import { saveFailure } from '../utils/buildconfig-toggle';
import type { BuildConfigLike, SaveFailure, TogglePatch } from '../utils/buildconfig-toggle';
import { BUILD_CONFIG_LABEL, buildConfigLabelValue, recentBuilds } from '../utils/recent-builds';
import type { BuildLike } from '../utils/recent-builds';

export interface PatchAccess {
  canPatch: boolean;
  /** The access review has not answered yet. */
  checking: boolean;
}

export function useCanPatchBuildConfig(bc: BuildConfigLike): PatchAccess {
  const [canPatch, checking] = useAccessReview({
    group: BuildConfigModel.apiGroup,
    resource: BuildConfigModel.plural,
    verb: 'patch',
    name: bc.metadata?.name,
    namespace: bc.metadata?.namespace,
  });
  return { canPatch, checking };
}

export type SaveState =
  | { state: 'idle' }
  | { state: 'saving' }
  | { state: 'saved' }
  | { state: 'failed'; failure: SaveFailure };

export interface BuildConfigPatch {
  saveState: SaveState;
  /** Sends the patch; resolves to whether it was applied. An empty patch is a no-op success. */
  save: (bc: BuildConfigLike, operations: TogglePatch[]) => Promise<boolean>;
  reset: () => void;
}

export function useBuildConfigPatch(): BuildConfigPatch {
  const [saveState, setSaveState] = useState<SaveState>({ state: 'idle' });
  const save = useCallback(async (bc: BuildConfigLike, operations: TogglePatch[]) => {
    if (operations.length === 0) {
      setSaveState({ state: 'saved' });
      return true;
    }
    setSaveState({ state: 'saving' });
    try {
      await k8sPatch({
        model: BuildConfigModel,
        resource: bc as K8sResourceCommon,
        data: operations,
      });
      setSaveState({ state: 'saved' });
      return true;
    } catch (e) {
      setSaveState({ state: 'failed', failure: saveFailure(e) });
      return false;
    }
  }, []);
  const reset = useCallback(() => setSaveState({ state: 'idle' }), []);
  return { saveState, save, reset };
}

/** One BuildConfig, live (the kebab action's modal gets a snapshot and follows it here). */
export function useBuildConfig(
  namespace: string | undefined,
  name: string | undefined,
): [BuildConfigLike | undefined, boolean, unknown] {
  const watch: WatchK8sResource | null = useMemo(
    () =>
      namespace && name
        ? { groupVersionKind: buildConfigGVK, namespace, name, isList: false }
        : null,
    [namespace, name],
  );
  const [data, loaded, error] = useK8sWatchResource<K8sResourceCommon>(watch);
  const bc = data?.metadata?.name ? (data as BuildConfigLike) : undefined;
  return [bc, loaded, error];
}

/** The newest builds of a BuildConfig, newest first. */
export function useRecentBuilds(
  bc: BuildConfigLike,
  limit: number,
): { builds: BuildLike[]; loaded: boolean; error: unknown } {
  const namespace = bc.metadata?.namespace;
  const name = bc.metadata?.name;
  const watch: WatchK8sResource | null = useMemo(
    () =>
      namespace && name
        ? {
            groupVersionKind: buildGVK,
            namespace,
            isList: true,
            selector: { matchLabels: { [BUILD_CONFIG_LABEL]: buildConfigLabelValue(name) } },
          }
        : null,
    [namespace, name],
  );
  const [data, loaded, error] = useK8sWatchResource<K8sResourceCommon[]>(watch);
  const builds = useMemo(
    () => recentBuilds((Array.isArray(data) ? data : []) as BuildLike[], name ?? '', limit),
    [data, name, limit],
  );
  return { builds, loaded, error };
}
