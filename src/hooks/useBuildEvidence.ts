// The only place the Build evidence views ask the SDK for anything: they watch the build pod and
// read the start of its log, and hand the rest to the pure classifyBuildEvidence/evidenceDetails.
import { useEffect, useMemo, useState } from 'react';
import { consoleFetchText, useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon, WatchK8sResource } from '@openshift-console/dynamic-plugin-sdk';
import {
  buildPodName,
  classifyBuildEvidence,
  evidenceDetails,
  podHasLog,
  podLogPath,
  recordedVerdict,
} from '../utils/build-evidence';
import type {
  BuildMeta,
  EvidenceDetails,
  EvidenceState,
  LogState,
  PodWatch,
} from '../utils/build-evidence';

type PodLike = K8sResourceCommon & { status?: { phase?: string } };

interface PodAndLog {
  pod: PodWatch;
  log: LogState;
}

/**
 * Watches the build pod and reads its log. `needed` false (a recorded verdict the caller trusts)
 * asks for nothing: the pod may long be pruned.
 */
function usePodAndLog(build: BuildMeta, needed: boolean): PodAndLog {
  const namespace = build.metadata?.namespace;
  const podName = buildPodName(build);
  const watch: WatchK8sResource | null = useMemo(
    () =>
      !needed || !namespace || !podName
        ? null
        : {
            groupVersionKind: { version: 'v1', kind: 'Pod' },
            name: podName,
            namespace,
            isList: false,
          },
    [needed, namespace, podName],
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
  return { pod: { data: pod, loaded: watch ? loaded : false, error: loadError }, log: logState };
}

/** The verdict alone: a recorded one needs no pod, no watch, no log request. */
export function useBuildEvidence(build: BuildMeta): EvidenceState {
  const recorded = recordedVerdict(build);
  const { pod, log } = usePodAndLog(build, recorded === undefined);
  return classifyBuildEvidence({ recorded, pod, log });
}

/** The verdict and every fact behind it: the pod and log are read even beside a recorded verdict. */
export function useBuildEvidenceDetails(build: BuildMeta): {
  evidence: EvidenceState;
  details: EvidenceDetails;
  /** The pod watch answered (found or not). */
  podChecked: boolean;
} {
  const recorded = recordedVerdict(build);
  const { pod, log } = usePodAndLog(build, true);
  return {
    evidence: classifyBuildEvidence({ recorded, pod, log }),
    details: evidenceDetails(pod.error ? undefined : pod.data, log),
    podChecked: pod.loaded || !!pod.error,
  };
}
