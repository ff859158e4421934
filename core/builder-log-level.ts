// The builder prints its user-namespace start-up line, the only runtime evidence there is, only at
// BUILD_LOGLEVEL>=2. A policy with runtimeEvidence: Enabled has the webhook raise a build that did
// not choose a level to 2; a build that set any level itself keeps it.
import { isBuildContainer } from './build-pod';
import { strategyEnv } from './decision';
import type { Build, EnvVar, PatchOperation, Pod } from './types';

export const BUILD_LOGLEVEL_ENV = 'BUILD_LOGLEVEL';
/** The lowest level at which the builder logs its user namespace. */
export const EVIDENCE_LOG_LEVEL = '2';

const setsLogLevel = (env: EnvVar[] | undefined): boolean =>
  Array.isArray(env) && env.some((e) => e?.name === BUILD_LOGLEVEL_ENV);

/**
 * Operations adding BUILD_LOGLEVEL=2 to the build container's env, unless the container or the
 * Build's strategy env already names BUILD_LOGLEVEL. Applied once, they plan nothing more.
 */
export function builderLogLevelOperations(pod: Pod, build: Build | undefined): PatchOperation[] {
  if (setsLogLevel(strategyEnv(build))) return [];
  const containers = Array.isArray(pod.spec?.containers) ? pod.spec.containers : [];
  const operations: PatchOperation[] = [];
  containers.forEach((container, index) => {
    if (typeof container?.name !== 'string' || !isBuildContainer(container.name)) return;
    const env = container.env;
    if (setsLogLevel(env)) return;
    const entry: EnvVar = { name: BUILD_LOGLEVEL_ENV, value: EVIDENCE_LOG_LEVEL };
    const path = `/spec/containers/${index}/env`;
    operations.push(
      Array.isArray(env)
        ? { op: 'add', path: `${path}/-`, value: entry }
        : { op: 'add', path, value: [entry] },
    );
  });
  return operations;
}
