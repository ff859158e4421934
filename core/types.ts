// The slices of Kubernetes and OpenShift objects that core reads. Each type names only the fields
// core uses, plus an index signature where a real object carries more that must pass through
// untouched.

export type StringMap = Record<string, string>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: StringMap;
  annotations?: StringMap;
  ownerReferences?: OwnerReference[];
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

export interface Capabilities {
  add?: string[];
  drop?: string[];
}

export interface SeccompProfile {
  type: 'Unconfined' | 'RuntimeDefault' | 'Localhost';
  localhostProfile?: string;
}

export interface SecurityContext {
  privileged?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  procMount?: string;
  capabilities?: Capabilities;
  seccompProfile?: SeccompProfile;
  [extra: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  securityContext?: SecurityContext | null;
  [extra: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  hostUsers?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  serviceAccountName?: string;
  restartPolicy?: string;
  nodeSelector?: StringMap;
  [extra: string]: unknown;
}

export interface Pod {
  apiVersion?: 'v1';
  kind?: 'Pod';
  metadata: ObjectMeta;
  spec: PodSpec;
  status?: { phase?: string; [extra: string]: unknown };
}

// build.openshift.io/v1
export type BuildStrategyType = 'Docker' | 'Source' | 'Custom' | 'JenkinsPipeline';

export interface BuildStrategy {
  type: BuildStrategyType;
  dockerStrategy?: { env?: EnvVar[]; [extra: string]: unknown };
  sourceStrategy?: { env?: EnvVar[]; [extra: string]: unknown };
  customStrategy?: { env?: EnvVar[]; [extra: string]: unknown };
  jenkinsPipelineStrategy?: { env?: EnvVar[]; [extra: string]: unknown };
}

export interface BuildSource {
  type?: string;
  git?: { uri: string; ref?: string };
  dockerfile?: string;
  images?: unknown[];
  [extra: string]: unknown;
}

export interface CommonBuildSpec {
  serviceAccount?: string;
  source?: BuildSource;
  strategy: BuildStrategy;
  output?: { to?: { kind: string; name: string; namespace?: string } };
  [extra: string]: unknown;
}

export type BuildPhase =
  'New' | 'Pending' | 'Running' | 'Complete' | 'Failed' | 'Error' | 'Cancelled';

export interface Build {
  apiVersion?: 'build.openshift.io/v1';
  kind?: 'Build';
  metadata: ObjectMeta;
  spec: CommonBuildSpec & { triggeredBy?: unknown[] };
  status?: {
    phase?: BuildPhase;
    startTimestamp?: string;
    completionTimestamp?: string;
    duration?: number;
    config?: { kind?: string; name: string; namespace?: string };
    [extra: string]: unknown;
  };
}

export interface BuildConfig {
  apiVersion?: 'build.openshift.io/v1';
  kind?: 'BuildConfig';
  metadata: ObjectMeta;
  spec: CommonBuildSpec & { runPolicy?: string; triggers?: unknown[] };
  status?: { lastVersion?: number };
}

// config.openshift.io/v1 Build, name "cluster". It has no annotations field: that gap is one
// reason this product exists.
export interface ClusterBuildConfig {
  apiVersion?: 'config.openshift.io/v1';
  kind?: 'Build';
  metadata: ObjectMeta;
  spec: {
    buildDefaults?: {
      defaultProxy?: unknown;
      gitProxy?: unknown;
      env?: EnvVar[];
      imageLabels?: { name: string; value?: string }[];
      resources?: unknown;
    };
    buildOverrides?: {
      imageLabels?: { name: string; value?: string }[];
      nodeSelector?: StringMap;
      tolerations?: unknown[];
      forcePull?: boolean;
    };
    additionalTrustedCA?: { name: string };
  };
}

// userns.builds.dev/v1alpha1 BuildPolicy, name "cluster" (docs/architecture.md#the-buildpolicy).
export type UserNamespaceDefault = 'Enabled' | 'Disabled';
export type UserNamespaceOverride = 'Required' | 'None';
export type UserNamespaceMode = 'CRIOAnnotation' | 'HostUsers' | 'Both';
/** Enabled: the webhook sets BUILD_LOGLEVEL=2 on build containers that do not choose a level. */
export type RuntimeEvidence = 'Enabled' | 'Disabled';

export interface BuildPolicySpec {
  userNamespaces?: {
    default?: UserNamespaceDefault;
    override?: UserNamespaceOverride;
    mode?: UserNamespaceMode;
    exemptNamespaces?: string[];
  };
  buildDefaults?: { annotations?: StringMap };
  buildOverrides?: { annotations?: StringMap };
  passthroughAnnotations?: string[];
  runtimeEvidence?: RuntimeEvidence;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface BuildPolicy {
  apiVersion: 'userns.builds.dev/v1alpha1';
  kind: 'BuildPolicy';
  metadata: ObjectMeta;
  spec: BuildPolicySpec;
  status?: { conditions?: Condition[]; observedGeneration?: number };
}

/** A BuildPolicy spec with every default filled in: what the decision and the plan read. */
export interface EffectivePolicy {
  userNamespaces: {
    default: UserNamespaceDefault;
    override: UserNamespaceOverride;
    mode: UserNamespaceMode;
    exemptNamespaces: string[];
  };
  buildDefaults: { annotations: StringMap };
  buildOverrides: { annotations: StringMap };
  passthroughAnnotations: string[];
  runtimeEvidence: RuntimeEvidence;
}

/** One RFC 6902 operation. Plans use only add/replace/remove, always with JSON Pointer paths. */
export type PatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

export interface DroppedAnnotation {
  key: string;
  value: string;
  /**
   * Where it came from: passthrough (the Build or the BuildConfig), the policy's own annotation
   * maps, or the pod itself (a CRI-O value the pod carried, replaced by a safe one).
   */
  from: 'Build' | 'BuildConfig' | 'buildDefaults' | 'buildOverrides' | 'Pod';
  reason: string;
}
