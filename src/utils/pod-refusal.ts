// Why a Build has no pod: openshift-controller-manager leaves a Build whose pod the API server
// refused in phase New with reason CannotCreateBuildPod, and puts the API server's message in a
// FailedCreate event on the Build. Pure, so every branch is tested without a DOM.

export const CANNOT_CREATE_BUILD_POD = 'CannotCreateBuildPod';

export interface BuildStatusLike {
  metadata?: { name?: string; namespace?: string };
  status?: { phase?: string; reason?: string; message?: string };
}

export interface EventLike {
  reason?: string;
  message?: string;
  type?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string };
}

/** Whether the build is waiting for a pod the API server refused. */
export function isPodRefused(build: BuildStatusLike): boolean {
  return build.status?.phase === 'New' && build.status.reason === CANNOT_CREATE_BUILD_POD;
}

/** The events to watch for it: the Build's own, by field selector. */
export function refusalEventsSelector(build: BuildStatusLike): string | undefined {
  const name = build.metadata?.name;
  return name ? `involvedObject.kind=Build,involvedObject.name=${name}` : undefined;
}

/**
 * The newest FailedCreate message about this build, else the Build's own status message (the
 * controller's generic one) when no event can be read.
 */
export function refusalMessage(build: BuildStatusLike, events: unknown): string | undefined {
  if (!isPodRefused(build)) return undefined;
  const list = Array.isArray(events) ? (events as EventLike[]) : [];
  const newest = list
    .filter(
      (e) =>
        e?.reason === 'FailedCreate' &&
        typeof e.message === 'string' &&
        e.involvedObject?.kind === 'Build' &&
        e.involvedObject.name === build.metadata?.name,
    )
    .sort((a, b) =>
      (b.lastTimestamp ?? b.eventTime ?? '').localeCompare(a.lastTimestamp ?? a.eventTime ?? ''),
    )[0];
  return newest?.message ?? build.status?.message;
}
