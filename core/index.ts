export * from './types';
export * from './constants';
export * from './policy';
export * from './decision';
export * from './plan';
export * from './verdict';
export * from './record';
export {
  BUILD_LOGLEVEL_ENV,
  EVIDENCE_LOG_LEVEL,
  builderLogLevelOperations,
} from './builder-log-level';
export * from './validate';
export { isObject } from './json';
export * from './reasons';
export * from './enforcement';
export {
  buildNameOf,
  containersOf,
  getsBuildSecurityContext,
  isBuildContainer,
  notABuildPodMessage,
  notABuildPodReason,
  untrustedCreatorReason,
} from './build-pod';
export {
  crioAnnotationHazard,
  devicesHazard,
  FIRST_SUBORDINATE_ID,
  parseUsernsMode,
  unsafeCrioAnnotations,
  usernsModeHazard,
} from './userns-mode';
export type { IdMapping, UnsafeAnnotation, UsernsMode, UsernsModeParse } from './userns-mode';
export {
  annotationsSize,
  dnsLabelErrors,
  escapePointer,
  qualifiedNameErrors,
  subdomainErrors,
  TOTAL_ANNOTATION_SIZE_MAX,
} from './names';
