// The build pod exactly as OpenShift's build controller (openshift-controller-manager) makes it
// (docs/architecture.md#openshift-build-pods): containers per strategy, the BUILD env var, and the privileged or
// BUILD_PRIVILEGED=false security shape. Pure: the controller decides when, this decides what.
import {
  BUILD_ENV,
  BUILD_NAME_ANNOTATION,
  BUILD_NAME_LABEL,
  BUILD_PRIVILEGED_ENV,
  EXTRACT_IMAGE_CONTENT_CONTAINER,
  unprivilegedSecurityContext,
  USERNS_POD_ANNOTATIONS,
  type Build,
  type ClusterBuildConfig,
  type Container,
  type EnvVar,
  type Pod,
  type SecurityContext,
} from '@userns-builds/core';

export const BUILDER_IMAGE =
  'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:3f5d1a2b4c6e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e7f801';

/** Strategy env names the controller copies into the builder's env (the rest stays in BUILD). */
const WHITELISTED_ENV = new Set([
  'BUILD_LOGLEVEL',
  'GIT_SSL_NO_VERIFY',
  'GIT_LFS_SKIP_SMUDGE',
  'LANG',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'BUILD_CA_CERT',
]);

export function strategyEnv(build: Pick<Build, 'spec'>): EnvVar[] {
  const s = build.spec.strategy;
  return (
    (s.dockerStrategy ?? s.sourceStrategy ?? s.customStrategy ?? s.jenkinsPipelineStrategy)?.env ??
    []
  );
}

/** BUILD_PRIVILEGED: a bool, or an integer where non-zero means true; absent means privileged. */
export function isPrivileged(build: Pick<Build, 'spec'>): boolean {
  const v = strategyEnv(build).find((e) => e.name === BUILD_PRIVILEGED_ENV)?.value;
  if (v === undefined) return true;
  const lower = v.trim().toLowerCase();
  if (['true', 't', '1'].includes(lower)) return true;
  if (['false', 'f', '0'].includes(lower)) return false;
  const n = Number.parseInt(lower, 10);
  return Number.isNaN(n) ? true : n !== 0;
}

export function privilegedSecurityContext(): SecurityContext {
  return { privileged: true, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'Unconfined' } };
}

function minimalSecurityContext(): SecurityContext {
  return {
    privileged: false,
    runAsUser: 0,
    capabilities: { add: ['CHOWN', 'DAC_OVERRIDE'], drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

const CONFIG_ENV: EnvVar[] = [
  {
    name: 'BUILD_REGISTRIES_CONF_PATH',
    value: '/var/run/configs/openshift.io/build-system/registries.conf',
  },
  {
    name: 'BUILD_REGISTRIES_DIR_PATH',
    value: '/var/run/configs/openshift.io/build-system/registries.d',
  },
  {
    name: 'BUILD_SIGNATURE_POLICY_PATH',
    value: '/var/run/configs/openshift.io/build-system/policy.json',
  },
  {
    name: 'BUILD_STORAGE_CONF_PATH',
    value: '/var/run/configs/openshift.io/build-system/storage.conf',
  },
  { name: 'BUILD_BLOBCACHE_DIR', value: '/var/cache/blobs' },
];

const COMMON_MOUNTS = [
  { name: 'buildworkdir', mountPath: '/tmp/build' },
  {
    name: 'build-system-configs',
    readOnly: true,
    mountPath: '/var/run/configs/openshift.io/build-system',
  },
  { name: 'build-ca-bundles', mountPath: '/var/run/configs/openshift.io/certs' },
  { name: 'build-proxy-ca-bundles', mountPath: '/var/run/configs/openshift.io/pki' },
  { name: 'build-blob-cache', mountPath: '/var/cache/blobs' },
];

export function logLevelOf(build: Pick<Build, 'spec'>): number {
  const v = strategyEnv(build).find((e) => e.name === 'BUILD_LOGLEVEL')?.value;
  // The emulator behaves as if BUILD_LOGLEVEL=2 unless a build sets it, so logs carry evidence.
  const n = v === undefined ? 2 : Number.parseInt(v, 10);
  return Number.isNaN(n) ? 0 : n;
}

export interface BuildPodInput {
  build: Build;
  clusterConfig?: ClusterBuildConfig | undefined;
  /** Name of the builder service account's dockercfg secret. */
  pushSecret?: string;
}

export function buildPodFor({
  build,
  clusterConfig,
  pushSecret = 'builder-dockercfg-demo',
}: BuildPodInput): Pod {
  const name = build.metadata.name!;
  const ns = build.metadata.namespace!;
  const strategy = build.spec.strategy;
  const privileged = isPrivileged(build);
  const buildContext = privileged ? privilegedSecurityContext() : unprivilegedSecurityContext();
  const source = build.spec.source ?? {};
  const git = source.git;
  // Encoded before cluster defaults are applied, as the controller does.
  const buildJson = JSON.stringify({
    kind: 'Build',
    apiVersion: 'build.openshift.io/v1',
    ...build,
    status: undefined,
  });
  const level = logLevelOf(build);
  const args = [`--loglevel=${level}`];
  const proxyEnv: EnvVar[] = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'].map((n) => ({
    name: n,
    value: '',
  }));
  const gitEnv: EnvVar[] = git
    ? [
        { name: 'SOURCE_REPOSITORY', value: git.uri },
        { name: 'SOURCE_URI', value: git.uri },
        ...(git.ref ? [{ name: 'SOURCE_REF', value: git.ref }] : []),
      ]
    : [];
  const head: EnvVar[] = [
    { name: BUILD_ENV, value: buildJson },
    { name: 'LANG', value: 'C.utf8' },
  ];
  const helper = (
    cname: string,
    command: string,
    withGit: boolean,
    ctx: SecurityContext,
  ): Container => ({
    name: cname,
    image: BUILDER_IMAGE,
    command: [command],
    args,
    env: [...head, ...(withGit ? gitEnv : []), ...CONFIG_ENV, ...proxyEnv],
    resources: {},
    volumeMounts: COMMON_MOUNTS,
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'FallbackToLogsOnError',
    imagePullPolicy: 'IfNotPresent',
    securityContext: ctx,
  });

  const storageMounts = [
    { name: 'container-storage-root', mountPath: '/var/lib/containers/storage' },
    { name: 'container-storage-run', mountPath: '/var/run/containers/storage' },
    { name: `${pushSecret}-push`, readOnly: true, mountPath: '/var/run/secrets/openshift.io/push' },
  ];
  const initContainers: Container[] = [];
  if (strategy.type === 'Docker' || strategy.type === 'Source') {
    if (git)
      initContainers.push(
        helper('git-clone', 'openshift-git-clone', true, minimalSecurityContext()),
      );
    if (source.images?.length) {
      // It pulls images, so it needs container storage and the pull secret like the build.
      initContainers.push({
        ...helper(
          EXTRACT_IMAGE_CONTENT_CONTAINER,
          'openshift-extract-image-content',
          false,
          structuredClone(buildContext),
        ),
        volumeMounts: [...COMMON_MOUNTS, ...storageMounts],
      });
    }
    initContainers.push(
      helper('manage-dockerfile', 'openshift-manage-dockerfile', false, minimalSecurityContext()),
    );
  }

  const whitelisted = strategyEnv(build).filter(
    (e) => strategy.type === 'Custom' || WHITELISTED_ENV.has(e.name),
  );
  const defaultsEnv = clusterConfig?.spec.buildDefaults?.env ?? [];
  const mainEnv = mergeEnv([
    ...head,
    ...gitEnv,
    ...(build.spec.output?.to
      ? [{ name: 'PUSH_DOCKERCFG_PATH', value: '/var/run/secrets/openshift.io/push' }]
      : []),
    ...CONFIG_ENV,
    ...proxyEnv,
    ...whitelisted,
    // Applied after the security context was decided: a BUILD_PRIVILEGED here changes nothing.
    ...defaultsEnv,
  ]);
  const main: Container =
    strategy.type === 'Custom'
      ? {
          name: 'custom-build',
          image:
            (strategy.customStrategy as { from?: { name?: string } } | undefined)?.from?.name ??
            BUILDER_IMAGE,
          env: mainEnv,
          resources: {},
          volumeMounts: [...COMMON_MOUNTS, ...storageMounts],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'FallbackToLogsOnError',
          imagePullPolicy: 'IfNotPresent',
          securityContext: buildContext,
        }
      : {
          ...helper(
            strategy.type === 'Docker' ? 'docker-build' : 'sti-build',
            strategy.type === 'Docker' ? 'openshift-docker-build' : 'openshift-sti-build',
            true,
            buildContext,
          ),
          env: mainEnv,
          volumeMounts: [...COMMON_MOUNTS, ...storageMounts],
        };

  const overrides = clusterConfig?.spec.buildOverrides;
  const nodeSelector = {
    ...((build.spec.nodeSelector as Record<string, string> | undefined) ?? {
      'kubernetes.io/os': 'linux',
    }),
    ...overrides?.nodeSelector,
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-build`,
      namespace: ns,
      labels: { [BUILD_NAME_LABEL]: name },
      annotations: { [BUILD_NAME_ANNOTATION]: name, ...(privileged ? {} : USERNS_POD_ANNOTATIONS) },
      ownerReferences: [
        {
          apiVersion: 'build.openshift.io/v1',
          kind: 'Build',
          name,
          uid: build.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: {
      volumes: [
        { name: 'buildworkdir', emptyDir: {} },
        { name: 'build-blob-cache', emptyDir: {} },
        { name: 'container-storage-root', emptyDir: {} },
        { name: 'container-storage-run', emptyDir: {} },
        {
          name: 'build-system-configs',
          configMap: { name: `${name}-sys-config`, defaultMode: 420 },
        },
        { name: 'build-ca-bundles', configMap: { name: `${name}-ca`, defaultMode: 420 } },
        {
          name: 'build-proxy-ca-bundles',
          configMap: { name: `${name}-global-ca`, defaultMode: 420 },
        },
        { name: `${pushSecret}-push`, secret: { secretName: pushSecret, defaultMode: 384 } },
      ],
      ...(initContainers.length ? { initContainers } : {}),
      containers: [main],
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      nodeSelector,
      ...(overrides?.tolerations ? { tolerations: overrides.tolerations } : {}),
      serviceAccountName: build.spec.serviceAccount ?? 'builder',
      serviceAccount: build.spec.serviceAccount ?? 'builder',
      securityContext: {},
      imagePullSecrets: [{ name: pushSecret }],
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      priority: 0,
    },
  };
}

/** Later entries win, keeping the first position of each name. */
function mergeEnv(env: EnvVar[]): EnvVar[] {
  const out = new Map<string, EnvVar>();
  for (const e of env) out.set(e.name, e);
  return [...out.values()];
}
