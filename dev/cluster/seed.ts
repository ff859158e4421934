// What a fresh emulator contains. `bootstrap` is what every cluster has (system namespaces, the
// cluster Build config, our CRD); `seedDemo` adds a deterministic, realistic-looking history.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  BUILD_CONFIG_NAME_ANNOTATION,
  BUILD_POD_NAME_ANNOTATION,
  EVIDENCE_ANNOTATION,
  POLICY_GROUP,
  POLICY_KIND,
  POLICY_NAME,
  POLICY_PLURAL,
  POLICY_VERSION,
  RECORDED_FOR_ANNOTATION,
  VERDICT_ANNOTATION,
  classifyBuild,
  type Build,
} from '@userns-builds/core';
import type { Api, RequestContext } from './api';
import { preamble } from './buildlog';
import { buildPodFor } from './buildpod';
import { BUILDCONFIGS_KEY, BUILDS_KEY } from './builds';
import { DEVELOPER_NAMESPACES } from './rbac';
import type { KubeObject } from './types';

export const BUILDPOLICY_CRD_PATH = join(
  __dirname,
  '..',
  '..',
  'deploy',
  'crd',
  'buildpolicy.yaml',
);

const SYSTEM_NAMESPACES = [
  'default',
  'kube-system',
  'openshift',
  'openshift-infra',
  'openshift-config',
  'userns-builds',
];

export const APP_NAMESPACES = [
  ...DEVELOPER_NAMESPACES,
  'payments',
  'checkout',
  'search',
  'inventory',
  'ml-platform',
  'data-eng',
  'web-frontend',
  'mobile-api',
  'identity',
  'billing',
  'notifications',
  'analytics',
  'platform-tools',
  'qa-sandbox',
  'partner-portal',
  'legacy-erp',
  'observability',
];

const SYSTEM: RequestContext = {
  user: {
    username: 'system:admin',
    uid: 'a0000000-0000-4000-8000-000000000000',
    groups: ['system:masters'],
  },
  dryRun: false,
  warnings: [],
};

/** mulberry32: small, fast, and the same sequence on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

async function ensure(api: Api, group: string, resource: string, obj: KubeObject): Promise<void> {
  const def = api.registry.all().find((d) => d.group === group && d.resource === resource);
  if (!def) return;
  const ns = obj.metadata.namespace;
  if (
    api.store.get(
      `${def.group ? `${resource}.${group}` : resource}`,
      def.namespaced ? ns : undefined,
      obj.metadata.name!,
    )
  )
    return;
  await api.create(def, ns, obj, { ...SYSTEM, warnings: [] });
}

export async function bootstrap(api: Api, crdPath = BUILDPOLICY_CRD_PATH): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) await ensure(api, '', 'namespaces', { metadata: { name } });
  await ensure(api, 'config.openshift.io', 'builds', {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Build',
    metadata: {
      name: 'cluster',
      annotations: { 'include.release.openshift.io/self-managed-high-availability': 'true' },
    },
    spec: {},
  });
  // Written by another part of the repo; the emulator serves it whenever it exists.
  if (existsSync(crdPath)) {
    await ensure(
      api,
      'apiextensions.k8s.io',
      'customresourcedefinitions',
      parse(readFileSync(crdPath, 'utf8')) as KubeObject,
    );
  }
}

export interface SeedOptions {
  builds?: number;
  /** App namespaces: the 20 named ones first (at least team-a/b/c), then tenant-0001, … */
  namespaces?: number;
  buildConfigs?: number;
  seed?: number;
  now?: number;
}

type Strategy = 'Docker' | 'Source' | 'Custom';

/** The demo's namespaces: the named ones, then numbered tenants; never fewer than the developer's. */
export function appNamespaces(count: number): string[] {
  const n = Math.max(DEVELOPER_NAMESPACES.length, Math.floor(count));
  const named = APP_NAMESPACES.slice(0, n);
  const extra = Array.from(
    { length: n - named.length },
    (_, i) => `tenant-${String(i + 1).padStart(4, '0')}`,
  );
  return [...named, ...extra];
}

export async function seedDemo(api: Api, opts: SeedOptions = {}): Promise<void> {
  const rand = prng(opts.seed ?? 20251120);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const now = opts.now ?? Date.now();
  const totalBuilds = opts.builds ?? 5000;
  const totalBcs = opts.buildConfigs ?? 100;
  const namespaces = appNamespaces(opts.namespaces ?? APP_NAMESPACES.length);

  for (const name of namespaces) {
    await ensure(api, '', 'namespaces', {
      metadata: {
        name,
        labels: { 'userns-builds.dev/demo': 'true' },
        annotations: {
          'openshift.io/display-name': name
            .replace(/-/g, ' ')
            .replace(/\b\w/g, (c) => c.toUpperCase()),
          'openshift.io/requester': 'developer',
        },
      },
    });
  }
  if (api.registry.all().some((d) => d.group === POLICY_GROUP && d.resource === POLICY_PLURAL)) {
    await ensure(api, POLICY_GROUP, POLICY_PLURAL, {
      apiVersion: `${POLICY_GROUP}/${POLICY_VERSION}`,
      kind: POLICY_KIND,
      metadata: { name: POLICY_NAME },
      spec: {
        userNamespaces: {
          default: 'Disabled',
          override: 'None',
          mode: 'CRIOAnnotation',
          exemptNamespaces: ['legacy-erp'],
        },
      },
    });
  }

  // BuildConfigs: a mix of strategies; some opted in to user namespaces, a few explicitly out.
  const apps = [
    'frontend',
    'api',
    'worker',
    'gateway',
    'reports',
    'auth',
    'cart',
    'indexer',
    'notifier',
    'scheduler',
  ];
  const bcs: {
    obj: KubeObject;
    strategy: Strategy;
    privileged: boolean | undefined;
    builds: number;
    failRate: number;
  }[] = [];
  for (let i = 0; i < totalBcs; i++) {
    const ns = namespaces[i % namespaces.length]!;
    const app = `${apps[Math.floor(i / namespaces.length) % apps.length]}${i >= namespaces.length * apps.length ? `-${i}` : ''}`;
    const r = rand();
    const strategy: Strategy = r < 0.5 ? 'Source' : r < 0.9 ? 'Docker' : 'Custom';
    const p = rand();
    const privileged = p < 0.25 ? false : p < 0.3 ? true : undefined;
    const env = [
      ...(privileged === undefined
        ? []
        : [{ name: 'BUILD_PRIVILEGED', value: String(privileged) }]),
      { name: 'BUILD_LOGLEVEL', value: rand() < 0.7 ? '2' : '0' },
    ];
    const git = { uri: `https://git.example.com/${ns}/${app}.git`, ref: 'main' };
    const strategyBody =
      strategy === 'Docker'
        ? { type: 'Docker', dockerStrategy: { env } }
        : strategy === 'Source'
          ? {
              type: 'Source',
              sourceStrategy: {
                from: {
                  kind: 'ImageStreamTag',
                  namespace: 'openshift',
                  name: pick(['nodejs:20-ubi9', 'python:3.12-ubi9', 'java:21', 'golang:1.23']),
                },
                env,
              },
            }
          : {
              type: 'Custom',
              customStrategy: {
                from: { kind: 'DockerImage', name: 'quay.io/example/custom-builder:1.4' },
                env,
              },
            };
    bcs.push({
      strategy,
      privileged,
      builds: 0,
      failRate: 0.05 + rand() * 0.2,
      obj: {
        apiVersion: 'build.openshift.io/v1',
        kind: 'BuildConfig',
        metadata: {
          name: app,
          namespace: ns,
          uid: uuid(rand),
          generation: 1,
          creationTimestamp: iso(now - 45 * 86_400_000 - rand() * 30 * 86_400_000),
          labels: { app },
        },
        spec: {
          runPolicy: 'Serial',
          source: strategy === 'Custom' ? { type: 'None' } : { type: 'Git', git },
          strategy: strategyBody,
          output: { to: { kind: 'ImageStreamTag', name: `${app}:latest` } },
          triggers: [{ type: 'ConfigChange' }],
          successfulBuildsHistoryLimit: 5,
          failedBuildsHistoryLimit: 5,
        },
        status: { lastVersion: 0 },
      },
    });
  }

  // Builds: start times spread over 30 days, then numbered in time order per BuildConfig.
  const starts = Array.from({ length: totalBuilds }, () => ({
    at: now - rand() * 30 * 86_400_000,
    bc: Math.floor(rand() * bcs.length),
  }));
  starts.sort((a, b) => a.at - b.at);
  const builds: KubeObject[] = [];
  for (const s of starts) {
    const bc = bcs[s.bc]!;
    const n = ++bc.builds;
    const bcName = bc.obj.metadata.name!;
    const ns = bc.obj.metadata.namespace!;
    const name = `${bcName}-${n}`;
    const o = rand();
    const phase =
      o < bc.failRate
        ? 'Failed'
        : o < bc.failRate + 0.03
          ? 'Cancelled'
          : o < bc.failRate + 0.05
            ? 'Error'
            : 'Complete';
    const durationS = Math.round(30 + Math.exp(rand() * 6.5));
    const created = s.at;
    const started = created + 1000 + rand() * 15_000;
    const completed = started + durationS * 1000;
    const annotations: Record<string, string> = {
      [BUILD_CONFIG_NAME_ANNOTATION]: bcName,
      'openshift.io/build.number': String(n),
      [BUILD_POD_NAME_ANNOTATION]: `${name}-build`,
    };
    // Builds since the backend was installed (the last ~3 weeks) carry its verdict, judged by
    // core from the pod OpenShift makes for the build and the builder's own log, as the recorder
    // would have judged them while their pods existed.
    const recorded = created > now - 21 * 86_400_000 && phase !== 'Cancelled' && rand() < 0.85;
    const {
      runPolicy: _r,
      triggers: _t,
      successfulBuildsHistoryLimit: _s,
      failedBuildsHistoryLimit: _f,
      ...spec
    } = bc.obj.spec as Record<string, unknown>;
    builds.push({
      apiVersion: 'build.openshift.io/v1',
      kind: 'Build',
      metadata: {
        name,
        namespace: ns,
        uid: uuid(rand),
        generation: 1,
        creationTimestamp: iso(created),
        labels: {
          app: bcName,
          buildconfig: bcName,
          [BUILD_CONFIG_NAME_ANNOTATION]: bcName,
          'openshift.io/build.start-policy': 'Serial',
        },
        annotations,
        ownerReferences: [
          {
            apiVersion: 'build.openshift.io/v1',
            kind: 'BuildConfig',
            name: bcName,
            uid: bc.obj.metadata.uid!,
            controller: true,
          },
        ],
      },
      spec: {
        ...spec,
        triggeredBy: [
          { message: rand() < 0.6 ? 'Manually triggered' : 'Build configuration change' },
        ],
      },
      status: {
        phase,
        startTimestamp: iso(started),
        ...(phase === 'Cancelled'
          ? { completionTimestamp: iso(started + 5000), duration: 5e9 }
          : { completionTimestamp: iso(completed), duration: durationS * 1e9 }),
        config: { kind: 'BuildConfig', namespace: ns, name: bcName },
        outputDockerImageReference: `image-registry.openshift-image-registry.svc:5000/${ns}/${bcName}:latest`,
        ...(phase === 'Failed'
          ? {
              reason: 'GenericBuildFailed',
              message: 'Generic Build failure - check logs for details.',
            }
          : phase === 'Error'
            ? {
                reason: 'BuildPodEvicted',
                message: 'The node was low on resource: ephemeral-storage.',
              }
            : {}),
      },
    });
    if (recorded) {
      const build = builds[builds.length - 1] as unknown as Build;
      Object.assign(annotations, recordedVerdict(build, new Date(started)));
    }
  }
  for (const bc of bcs) (bc.obj.status as { lastVersion: number }).lastVersion = bc.builds;
  api.store.bulkInsert(
    BUILDCONFIGS_KEY,
    bcs.map((b) => b.obj),
  );
  api.store.bulkInsert(BUILDS_KEY, builds);
}

/**
 * The verdict annotations the recorder writes, computed by core from this build's pod and log, and
 * bound to this Build's uid as the recorder binds them.
 */
function recordedVerdict(build: Build, startedAt: Date): Record<string, string> {
  const pod = buildPodFor({ build });
  pod.metadata.uid = build.metadata.uid;
  const log = preamble(pod, build, startedAt).join('\n');
  const { verdict, evidence } = classifyBuild({ pod, log: log || undefined });
  return {
    [VERDICT_ANNOTATION]: verdict,
    [EVIDENCE_ANNOTATION]: evidence,
    [RECORDED_FOR_ANNOTATION]: build.metadata.uid!,
  };
}
