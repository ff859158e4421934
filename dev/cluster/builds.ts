// The build controller: BuildConfig instantiation, the build pod (created through admission, so
// the webhooks see it), and phases New → Pending → Running → Complete/Failed on a timer.
import { randomBytes } from 'node:crypto';
import {
  BUILD_CONFIG_NAME_ANNOTATION,
  BUILD_CONTROLLER_USER,
  BUILD_POD_NAME_ANNOTATION,
  type Build,
  type BuildConfig,
  type ClusterBuildConfig,
  type Pod,
} from '@userns-builds/core';
import type { Api, RequestContext } from './api';
import { ApiError, badRequest, notFound } from './errors';
import { buildPodFor } from './buildpod';
import { finishLines, LogStore, runningLogs } from './buildlog';
import type { ApiServer, SubresourceHandler } from './server';
import type { KubeObject, ResourceDef } from './types';

export const BUILDS_KEY = 'builds.build.openshift.io';
export const BUILDCONFIGS_KEY = 'buildconfigs.build.openshift.io';
/** How often a refused build pod is tried again, and the longest wait between tries. */
const POD_CREATE_RETRIES = 10;
const POD_CREATE_BACKOFF_MAX_MS = 30_000;
/** On a Build or its BuildConfig: `Failed` makes the emulated build fail. */
export const OUTCOME_ANNOTATION = 'emulator.userns-builds.dev/outcome';

// The identity the real build controller uses: the webhook trusts only its pods as build pods.
const CONTROLLER_USER = {
  username: BUILD_CONTROLLER_USER,
  uid: 'a0000000-0000-4000-8000-0000000000bc',
  groups: [
    'system:serviceaccounts',
    'system:serviceaccounts:openshift-infra',
    'system:authenticated',
  ],
};

// openshift-apiserver creates the Build of `oc start-build` and of a Rebuild through its loopback
// client, as this user; the requester's BuildRequest is admitted before, as the requester.
const APISERVER_USER = {
  username: 'system:apiserver',
  uid: 'a0000000-0000-4000-8000-0000000000a5',
  groups: ['system:masters', 'system:authenticated'],
};

/** Annotations a Rebuild does not copy (openshift-apiserver's generateBuildFromBuild). */
const NOT_CLONED = [
  BUILD_POD_NAME_ANNOTATION,
  'openshift.io/jenkins-status-json',
  'openshift.io/jenkins-log-url',
  'openshift.io/jenkins-console-log-url',
  'openshift.io/jenkins-blueocean-log-url',
  'openshift.io/jenkins-build-uri',
];

interface BuildRequestFields {
  env?: { name: string; value?: string }[];
  triggeredBy?: unknown[];
}

export interface Scheduler {
  after(ms: number, fn: () => void): () => void;
}

const realScheduler: Scheduler = {
  after: (ms, fn) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class BuildController {
  private readonly pending = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly api: Api,
    readonly logs: LogStore,
    private readonly stepMs = 2000,
    private readonly scheduler: Scheduler = realScheduler,
  ) {}

  private def(group: string, resource: string): ResourceDef {
    return this.api.registry.all().find((d) => d.group === group && d.resource === resource)!;
  }

  private ctx(): RequestContext {
    return { user: CONTROLLER_USER, dryRun: false, warnings: [] };
  }

  /** The loopback client's context; warnings still reach the requester. */
  private apiserverCtx(requester: RequestContext): RequestContext {
    return { user: APISERVER_USER, dryRun: requester.dryRun, warnings: requester.warnings };
  }

  /**
   * The BuildRequest as admitted for the requester: its name must be the parent's, and webhooks
   * and ValidatingAdmissionPolicies matching the subresource see it before anything is made.
   */
  private async admitBuildRequest(
    def: ResourceDef,
    subresource: 'instantiate' | 'clone',
    ns: string,
    name: string,
    request: KubeObject | undefined,
    ctx: RequestContext,
  ): Promise<KubeObject & BuildRequestFields> {
    const body = request ?? {
      apiVersion: 'build.openshift.io/v1',
      kind: 'BuildRequest',
      metadata: { name },
    };
    if (body.kind !== undefined && body.kind !== 'BuildRequest') {
      throw badRequest(
        `${def.resource}/${subresource} takes a BuildRequest, not ${String(body.kind)}`,
      );
    }
    if (body.metadata?.name && body.metadata.name !== name) {
      throw badRequest(
        `name of the BuildRequest (${body.metadata.name}) does not match the ${def.kind} (${name})`,
      );
    }
    return this.api.admitSubresource(def, subresource, 'BuildRequest', ns, name, body, ctx);
  }

  start(server: ApiServer): void {
    server.subresources.set(`${BUILDCONFIGS_KEY}/instantiate`, this.instantiateHandler);
    server.subresources.set(`${BUILDS_KEY}/clone`, this.cloneHandler);
    server.subresources.set('pods/log', this.podLogHandler);
    server.subresources.set(`${BUILDS_KEY}/log`, this.buildLogHandler);
    server.subresources.set(`${BUILDS_KEY}/details`, async () => {
      throw new ApiError(405, 'MethodNotAllowed', 'builds/details is not emulated');
    });
    // Builds created any way (instantiate, `oc create -f build.yaml`) get a pod.
    this.unsubscribe = this.api.store.subscribe((e) => {
      // A pod's log goes with the pod, as on a node.
      if (e.key === 'pods' && e.type === 'DELETED') {
        this.logs.end(e.object.metadata.namespace!, e.object.metadata.name!);
        this.logs.delete(e.object.metadata.namespace!, e.object.metadata.name!);
      }
      if (e.key !== BUILDS_KEY || e.type !== 'ADDED') return;
      const b = e.object as unknown as Build;
      if (b.status?.phase === 'New' && !b.metadata.annotations?.[BUILD_POD_NAME_ANNOTATION]) {
        this.later(0, () => void this.createPod(b.metadata.namespace!, b.metadata.name!));
      }
    });
  }

  /** Picks up builds a restart interrupted (from the state file), at the step they were at. */
  resume(): void {
    for (const obj of this.api.store.list(BUILDS_KEY)) {
      const b = obj as unknown as Build;
      const ns = b.metadata.namespace!;
      const name = b.metadata.name!;
      const podName = b.metadata.annotations?.[BUILD_POD_NAME_ANNOTATION];
      const phase = b.status?.phase;
      if (phase === 'New' && !podName) this.later(0, () => void this.createPod(ns, name));
      else if (phase === 'Pending' && podName)
        this.later(this.stepMs, () => void this.run(ns, name, podName).catch(() => undefined));
      else if (phase === 'Running' && podName) {
        const start = new Date(b.status?.startTimestamp ?? Date.now());
        this.later(
          this.stepMs,
          () => void this.finish(ns, name, podName, start).catch(() => undefined),
        );
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const cancel of this.pending) cancel();
    this.pending.clear();
  }

  private later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const cancel = this.scheduler.after(ms, () => {
      this.pending.delete(cancel);
      if (!this.stopped) fn();
    });
    this.pending.add(cancel);
  }

  /** `oc start-build`: a Build from the BuildConfig, numbered by its lastVersion. */
  async instantiate(
    ns: string,
    bcName: string,
    request: KubeObject | undefined,
    ctx: RequestContext,
  ): Promise<KubeObject> {
    const bcDef = this.def('build.openshift.io', 'buildconfigs');
    const buildsDef = this.def('build.openshift.io', 'builds');
    // Admission first, as the REST storage's createValidation runs before the generator looks.
    const admitted = await this.admitBuildRequest(bcDef, 'instantiate', ns, bcName, request, ctx);
    const bc = this.api.get(bcDef, ns, bcName) as unknown as BuildConfig;
    const { n, bumped } = await this.nextBuildNumber(bc, this.ctx());
    const {
      runPolicy,
      triggers: _t,
      successfulBuildsHistoryLimit: _s,
      failedBuildsHistoryLimit: _f,
      ...common
    } = bc.spec as typeof bc.spec & {
      successfulBuildsHistoryLimit?: number;
      failedBuildsHistoryLimit?: number;
    };
    const spec = structuredClone(common) as Build['spec'];
    withRequestEnv(spec, admitted.env);
    spec.triggeredBy = admitted.triggeredBy ?? [{ message: 'Manually triggered' }];
    const build: Build = {
      apiVersion: 'build.openshift.io/v1',
      kind: 'Build',
      metadata: {
        name: `${bcName}-${n}`,
        namespace: ns,
        // The BuildRequest's labels and annotations are merged in; the Build's own win.
        labels: {
          ...admitted.metadata.labels,
          ...bc.metadata.labels,
          buildconfig: bcName,
          [BUILD_CONFIG_NAME_ANNOTATION]: bcName,
          'openshift.io/build.start-policy': runPolicy ?? 'Serial',
        },
        annotations: {
          ...admitted.metadata.annotations,
          [BUILD_CONFIG_NAME_ANNOTATION]: bcName,
          'openshift.io/build.number': String(n),
        },
        ownerReferences: [
          {
            apiVersion: 'build.openshift.io/v1',
            kind: 'BuildConfig',
            name: bcName,
            uid: bumped.metadata.uid!,
            controller: true,
          },
        ],
      },
      spec,
      status: { phase: 'New', config: { kind: 'BuildConfig', namespace: ns, name: bcName } },
    };
    return this.api.create(buildsDef, ns, build as unknown as KubeObject, this.apiserverCtx(ctx));
  }

  /**
   * Rebuild (`builds/clone`), as openshift-apiserver's BuildGenerator.clone does
   * (https://github.com/openshift/openshift-apiserver/blob/master/pkg/build/apiserver/buildgenerator/generator.go):
   * the new Build has the old one's spec, labels, owner references and every annotation but the
   * pod name and Jenkins ones, plus `openshift.io/build.clone-of`; status reset to New. From a
   * BuildConfig it is named and numbered by the bumped `lastVersion`; a Build made by hand gets
   * its name (minus an earlier clone's suffix) with the last 10 digits of the time in ns. The
   * BuildRequest gives the env and `triggeredBy`; its labels and annotations are not copied.
   */
  async clone(
    ns: string,
    name: string,
    request: KubeObject | undefined,
    ctx: RequestContext,
  ): Promise<KubeObject> {
    const buildsDef = this.def('build.openshift.io', 'builds');
    const admitted = await this.admitBuildRequest(buildsDef, 'clone', ns, name, request, ctx);
    const old = this.api.get(buildsDef, ns, name) as unknown as Build;
    const bcName = old.status?.config?.name;
    const bc = bcName
      ? (this.api.store.get(BUILDCONFIGS_KEY, ns, bcName) as unknown as BuildConfig | undefined)
      : undefined;
    const annotations: Record<string, string> = {
      ...Object.fromEntries(
        Object.entries(old.metadata.annotations ?? {}).filter(([k]) => !NOT_CLONED.includes(k)),
      ),
      'openshift.io/build.clone-of': name,
    };
    let newName: string;
    if (bc) {
      const { n } = await this.nextBuildNumber(bc, this.apiserverCtx(ctx));
      newName = `${bc.metadata.name}-${n}`;
      annotations['openshift.io/build.number'] = String(n);
    } else {
      delete annotations['openshift.io/build.number'];
      // The wall clock in nanoseconds, as Go's UnixNano (sub-millisecond part from hrtime).
      const unixNano = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
      newName = `${name.replace(/-\d{10}$/, '')}-${unixNano.toString().slice(-10)}`;
    }
    const spec = structuredClone(old.spec);
    if (spec.source) delete (spec.source as { binary?: unknown }).binary;
    withRequestEnv(spec, admitted.env);
    if (admitted.triggeredBy) spec.triggeredBy = admitted.triggeredBy as typeof spec.triggeredBy;
    else delete spec.triggeredBy;
    const build: Build = {
      apiVersion: 'build.openshift.io/v1',
      kind: 'Build',
      metadata: {
        name: newName,
        namespace: ns,
        ...(old.metadata.labels ? { labels: structuredClone(old.metadata.labels) } : {}),
        annotations,
        ...(old.metadata.ownerReferences
          ? { ownerReferences: structuredClone(old.metadata.ownerReferences) }
          : {}),
      },
      spec,
      status: { phase: 'New', ...(old.status?.config ? { config: old.status.config } : {}) },
    };
    return this.api.create(buildsDef, ns, build as unknown as KubeObject, this.apiserverCtx(ctx));
  }

  /** Bumps the BuildConfig's `lastVersion`: the number of the Build about to be made. */
  private async nextBuildNumber(
    bc: BuildConfig,
    ctx: RequestContext,
  ): Promise<{ n: number; bumped: KubeObject }> {
    const n = (bc.status?.lastVersion ?? 0) + 1;
    const bumped = await this.api.patch(
      this.def('build.openshift.io', 'buildconfigs'),
      bc.metadata.namespace!,
      bc.metadata.name!,
      'merge',
      JSON.stringify({ status: { lastVersion: n } }),
      ctx,
    );
    return { n, bumped };
  }

  private async createPod(ns: string, name: string, attempt = 0): Promise<void> {
    const podsDef = this.def('', 'pods');
    const build = this.api.store.get(BUILDS_KEY, ns, name) as unknown as Build | undefined;
    if (!build || build.status?.phase !== 'New') return;
    const clusterConfig = this.api.store.get(
      'builds.config.openshift.io',
      undefined,
      'cluster',
    ) as unknown as ClusterBuildConfig | undefined;
    const pod = buildPodFor({ build, clusterConfig });
    let created: Pod;
    try {
      created = (await this.api.create(
        podsDef,
        ns,
        pod as unknown as KubeObject,
        this.ctx(),
      )) as unknown as Pod;
    } catch (e) {
      // As openshift-controller-manager's createBuildPod does: a FailedCreate event on the Build
      // carries the API server's message, the Build stays New with reason CannotCreateBuildPod,
      // and the controller's rate-limited queue retries until it gives up.
      const message = e instanceof ApiError ? e.message : String(e);
      await this.recordEvent(build, 'FailedCreate', `Error creating build pod: ${message}`);
      await this.patchBuild(ns, name, {
        status: { reason: 'CannotCreateBuildPod', message: 'Failed creating build pod.' },
      });
      if (attempt < POD_CREATE_RETRIES) {
        const delay = Math.min(this.stepMs * 2 ** attempt, POD_CREATE_BACKOFF_MAX_MS);
        this.later(delay, () => void this.createPod(ns, name, attempt + 1));
      }
      return;
    }
    const podName = created.metadata.name!;
    await this.patchBuild(ns, name, {
      metadata: { annotations: { [BUILD_POD_NAME_ANNOTATION]: podName } },
      // The move to Pending clears a reason an earlier failed attempt left.
      status: {
        phase: 'Pending',
        reason: null,
        message: null,
        outputDockerImageReference: outputRef(build),
      },
    });
    this.later(this.stepMs, () => void this.run(ns, name, podName).catch(() => undefined));
  }

  private async run(ns: string, name: string, podName: string): Promise<void> {
    const pod = this.api.store.get('pods', ns, podName) as unknown as Pod | undefined;
    const build = this.api.store.get(BUILDS_KEY, ns, name) as unknown as Build | undefined;
    if (!pod || !build || build.status?.phase !== 'Pending') return;
    if (build.status.cancelled) return this.cancel(ns, name, podName);
    const start = new Date();
    const startTs = now();
    await this.patchPodStatus(ns, podName, {
      phase: 'Running',
      startTime: startTs,
      containerStatuses: pod.spec.containers.map((c) => ({
        name: c.name,
        ready: true,
        started: true,
        restartCount: 0,
        image: c.image,
        state: { running: { startedAt: startTs } },
      })),
    });
    await this.patchBuild(ns, name, { status: { phase: 'Running', startTimestamp: startTs } });
    for (const [container, lines] of Object.entries(runningLogs(pod, build, start)))
      this.logs.append(ns, podName, container, lines);
    this.later(
      this.stepMs,
      () => void this.finish(ns, name, podName, start).catch(() => undefined),
    );
  }

  private async finish(ns: string, name: string, podName: string, start: Date): Promise<void> {
    const build = this.api.store.get(BUILDS_KEY, ns, name) as unknown as Build | undefined;
    const pod = this.api.store.get('pods', ns, podName) as unknown as Pod | undefined;
    if (!build || !pod || build.status?.phase !== 'Running') return;
    if (build.status.cancelled) return this.cancel(ns, name, podName);
    const bc = build.status.config?.name
      ? this.api.store.get(BUILDCONFIGS_KEY, ns, build.status.config.name)
      : undefined;
    const outcome =
      build.metadata.annotations?.[OUTCOME_ANNOTATION] ??
      bc?.metadata.annotations?.[OUTCOME_ANNOTATION];
    const ok = outcome !== 'Failed';
    const endTs = now();
    const main = pod.spec.containers[0]!.name;
    this.logs.append(ns, podName, main, finishLines(build, ok));
    await this.patchPodStatus(ns, podName, {
      phase: ok ? 'Succeeded' : 'Failed',
      containerStatuses: pod.spec.containers.map((c) => ({
        name: c.name,
        ready: false,
        started: false,
        restartCount: 0,
        image: c.image,
        state: {
          terminated: {
            exitCode: ok ? 0 : 1,
            reason: ok ? 'Completed' : 'Error',
            finishedAt: endTs,
          },
        },
      })),
    });
    await this.patchBuild(ns, name, {
      status: {
        phase: ok ? 'Complete' : 'Failed',
        completionTimestamp: endTs,
        // Nanoseconds, as the Go API serialises time.Duration.
        duration: Math.max(1, Date.now() - start.getTime()) * 1e6,
        ...(ok
          ? {}
          : {
              reason: 'GenericBuildFailed',
              message: 'Generic Build failure - check logs for details.',
              logSnippet: finishLines(build, false)[0],
            }),
      },
    });
    this.logs.end(ns, podName);
  }

  /** `oc cancel-build` sets status.cancelled; the controller stops the pod at its next step. */
  private async cancel(ns: string, name: string, podName: string): Promise<void> {
    await this.patchPodStatus(ns, podName, { phase: 'Failed' });
    const endTs = now();
    await this.patchBuild(ns, name, {
      status: {
        phase: 'Cancelled',
        reason: 'CancelledBuild',
        message: 'The build was cancelled by the user.',
        completionTimestamp: endTs,
      },
    });
    this.logs.end(ns, podName);
  }

  /** A Warning event on the Build, counted up when it repeats, as client-go's recorder does. */
  private async recordEvent(build: Build, reason: string, message: string): Promise<void> {
    const ns = build.metadata.namespace!;
    const eventsDef = this.def('', 'events');
    const ts = now();
    const same = this.api.store
      .list('events', ns)
      .find(
        (e) =>
          (e.involvedObject as { uid?: string } | undefined)?.uid === build.metadata.uid &&
          e.reason === reason &&
          e.message === message,
      );
    if (same) {
      await this.api.patch(
        eventsDef,
        ns,
        same.metadata.name!,
        'merge',
        JSON.stringify({ count: ((same.count as number | undefined) ?? 1) + 1, lastTimestamp: ts }),
        this.ctx(),
      );
      return;
    }
    await this.api.create(
      eventsDef,
      ns,
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${build.metadata.name}.${randomBytes(8).toString('hex')}`,
          namespace: ns,
        },
        involvedObject: {
          apiVersion: 'build.openshift.io/v1',
          kind: 'Build',
          namespace: ns,
          name: build.metadata.name,
          uid: build.metadata.uid,
        },
        reason,
        message,
        type: 'Warning',
        source: { component: 'build-controller' },
        reportingComponent: 'build-controller',
        firstTimestamp: ts,
        lastTimestamp: ts,
        count: 1,
      },
      this.ctx(),
    );
  }

  private patchBuild(ns: string, name: string, patch: object): Promise<KubeObject> {
    return this.api.patch(
      this.def('build.openshift.io', 'builds'),
      ns,
      name,
      'merge',
      JSON.stringify(patch),
      this.ctx(),
    );
  }

  private patchPodStatus(ns: string, name: string, status: object): Promise<KubeObject> {
    return this.api.patch(
      this.def('', 'pods'),
      ns,
      name,
      'merge',
      JSON.stringify({ status }),
      this.ctx(),
      'status',
    );
  }

  /** POST of a BuildRequest to a subresource: 201 with the Build it made. */
  private buildRequestHandler(
    subresource: string,
    make: (
      ns: string,
      name: string,
      body: KubeObject | undefined,
      ctx: RequestContext,
    ) => Promise<KubeObject>,
  ): SubresourceHandler {
    return async (r) => {
      if (r.info.verb !== 'create')
        throw new ApiError(405, 'MethodNotAllowed', `only POST is allowed on ${subresource}`);
      const build = await make(
        r.info.namespace!,
        r.info.name!,
        r.body as KubeObject | undefined,
        r.ctx,
      );
      return { code: 201, json: build };
    };
  }

  private readonly instantiateHandler = this.buildRequestHandler(
    'buildconfigs/instantiate',
    (ns, name, body, ctx) => this.instantiate(ns, name, body, ctx),
  );

  private readonly cloneHandler = this.buildRequestHandler('builds/clone', (ns, name, body, ctx) =>
    this.clone(ns, name, body, ctx),
  );

  private readonly podLogHandler: SubresourceHandler = async (r) => {
    const ns = r.info.namespace!;
    const pod = this.api.get(r.def, ns, r.info.name!) as unknown as Pod;
    const container = r.query.get('container') ?? undefined;
    return this.serveLog(r, ns, pod, container);
  };

  private readonly buildLogHandler: SubresourceHandler = async (r) => {
    const ns = r.info.namespace!;
    const build = this.api.get(r.def, ns, r.info.name!);
    const podName = build.metadata.annotations?.[BUILD_POD_NAME_ANNOTATION];
    const pod = podName
      ? (this.api.store.get('pods', ns, podName) as unknown as Pod | undefined)
      : undefined;
    if (!pod) throw badRequest(`build ${r.info.name} has no pod (it may have been pruned)`);
    return this.serveLog(r, ns, pod, undefined);
  };

  private serveLog(
    r: Parameters<SubresourceHandler>[0],
    ns: string,
    pod: Pod,
    container: string | undefined,
  ): ReturnType<SubresourceHandler> {
    const names = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((c) => c.name);
    const name = container ?? pod.spec.containers[0]!.name;
    if (!names.includes(name)) {
      throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
    }
    if (!this.api.store.get('pods', ns, pod.metadata.name!))
      throw notFound('pods', pod.metadata.name!);
    let lines = this.logs.get(ns, pod.metadata.name!, name);
    const tail = r.query.get('tailLines');
    if (tail) lines = lines.slice(-Number(tail));
    const limit = r.query.get('limitBytes');
    if (limit !== null && !/^[1-9]\d{0,9}$/.test(limit)) {
      throw badRequest(`limitBytes must be a positive integer, not ${JSON.stringify(limit)}`);
    }
    const phase = pod.status?.phase;
    const follow = r.query.get('follow') === 'true' && phase !== 'Succeeded' && phase !== 'Failed';
    if (!follow || limit !== null) {
      // As the kubelet does: limitBytes cuts the answer at that many bytes, mid-line if need be.
      const text = lines.map((l) => `${l}\n`).join('');
      const cut = limit === null ? text : Buffer.from(text).subarray(0, Number(limit)).toString();
      return Promise.resolve({ code: 200, text: cut });
    }
    r.res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    for (const l of lines) r.res.write(`${l}\n`);
    const stop = this.logs.follow(ns, pod.metadata.name!, (c, line) => {
      if (line === null) {
        stop();
        r.res.end();
      } else if (c === name) r.res.write(`${line}\n`);
    });
    r.res.on('close', stop);
    return Promise.resolve('handled');
  }
}

/** A BuildRequest's env replaces the strategy's variables of the same name and adds the rest. */
function withRequestEnv(spec: Build['spec'], env: BuildRequestFields['env']): void {
  if (!env?.length) return;
  const s = spec.strategy;
  const target = s.dockerStrategy ?? s.sourceStrategy ?? s.customStrategy;
  if (target)
    target.env = [...(target.env ?? []).filter((e) => !env.some((x) => x.name === e.name)), ...env];
}

function outputRef(build: Build): string | undefined {
  const to = build.spec.output?.to;
  return to
    ? `image-registry.openshift-image-registry.svc:5000/${to.namespace ?? build.metadata.namespace}/${to.name}`
    : undefined;
}
