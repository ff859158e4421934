// Recognising an OpenShift build pod and reading what the build controller put into it (docs/architecture.md#openshift-build-pods).
import {
  BUILD_CONTAINERS,
  BUILD_ENV,
  BUILD_NAME_LABEL,
  EXTRACT_IMAGE_CONTENT_CONTAINER,
} from './constants';
import { isObject } from './json';
import { formatReason, reason } from './reasons';
import type { ReasonMessage } from './reasons';
import type { Build, Container, EnvVar, Pod } from './types';

const buildContainerNames: ReadonlySet<string> = new Set(BUILD_CONTAINERS);

/** Containers that get the build security context: the build container and image extraction. */
export function getsBuildSecurityContext(name: string): boolean {
  return buildContainerNames.has(name) || name === EXTRACT_IMAGE_CONTENT_CONTAINER;
}

export function isBuildContainer(name: string): boolean {
  return buildContainerNames.has(name);
}

// Admission hands us whatever the client sent, so every read tolerates missing or mistyped parts.
export function containersOf(pod: Pod | undefined): Container[] {
  const list = pod?.spec?.containers;
  return Array.isArray(list) ? list.filter(isContainer) : [];
}

export function initContainersOf(pod: Pod | undefined): Container[] {
  const list = pod?.spec?.initContainers;
  return Array.isArray(list) ? list.filter(isContainer) : [];
}

function isContainer(value: unknown): value is Container {
  return (
    typeof value === 'object' && value !== null && typeof (value as Container).name === 'string'
  );
}

export function buildNameOf(pod: Pod | undefined): string | undefined {
  const labels = pod?.metadata?.labels;
  const name = labels && typeof labels === 'object' ? labels[BUILD_NAME_LABEL] : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** Why a pod is not a build pod, or undefined when it is one. */
export function notABuildPodMessage(pod: Pod): ReasonMessage | undefined {
  if (buildNameOf(pod) === undefined)
    return reason('NoBuildNameLabel', { label: BUILD_NAME_LABEL });
  if (!containersOf(pod).some((c) => isBuildContainer(c.name))) {
    return reason('NoBuildContainer', { containers: BUILD_CONTAINERS.join(', ') });
  }
  return undefined;
}

/** notABuildPodMessage in English. */
export function notABuildPodReason(pod: Pod): string | undefined {
  const message = notABuildPodMessage(pod);
  return message && formatReason(message);
}

/** Reads the Build a build pod carries JSON-encoded in its build container's BUILD env var. */
export function buildFromPod(pod: Pod): Build | undefined {
  // The build container is authoritative; init containers carry the same value as a fallback.
  const all = [...containersOf(pod), ...initContainersOf(pod)];
  const ordered = [
    ...all.filter((c) => isBuildContainer(c.name)),
    ...all.filter((c) => !isBuildContainer(c.name)),
  ];
  for (const container of ordered) {
    const raw = envValue(container.env, BUILD_ENV);
    if (raw === undefined) continue;
    const build = decodeBuild(raw);
    if (build) return build;
  }
  return undefined;
}

function envValue(env: EnvVar[] | undefined, name: string): string | undefined {
  if (!Array.isArray(env)) return undefined;
  const found = env.find((e) => typeof e === 'object' && e !== null && e.name === name);
  return typeof found?.value === 'string' ? found.value : undefined;
}

function decodeBuild(raw: string): Build | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !isObject(parsed.spec) || !isObject(parsed.spec.strategy)) {
    return undefined;
  }
  const metadata = isObject(parsed.metadata) ? parsed.metadata : {};
  return { ...parsed, metadata, spec: parsed.spec } as unknown as Build;
}

/**
 * Why a pod's creator is not one the policy trusts to make build pods, or undefined when it is.
 * Anyone who may create pods can put the build label on one; only the identity of the request
 * (`request.userInfo` of the AdmissionReview, set by the API server) says who really made it.
 */
export function untrustedCreatorReason(
  userInfo: unknown,
  trusted: readonly string[],
): string | undefined {
  const username =
    typeof userInfo === 'object' && userInfo !== null
      ? (userInfo as { username?: unknown }).username
      : undefined;
  if (typeof username === 'string' && trusted.includes(username)) return undefined;
  const who =
    typeof username === 'string' && username !== '' ? JSON.stringify(username) : 'an unnamed user';
  return `The pod was created by ${who}, not by the build controller, so it is not treated as a build pod.`;
}
