// Answers useK8sWatchResource per kind, as the console would for each watch a component opens.
import { useK8sWatchResource } from '@openshift-console/dynamic-plugin-sdk';
import type { K8sResourceCommon, WatchK8sResource } from '@openshift-console/dynamic-plugin-sdk';

export type WatchAnswer = [data: unknown, loaded: boolean, error?: unknown];

/** kind -> answer; a kind not listed stays loading. */
export function watchByKind(answers: Record<string, WatchAnswer>): void {
  jest.mocked(useK8sWatchResource).mockImplementation((resource: WatchK8sResource | null) => {
    if (!resource) return [undefined as never, true, undefined];
    const kind = resource.groupVersionKind?.kind ?? resource.kind ?? '';
    const answer = answers[kind];
    if (!answer) return [(resource.isList ? [] : {}) as never, false, undefined];
    return [answer[0] as K8sResourceCommon, answer[1], answer[2]];
  });
}
