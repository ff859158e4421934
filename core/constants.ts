// Names OpenShift and CRI-O define (docs/architecture.md#openshift-build-pods) and the ones this
// product owns (docs/architecture.md#annotations-we-own).

export const BUILD_NAME_LABEL = 'openshift.io/build.name';
export const BUILD_NAME_ANNOTATION = 'openshift.io/build.name';
export const BUILD_POD_NAME_ANNOTATION = 'openshift.io/build.pod-name';
export const BUILD_CONFIG_NAME_ANNOTATION = 'openshift.io/build-config.name';
export const BUILD_PRIVILEGED_ENV = 'BUILD_PRIVILEGED';
export const BUILD_ENV = 'BUILD';

export const CRIO_BUILDER_ANNOTATION = 'io.openshift.builder';
export const CRIO_USERNS_ANNOTATION = 'io.kubernetes.cri-o.userns-mode';
export const CRIO_DEVICES_ANNOTATION = 'io.kubernetes.cri-o.Devices';
export const CRIO_USERNS_VALUE = 'auto:size=65536';
export const CRIO_DEVICES_VALUE = '/dev/fuse:rwm';

/**
 * The identity openshift-controller-manager's build controller uses to create build pods: service
 * account `build-controller` in `openshift-infra` (pkg/cmd/controller/config.go and build.go in
 * https://github.com/openshift/openshift-controller-manager).
 */
export const BUILD_CONTROLLER_USER = 'system:serviceaccount:openshift-infra:build-controller';

export const BUILD_CONTAINERS = ['docker-build', 'sti-build', 'custom-build'] as const;
export const EXTRACT_IMAGE_CONTENT_CONTAINER = 'extract-image-content';
export const MINIMAL_CONTEXT_CONTAINERS = ['git-clone', 'manage-dockerfile'] as const;

export const OWN_PREFIX = 'userns.builds.dev/';
/** On the pod: "true" or "false", what was decided. */
export const DECISION_ANNOTATION = `${OWN_PREFIX}user-namespaces`;
/** On the pod: which rule decided (a DecisionSource). */
export const DECISION_SOURCE_ANNOTATION = `${OWN_PREFIX}decision-source`;
/** On the Build: a Verdict. */
export const VERDICT_ANNOTATION = `${OWN_PREFIX}verdict`;
/** On the Build: the evidence behind the verdict, one line. */
export const EVIDENCE_ANNOTATION = `${OWN_PREFIX}evidence`;
/**
 * On the Build: the `metadata.uid` of the Build the record was written for. A Rebuild copies every
 * annotation of the old Build onto the new one; only a record bound to the Build's own uid is its.
 */
export const RECORDED_FOR_ANNOTATION = `${OWN_PREFIX}recorded-for`;
/** Every annotation the recorder writes on a Build, the binding last. */
export const RECORD_ANNOTATIONS = [
  VERDICT_ANNOTATION,
  EVIDENCE_ANNOTATION,
  DECISION_SOURCE_ANNOTATION,
  RECORDED_FOR_ANNOTATION,
] as const;

export const POLICY_GROUP = 'userns.builds.dev';
export const POLICY_VERSION = 'v1alpha1';
export const POLICY_KIND = 'BuildPolicy';
export const POLICY_PLURAL = 'buildpolicies';
export const POLICY_NAME = 'cluster';
