// The only place the Build details item asks the SDK for anything: it watches the build pod and
// reads the start of its log, and hands the rest to the pure classifyBuildEvidence.
import { useEffect, useMemo, useState } from 'react';
import { consoleFetchText, useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon, WatchK8sResource } from '@openshift-console/dynamic-plugin-sdk';
import {
  buildPodName,
  classifyBuildEvidence,
  podHasLog,
  podLogPath,
  recordedVerdict,
} from '../utils/build-evidence';
import type { BuildMeta, EvidenceState, LogState } from '../utils/build-evidence';

type PodLike = K8sResourceCommon & { status?: { phase?: string } };

export function useBuildEvidence(build: BuildMeta): EvidenceState {
  const recorded = recordedVerdict(build);
  const hasRecorded = recorded !== undefined;
  const namespace = build.metadata?.namespace;
  const podName = buildPodName(build);
  // A recorded verdict needs no pod (it may be pruned): no watch, no log request.
  const watch: WatchK8sResource | null = useMemo(
    () =>
      hasRecorded || !namespace || !podName
        ? null
        : {
            groupVersionKind: { version: 'v1', kind: 'Pod' },
            name: podName,
            namespace,
            isList: false,
          },
    [hasRecorded, namespace, podName],
  );
  const [pod, loaded, loadError] = useK8sWatchResource<PodLike>(watch);
  const phase = pod?.status?.phase;
  const logKey =
    watch && namespace && podName && loaded && !loadError && podHasLog(phase)
      ? `${namespace}/${podName}`
      : undefined;

  // The last answer, for which pod: a refetch (phase change) keeps showing it until it returns.
  const [log, setLog] = useState<{ key: string; result: LogState }>();
  useEffect(() => {
    if (!logKey || !namespace || !podName) return undefined;
    const controller = new AbortController();
    consoleFetchText(podLogPath(namespace, podName), { signal: controller.signal })
      .then((text: unknown) => {
        if (controller.signal.aborted) return;
        setLog({ key: logKey, result: { state: 'loaded', text: String(text) } });
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        const message = e instanceof Error ? e.message : String(e);
        setLog({ key: logKey, result: { state: 'error', message } });
      });
    return () => controller.abort();
    // The phase is a dependency so a pod that finished is read again, with its whole preamble.
  }, [logKey, namespace, podName, phase]);

  const logState: LogState = !logKey
    ? { state: 'none' }
    : log?.key === logKey
      ? log.result
      : { state: 'loading' };
  return classifyBuildEvidence({
    recorded,
    pod: { data: pod, loaded: watch ? loaded : false, error: loadError },
    log: logState,
  });
}
