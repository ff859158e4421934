// Records each build's verdict on its Build, so it outlives the pod. Watches build pods; once a
// pod has run far enough to judge (its build container started, or the pod finished) it reads the
// start of the build container's log, asks core's classifyBuild, and merge-patches the verdict,
// its evidence and the webhook's decision source (stamped on the pod) onto the Build: only when
// they differ, retried on a conflict, at a bounded rate and concurrency, and only while this
// replica holds the lease. The record is bound to the Build's uid (RECORDED_FOR_ANNOTATION): a
// Rebuild copies every annotation onto the new Build, and the leader removes such a copy as soon
// as the shared Build cache shows it.
import {
  BUILD_NAME_LABEL,
  BUILD_POD_NAME_ANNOTATION,
  DECISION_SOURCE_ANNOTATION,
  EVIDENCE_ANNOTATION,
  RECORDED_FOR_ANNOTATION,
  VERDICT_ANNOTATION,
  builderStartLine,
  buildNameOf,
  classifyBuild,
  containersOf,
  decide,
  isDecisionSource,
  isBuildContainer,
  copiedRecordKeys,
  type Container,
  type EffectivePolicy,
  type Pod,
} from '@userns-builds/core';
import type { BuildRecord } from '../builds/cache';
import {
  ACCEPT_JSON,
  ACCEPT_METADATA,
  KubeError,
  objectPath,
  type KubeClient,
} from '../kube/client';
import { Reflector, keyOf } from '../kube/reflector';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import { RateLimiter, realClock, type Clock } from './rate-limit';

interface ContainerStatus {
  name?: string;
  state?: { running?: unknown; terminated?: unknown; waiting?: unknown };
}

function containerStatuses(pod: Pod): ContainerStatus[] {
  const list = pod.status?.containerStatuses;
  return Array.isArray(list) ? (list as ContainerStatus[]) : [];
}

/** How far a pod has run; 'final' once its verdict can no longer change. */
type Stage = 'started' | 'finished';
type Judged = Stage | 'final';

/** The outcome of one judgement, the label values of userns_recorder_writes_total. */
export type WriteResult = 'written' | 'unchanged' | 'skipped' | 'failed';

export interface RecorderOptions {
  client: Pick<KubeClient, 'request' | 'requestText'>;
  log: Logger;
  metrics: Metrics;
  /** Most API requests (log reads, Build reads, patches) started in any one second. */
  ratePerSecond: number;
  /** Pods judged at the same time. */
  concurrency: number;
  /** How much of the build container's log to read (limitBytes). */
  logBytes: number;
  requestTimeoutMs?: number;
  clock?: Clock;
}

interface BuildMeta {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
}

const PODS = '/api/v1/pods';
const buildPath = (ns: string, name: string) =>
  objectPath('/apis/build.openshift.io/v1', 'builds', ns, name);
const MAX_CONFLICTS = 5;
const MAX_LOG_ATTEMPTS = 3;
/** Failed judgements retried with backoff (1 s, 2 s, … 30 s) before giving up until a pod change. */
const MAX_RETRIES = 8;

/** What classifyBuild and the recorder read of a pod: no env (the BUILD var holds secrets). */
export function slimPod(pod: Pod): Pod {
  const container = (c: Container) => ({
    name: c.name,
    ...(c.securityContext !== undefined ? { securityContext: c.securityContext } : {}),
  });
  const m = pod.metadata ?? {};
  return {
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      ...(m.labels ? { labels: m.labels } : {}),
      ...(m.annotations ? { annotations: m.annotations } : {}),
      ...(m.ownerReferences ? { ownerReferences: m.ownerReferences } : {}),
    },
    spec: {
      containers: (pod.spec?.containers ?? []).map(container),
      ...(pod.spec?.initContainers
        ? { initContainers: pod.spec.initContainers.map(container) }
        : {}),
      ...(pod.spec?.hostUsers !== undefined ? { hostUsers: pod.spec.hostUsers } : {}),
    },
    status: {
      ...(pod.status?.phase ? { phase: pod.status.phase } : {}),
      containerStatuses: containerStatuses(pod).map((s) => ({ name: s.name, state: s.state })),
    },
  } as Pod;
}

/** What the recorder reads of a Build in the shared cache: its key and what it records there. */
export type RecordedBuild = Pick<
  BuildRecord,
  'namespace' | 'name' | 'verdict' | 'evidence' | 'decisionSource' | 'copiedRecord'
>;

/** The annotations the recorder writes on a Build, as one merge patch would set them. */
interface Recording {
  verdict: string;
  evidence: string;
  /** null: the pod carries no (known) decision stamp, so the Build should carry none either. */
  decisionSource: string | null;
  /** The uid of the Build the record is for. */
  recordedFor: string;
}

/** What the shared cache shows of a bound record: the binding itself is checked on each write. */
function recordingValue(r: Omit<Recording, 'recordedFor'>): string {
  return `${r.verdict}\n${r.evidence}\n${r.decisionSource ?? ''}`;
}

/**
 * The webhook's stamp on the pod. Only a value core could have decided is copied: the annotation
 * is on a pod, and the Build keeps whatever is copied long after the pod is gone.
 */
function decisionSourceOf(pod: Pod): string | null {
  const value = pod.metadata?.annotations?.[DECISION_SOURCE_ANNOTATION];
  return isDecisionSource(value) ? value : null;
}

function buildContainerOf(pod: Pod): string | undefined {
  return containersOf(pod).find((c) => isBuildContainer(c.name))?.name;
}

/** How far the pod has run, or undefined while the builder has not started. */
export function stageOf(pod: Pod): Stage | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return 'finished';
  const name = buildContainerOf(pod);
  const state = containerStatuses(pod).find((s) => s.name === name)?.state;
  if (state?.terminated) return 'finished';
  if (state?.running) return 'started';
  return undefined;
}

/** The Build this pod was made for, as its controller owner reference names it. */
function ownerBuild(pod: Pod): { name: string; uid: string } | undefined {
  const name = buildNameOf(pod);
  const owner = pod.metadata?.ownerReferences?.find(
    (r) =>
      r.controller === true &&
      r.kind === 'Build' &&
      r.apiVersion?.startsWith('build.openshift.io/'),
  );
  if (!name || !owner || owner.name !== name || !owner.uid) return undefined;
  return { name, uid: owner.uid };
}

export class VerdictRecorder {
  private readonly pods: Reflector<Pod>;
  private readonly limiter: RateLimiter;
  /** Pods waiting to be judged, in arrival order, each once, as last seen. */
  private readonly queue = new Map<string, Pod>();
  /** Pods deleted before their last judgement: judged from their final state, without a log. */
  private readonly gone = new Map<string, Pod>();
  /** By pod uid: how far each pod has been judged. */
  private readonly judged = new Map<string, Judged>();
  private readonly logAttempts = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /**
   * By Build key, for Builds whose pod still exists: what this replica found or wrote there, so a
   * verdict someone else changes is judged again from the pod while it can be.
   */
  private readonly recorded = new Map<string, { pod: string; podUid: string; value: string }>();
  /**
   * By Build key: Builds the shared cache shows with a record that is not their own (a Rebuild's
   * copy). Followers keep it too, so a new leader removes the copies it already knows of.
   */
  private readonly copies = new Map<string, { namespace: string; name: string }>();
  /** Of those, the ones this leader has still to clean, in arrival order. */
  private readonly cleanups = new Set<string>();
  private leading = false;
  private active = 0;
  /** Of `active`, the copied records being removed. */
  private activeCleanups = 0;
  /**
   * The policy in force (set by the service once its policy source exists): a Privileged verdict
   * where that policy requires user namespaces is counted for the operators' alert.
   */
  policyInForce: () => EffectivePolicy | undefined = () => undefined;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly o: RecorderOptions & { podClient: KubeClient }) {
    this.limiter = new RateLimiter(o.ratePerSecond, o.clock ?? realClock);
    this.pods = new Reflector<Pod>({
      client: o.podClient,
      path: PODS,
      query: { labelSelector: BUILD_NAME_LABEL },
      accept: { list: ACCEPT_JSON, watch: ACCEPT_JSON },
      log: o.log.child({ cache: 'build pods' }),
      transform: slimPod,
      onEvent: (type, pod) => this.observe(type, pod),
    });
    // Pods only: an upgrade that finds many unbound records must not look like a stuck recorder.
    o.metrics.recorderBacklogSource = () => this.queue.size + this.active - this.activeCleanups;
  }

  /** Watches build pods; Builds reach observeBuild from the shared cache (see index.ts). */
  async start(): Promise<void> {
    await this.pods.start();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    this.setLeading(false);
    this.pods.stop();
  }

  synced(): boolean {
    return this.pods.synced();
  }

  /** Pods waiting or being judged, and copied records waiting or being removed. */
  backlog(): number {
    return this.queue.size + this.cleanups.size + this.active;
  }

  /** Resolves once nothing is queued or in flight (tests). */
  idle(): Promise<void> {
    if (this.backlog() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Only the lease holder writes; a new leader looks at every pod it already knows. */
  setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.o.metrics.recorderLeader.set(leading ? 1 : 0);
    if (!leading) {
      this.queue.clear();
      this.cleanups.clear();
      this.recorded.clear();
      this.notifyIdle();
      return;
    }
    for (const [key, pod] of this.pods.items) if (this.wants(pod)) this.queue.set(key, pod);
    for (const [key, pod] of this.gone) this.queue.set(key, pod);
    for (const key of this.copies.keys()) this.cleanups.add(key);
    this.pump();
  }

  /** Reflector events: cheap bookkeeping only, the work happens in pump(). */
  observe(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: Pod): void {
    const key = keyOf(pod.metadata?.namespace, pod.metadata?.name);
    const uid = pod.metadata?.uid ?? '';
    if (type === 'DELETED') {
      const judged = this.judged.get(uid);
      this.judged.delete(uid);
      this.recorded.delete(keyOf(pod.metadata?.namespace, buildNameOf(pod)));
      // Judged only while running, with no start-up line yet: the spec is all there is left.
      // Followers leave this to the leader; what they would track here could only grow.
      if (this.leading && (judged === undefined || judged === 'started')) {
        if (judged === 'started' || stageOf(pod) !== undefined) {
          this.gone.set(key, pod);
          this.queue.set(key, pod);
        }
      }
    } else if (this.wants(pod) && this.leading) {
      this.queue.set(key, pod);
    }
    this.pump();
  }

  /** Build events: a verdict that is no longer what this replica recorded is judged again. */
  observeBuild(build: RecordedBuild): void {
    const key = keyOf(build.namespace, build.name);
    if (build.copiedRecord) {
      this.copies.set(key, { namespace: build.namespace, name: build.name });
      if (this.leading) {
        this.cleanups.add(key);
        this.pump();
      }
    } else if (this.copies.delete(key)) {
      this.cleanups.delete(key);
    }
    const mine = this.recorded.get(key);
    if (!mine || !this.leading) return;
    const found = recordingValue({
      verdict: build.verdict,
      evidence: build.evidence ?? '',
      decisionSource: build.decisionSource,
    });
    if (found === mine.value) return;
    this.recorded.delete(key);
    this.judged.delete(mine.podUid);
    const pod = this.pods.items.get(mine.pod);
    if (!pod) return; // gone already: nothing left to judge it by
    this.o.log.info({ build: key }, 'the verdict on the Build changed; judging its pod again');
    this.queue.set(mine.pod, pod);
    this.pump();
  }

  /** A Build left the shared cache: nothing of it is left to clean. */
  forgetBuild(build: Pick<RecordedBuild, 'namespace' | 'name'>): void {
    const key = keyOf(build.namespace, build.name);
    this.copies.delete(key);
    this.cleanups.delete(key);
  }

  private wants(pod: Pod): boolean {
    const stage = stageOf(pod);
    if (!stage) return false;
    const judged = this.judged.get(pod.metadata?.uid ?? '');
    return judged === undefined || (judged === 'started' && stage === 'finished');
  }

  private pump(): void {
    while (
      this.leading &&
      !this.stopped &&
      this.active < this.o.concurrency &&
      (this.queue.size || this.cleanups.size)
    ) {
      this.active++;
      let work: Promise<void>;
      if (this.queue.size) {
        const [key, pod] = this.queue.entries().next().value as [string, Pod];
        this.queue.delete(key);
        work = this.process(key, pod);
      } else {
        const key = this.cleanups.values().next().value as string;
        this.cleanups.delete(key);
        this.activeCleanups++;
        work = this.cleanCopy(key).finally(() => this.activeCleanups--);
      }
      void work.finally(() => {
        this.active--;
        this.pump();
        this.notifyIdle();
      });
    }
  }

  private async cleanCopy(key: string): Promise<void> {
    const build = this.copies.get(key);
    if (!build) return;
    try {
      const outcome = await this.removeCopy(build.namespace, build.name);
      if (outcome !== 'skipped') this.copies.delete(key);
    } catch (err) {
      // Left in `copies`: the Build's next change, or the next leader, tries again.
      this.o.log.warn(
        { build: key, problem: (err as Error).message },
        'could not remove a verdict copied from another Build',
      );
    }
  }

  private notifyIdle(): void {
    if (this.backlog() !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async process(key: string, queued: Pod): Promise<void> {
    const deleted = this.gone.get(key);
    const pod = deleted ?? this.pods.items.get(key) ?? queued;
    let result: WriteResult;
    try {
      result = await this.judge(pod, deleted !== undefined);
    } catch (err) {
      result = 'failed';
      const failures = (this.failures.get(key) ?? 0) + 1;
      const retry = failures <= MAX_RETRIES;
      this.failures.set(key, failures);
      this.o.log.warn(
        { pod: key, problem: (err as Error).message, failures, retry },
        'could not record the verdict',
      );
      if (retry) this.retryLater(key, pod, Math.min(30_000, 500 * 2 ** failures));
    }
    if (result !== 'failed') {
      this.gone.delete(key);
      this.failures.delete(key);
    } else if ((this.failures.get(key) ?? 0) > MAX_RETRIES) {
      this.gone.delete(key);
      this.failures.delete(key);
    }
    this.o.metrics.recorderWrites.inc({ result });
  }

  private async judge(pod: Pod, deleted: boolean): Promise<WriteResult> {
    const ns = pod.metadata?.namespace ?? '';
    const podName = pod.metadata?.name ?? '';
    const uid = pod.metadata?.uid ?? '';
    const owner = ownerBuild(pod);
    const container = buildContainerOf(pod);
    const stage = deleted ? 'finished' : stageOf(pod);
    if (!owner || !container || !stage) return 'skipped';

    let log: string | undefined;
    if (!deleted) {
      const read = await this.readLog(ns, podName, container, stage);
      if (read === 'later') return 'skipped';
      log = read;
    }
    const verdict = classifyBuild({ pod, log });
    const final =
      stage === 'finished' || (log !== undefined && builderStartLine(log) !== undefined);
    const recording: Recording = {
      verdict: verdict.verdict,
      evidence: verdict.evidence,
      decisionSource: decisionSourceOf(pod),
      recordedFor: owner.uid,
    };
    const outcome = await this.write(ns, owner, podName, recording);
    if (outcome === 'written' && verdict.verdict === 'Privileged') this.countIfRequired(pod);
    if ((outcome === 'written' || outcome === 'unchanged') && !deleted) {
      this.judged.set(uid, final ? 'final' : 'started');
      // Kept while the pod exists: its deletion removes the entry again.
      this.recorded.set(keyOf(ns, owner.name), {
        pod: keyOf(ns, podName),
        podUid: uid,
        value: recordingValue(recording),
      });
    }
    return outcome;
  }

  private countIfRequired(pod: Pod): void {
    const policy = this.policyInForce();
    // `Override` is the decision only where Required applies: not exempt, not a platform namespace.
    const namespace = pod.metadata?.namespace ?? '';
    if (policy && decide({ policy, pod, namespace }).source === 'Override') {
      this.o.metrics.privilegedUnderRequired.inc();
    }
  }

  /** The start of the build container's log; 'later' when it is worth waiting for. */
  private async readLog(
    ns: string,
    pod: string,
    container: string,
    stage: Stage,
  ): Promise<string | undefined | 'later'> {
    const key = keyOf(ns, pod);
    const q = new URLSearchParams({ container, limitBytes: String(this.o.logBytes) });
    try {
      const text = await this.limiter.run(() =>
        this.o.client.requestText(`${objectPath('/api/v1', 'pods', ns, pod)}/log?${q}`, {
          timeoutMs: this.o.requestTimeoutMs ?? 10_000,
          maxBytes: this.o.logBytes,
        }),
      );
      this.logAttempts.delete(key);
      return text;
    } catch (err) {
      // 400: the container is not running yet; 404: the pod is gone. Neither will improve by
      // asking again now; a finished pod is judged from its spec, a running one at its next step.
      const answered = err instanceof KubeError && (err.status === 400 || err.status === 404);
      const attempts = (this.logAttempts.get(key) ?? 0) + 1;
      if (!answered && attempts < MAX_LOG_ATTEMPTS) {
        this.logAttempts.set(key, attempts);
        throw err;
      }
      this.logAttempts.delete(key);
      this.o.log.info(
        { pod: key, problem: (err as Error).message },
        'build log unreadable; judging from the pod spec',
      );
      return stage === 'started' && answered ? 'later' : undefined;
    }
  }

  private retryLater(key: string, pod: Pod, ms: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (!this.leading || this.stopped) return;
      this.queue.set(key, this.pods.items.get(key) ?? pod);
      this.pump();
    }, ms);
    timer.unref?.();
    this.retryTimers.add(timer);
  }

  /** The Build's metadata as the API server has it now; undefined once it is gone. */
  private async readBuild(path: string): Promise<BuildMeta | undefined> {
    const timeoutMs = this.o.requestTimeoutMs ?? 10_000;
    try {
      return await this.limiter.run(() =>
        this.o.client.request<BuildMeta>('GET', path, { accept: ACCEPT_METADATA, timeoutMs }),
      );
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return undefined;
      throw err;
    }
  }

  /**
   * One merge patch of the Build's annotations at the version read (a 409 when it changed since);
   * false when leadership passed while it waited for its slot, and nothing was sent.
   */
  private patchAnnotations(
    path: string,
    resourceVersion: string | undefined,
    annotations: Record<string, string | null>,
  ): Promise<boolean> {
    return this.limiter.run(async () => {
      if (!this.leading) return false;
      await this.o.client.request('PATCH', path, {
        contentType: 'application/merge-patch+json',
        body: { metadata: { resourceVersion, annotations } },
        timeoutMs: this.o.requestTimeoutMs ?? 10_000,
      });
      return true;
    });
  }

  /** Merge-patches the annotations unless the Build already says exactly this. */
  private async write(
    ns: string,
    owner: { name: string; uid: string },
    podName: string,
    recording: Recording,
  ): Promise<WriteResult> {
    const path = buildPath(ns, owner.name);
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const build = await this.readBuild(path);
      if (!build) return 'skipped';
      const meta = build.metadata ?? {};
      const podOfBuild = meta.annotations?.[BUILD_POD_NAME_ANNOTATION];
      // Another Build of the same name, or a pod the Build does not call its own: not ours to judge.
      if (meta.uid !== owner.uid || (podOfBuild !== undefined && podOfBuild !== podName)) {
        this.o.log.warn(
          { build: keyOf(ns, owner.name), pod: podName },
          'the pod is not the one its Build names; no verdict written',
        );
        return 'skipped';
      }
      if (
        meta.annotations?.[VERDICT_ANNOTATION] === recording.verdict &&
        meta.annotations?.[EVIDENCE_ANNOTATION] === recording.evidence &&
        (meta.annotations?.[DECISION_SOURCE_ANNOTATION] ?? null) === recording.decisionSource &&
        meta.annotations?.[RECORDED_FOR_ANNOTATION] === recording.recordedFor
      ) {
        return 'unchanged';
      }
      if (!this.leading) return 'skipped';
      try {
        // Every key under userns.builds.dev/, the one prefix only the backend may write on Builds;
        // null removes a stamp the pod no longer carries.
        const patched = await this.patchAnnotations(path, meta.resourceVersion, {
          [VERDICT_ANNOTATION]: recording.verdict,
          [EVIDENCE_ANNOTATION]: recording.evidence,
          [DECISION_SOURCE_ANNOTATION]: recording.decisionSource,
          // Binds the record to this Build: a Rebuild's copy of it names another uid.
          [RECORDED_FOR_ANNOTATION]: recording.recordedFor,
        });
        if (!patched) return 'skipped';
        this.o.log.info(
          {
            build: keyOf(ns, owner.name),
            verdict: recording.verdict,
            decisionSource: recording.decisionSource,
          },
          'verdict recorded',
        );
        return 'written';
      } catch (err) {
        if (!(err instanceof KubeError && err.status === 409)) throw err;
      }
    }
    throw new Error(`the Build kept changing (${MAX_CONFLICTS} conflicts in a row)`);
  }

  /**
   * Removes record annotations a Build carries that are not bound to it (merge patch with nulls),
   * checked against the Build as the API server has it now: the recorder may have judged its pod
   * and bound a record of its own meanwhile.
   */
  private async removeCopy(ns: string, name: string): Promise<WriteResult> {
    const path = buildPath(ns, name);
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const build = await this.readBuild(path);
      if (!build) return 'unchanged';
      const keys = copiedRecordKeys(build);
      if (keys.length === 0) return 'unchanged';
      try {
        const patched = await this.patchAnnotations(
          path,
          build.metadata?.resourceVersion,
          Object.fromEntries(keys.map((k) => [k, null])),
        );
        if (!patched) return 'skipped';
        this.o.log.info(
          { build: keyOf(ns, name), removed: keys },
          'removed a verdict copied from another Build',
        );
        return 'written';
      } catch (err) {
        if (!(err instanceof KubeError && err.status === 409)) throw err;
      }
    }
    throw new Error(`the Build kept changing (${MAX_CONFLICTS} conflicts in a row)`);
  }
}
