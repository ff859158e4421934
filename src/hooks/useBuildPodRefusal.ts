// The only place the Build details item asks the SDK for events: only for a build whose pod was
// refused, it watches that Build's events and hands them to the pure refusalMessage.
import { useMemo } from 'react';
import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon, WatchK8sResource } from '@openshift-console/dynamic-plugin-sdk';
import { isPodRefused, refusalEventsSelector, refusalMessage } from '../utils/pod-refusal';
import type { BuildStatusLike } from '../utils/pod-refusal';

export function useBuildPodRefusal(build: BuildStatusLike): string | undefined {
  const refused = isPodRefused(build);
  const namespace = build.metadata?.namespace;
  const fieldSelector = refusalEventsSelector(build);
  const watch: WatchK8sResource | null = useMemo(
    () =>
      refused && namespace && fieldSelector
        ? {
            groupVersionKind: { version: 'v1', kind: 'Event' },
            namespace,
            fieldSelector,
            isList: true,
          }
        : null,
    [refused, namespace, fieldSelector],
  );
  const [events] = useK8sWatchResource<K8sResourceCommon[]>(watch);
  return refusalMessage(build, events);
}
