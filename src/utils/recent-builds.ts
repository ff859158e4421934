// The last builds of a BuildConfig, newest first, for the table on its User namespace tab. Pure.
import { BUILD_CONFIG_NAME_ANNOTATION } from '@userns-builds/core';
import type { BuildPhase } from '@userns-builds/core';
import type { BuildMeta } from './build-evidence';

/** OpenShift labels every build with its BuildConfig's name under this key (and annotates it). */
export const BUILD_CONFIG_LABEL = BUILD_CONFIG_NAME_ANNOTATION;
const BUILD_NUMBER_ANNOTATION = 'openshift.io/build.number';
const LABEL_VALUE_MAX = 63;

/** The label value OpenShift gives a BuildConfig's builds: its name, cut to a label's length. */
export const buildConfigLabelValue = (name: string) => name.slice(0, LABEL_VALUE_MAX);

export type BuildLike = BuildMeta & {
  metadata?: BuildMeta['metadata'] & { uid?: string; creationTimestamp?: string };
  status?: { phase?: BuildPhase | string; startTimestamp?: string };
};

const number = (b: BuildLike): number => {
  const n = Number(b.metadata?.annotations?.[BUILD_NUMBER_ANNOTATION]);
  return Number.isSafeInteger(n) ? n : -1;
};

const created = (b: BuildLike): number => {
  const t = Date.parse(b.metadata?.creationTimestamp ?? '');
  return Number.isNaN(t) ? -1 : t;
};

/**
 * Builds of `bcName` (a label selector may match builds another BuildConfig made, if its name was
 * truncated into the label), by build number then creation time, the newest `limit`.
 */
export function recentBuilds(
  builds: readonly BuildLike[],
  bcName: string,
  limit: number,
): BuildLike[] {
  return builds
    .filter((b) => {
      const owner = b.metadata?.annotations?.[BUILD_CONFIG_NAME_ANNOTATION];
      return owner === undefined || owner === bcName;
    })
    .sort((a, b) => number(b) - number(a) || created(b) - created(a))
    .slice(0, limit);
}
