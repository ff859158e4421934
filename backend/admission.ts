// POST /mutate: turns an AdmissionReview into core's inputs and core's plan into an answer the API
// server accepts. Every policy question is core's; this module only speaks the admission protocol,
// fetches passthrough metadata, and makes sure nothing it answers can break pod creation.
import {
  BUILD_CONFIG_NAME_ANNOTATION,
  BUILD_NAME_LABEL,
  CRIO_BUILDER_ANNOTATION,
  buildFromPod,
  decide,
  isObject,
  notABuildPodReason,
  planPodMutation,
  unsafeCrioAnnotations,
  untrustedCreatorReason,
  type Build,
  type EffectivePolicy,
  type MutationPlan,
  type ObjectMeta,
  type Pod,
} from '@userns-builds/core';
import type { Logger } from './log';
import type { LookupResult, MetadataKind, MetadataLookup, ObjectMetadata } from './metadata/lookup';
import type { Metrics, ReviewOutcome } from './metrics';
import type { PolicySource } from './policy/source';
import { HttpError, type JsonAnswer } from './http';
import { patchProblem } from './patch-check';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
export const ADMISSION_KIND = 'AdmissionReview';
/** The API server shows warnings to users; it truncates long ones, so we keep them short. */
export const MAX_WARNING_LENGTH = 119;
const MAX_WARNINGS = 8;

/** What a review ends in: the response, and how it is counted. */
interface Answer {
  response: AdmissionResponse;
  outcome: ReviewOutcome;
  source: string;
}

export interface AdmissionDeps {
  policy: PolicySource;
  metadata: MetadataLookup;
  metrics: Metrics;
  log: Logger;
  /** The backend's own namespace: never mutated, whatever the webhook configuration says. */
  ownNamespace: string | undefined;
  /** Usernames whose pods are build pods (request.userInfo); anyone else's are never patched. */
  trustedCreators: readonly string[];
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  patchType?: 'JSONPatch';
  patch?: string;
  warnings?: string[];
  status?: { code: number; reason?: string; message: string };
}

export interface AdmissionReviewAnswer {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: typeof ADMISSION_KIND;
  response: AdmissionResponse;
}

type Json = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Checks only the shape core relies on; everything finer is core's (and caught if it throws). */
function asPod(v: unknown): Pod | undefined {
  if (!isObject(v) || !isObject(v.metadata) || !isObject(v.spec)) return undefined;
  const { containers, initContainers } = v.spec;
  const containerList = (c: unknown): boolean =>
    Array.isArray(c) && c.every((x) => isObject(x) && typeof x.name === 'string');
  if (!containerList(containers)) return undefined;
  if (initContainers !== undefined && initContainers !== null && !containerList(initContainers)) {
    return undefined;
  }
  return v as unknown as Pod;
}

function shortWarning(w: string): string {
  const oneLine = w.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_WARNING_LENGTH
    ? oneLine
    : `${oneLine.slice(0, MAX_WARNING_LENGTH - 1)}…`;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

export class Admission {
  constructor(private readonly deps: AdmissionDeps) {}

  /**
   * Answers a raw request body. Throws HttpError only for bodies that are not an AdmissionReview
   * at all (400); anything that is one gets a 200 AdmissionReview answer, whatever happens inside.
   */
  async review(body: Buffer): Promise<JsonAnswer> {
    const started = process.hrtime.bigint();
    const { metrics } = this.deps;
    let outcome: ReviewOutcome = 'invalid';
    let source = 'none';
    try {
      const parsed = this.parse(body);
      const result = await this.answer(parsed.request, parsed.uid);
      outcome = result.outcome;
      source = result.source;
      return {
        status: 200,
        body: {
          apiVersion: ADMISSION_API_VERSION,
          kind: ADMISSION_KIND,
          response: result.response,
        },
      };
    } finally {
      metrics.reviews.inc({ outcome, source });
      metrics.latency.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private parse(body: Buffer): { request: Json; uid: string } {
    let review: unknown;
    try {
      review = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'BadRequest', 'request body is not valid JSON');
    }
    if (!isObject(review))
      throw new HttpError(400, 'BadRequest', 'expected an AdmissionReview object');
    if (review.apiVersion !== ADMISSION_API_VERSION || review.kind !== ADMISSION_KIND) {
      throw new HttpError(
        400,
        'BadRequest',
        `expected apiVersion ${ADMISSION_API_VERSION} and kind ${ADMISSION_KIND}`,
      );
    }
    const { request } = review;
    if (!isObject(request))
      throw new HttpError(400, 'BadRequest', 'AdmissionReview has no request');
    const uid = str(request.uid);
    if (!uid) throw new HttpError(400, 'BadRequest', 'AdmissionReview request has no uid');
    return { request, uid };
  }

  private async answer(request: Json, uid: string): Promise<Answer> {
    const scope = this.scope(request, uid);
    if ('answer' in scope) return scope.answer;
    const { pod, namespace, log } = scope;
    try {
      const { policy, generation } = this.deps.policy.current();
      // A build label proves nothing: anyone who may create pods can set it. Only the identity the
      // API server puts in userInfo does, so no one else's pod is widened or given the builder
      // annotation that makes CRI-O obey its userns-mode and Devices.
      const untrusted =
        notABuildPodReason(pod) === undefined
          ? untrustedCreatorReason(request.userInfo, this.deps.trustedCreators)
          : undefined;
      if (untrusted) {
        const userInfo = isObject(request.userInfo) ? request.userInfo : {};
        const creatorLog = log.child({ creator: str(userInfo.username) });
        return this.untrustedCreator(pod, namespace, policy, untrusted, uid, creatorLog);
      }
      const { plan, warnings } = await this.plan(pod, namespace, policy, log);
      return this.respond(plan, warnings, { pod, namespace, uid, generation, log });
    } catch (err) {
      log.error({ err }, 'review failed inside the webhook; allowed unchanged');
      return {
        response: withWarnings({ uid, allowed: true }, [
          'userns-builds: internal error, pod admitted unchanged',
        ]),
        outcome: 'error',
        source: 'none',
      };
    }
  }

  /** Whether the request is a pod creation of ours to decide: the pod, or the answer already. */
  private scope(
    request: Json,
    uid: string,
  ): { answer: Answer } | { pod: Pod; namespace: string; log: Logger } {
    const object = request.object;
    const objectMeta = isObject(object) && isObject(object.metadata) ? object.metadata : {};
    const namespace = str(request.namespace) || str(objectMeta.namespace) || '';
    const log = this.deps.log.child({
      uid,
      namespace,
      name: str(request.name) || str(objectMeta.name) || str(objectMeta.generateName),
      dryRun: request.dryRun === true,
    });
    const unchanged = (source: string, warnings: string[] = []) => ({
      answer: {
        response: withWarnings({ uid, allowed: true }, warnings),
        outcome: 'unchanged' as const,
        source,
      },
    });

    const resource = isObject(request.resource) ? request.resource : {};
    if (
      resource.group !== '' ||
      resource.resource !== 'pods' ||
      str(request.subResource) ||
      request.operation !== 'CREATE'
    ) {
      // Only pod creation is ours; anything else the configuration sends us passes untouched.
      log.debug('not a pod creation; allowed unchanged');
      return unchanged('NotPodCreate');
    }
    if (namespace !== '' && namespace === this.deps.ownNamespace) {
      return unchanged('OwnNamespace');
    }
    const pod = asPod(object);
    // Pods are namespaced: the API server always says where; without it there is nothing to decide.
    if (!pod || namespace === '') {
      log.info('pod has an unexpected shape; allowed unchanged');
      return unchanged('Malformed', ['userns-builds: pod has an unexpected shape; left unchanged']);
    }
    return { pod, namespace, log };
  }

  /** core's plan for a build pod from a trusted creator, with the passthrough metadata it needs. */
  private async plan(
    pod: Pod,
    namespace: string,
    policy: EffectivePolicy | undefined,
    log: Logger,
  ): Promise<{ plan: MutationPlan; warnings: string[] }> {
    const build = buildFromPod(pod);
    const meta = policy?.passthroughAnnotations.length
      ? await this.passthroughMetadata(pod, namespace, build, log)
      : { warnings: [] };
    const plan = planPodMutation({
      policy,
      pod,
      namespace,
      build,
      buildMeta: meta.build,
      buildConfigMeta: meta.buildConfig,
    });
    // core already words dropped passthrough annotations as warnings.
    return { plan, warnings: [...plan.warnings, ...meta.warnings] };
  }

  /** The AdmissionResponse for a plan: a denial, or an allowance with its checked patch. */
  private respond(
    plan: MutationPlan,
    warnings: string[],
    ctx: { pod: Pod; namespace: string; uid: string; generation: number; log: Logger },
  ): Answer {
    const { decision } = plan;
    const { pod, namespace, uid, generation, log } = ctx;
    if (plan.blocked && decision.source === 'Override') {
      const message =
        `BuildPolicy "cluster" requires user namespaces (override: Required) but this pod cannot ` +
        `run in one: ${plan.blocked.reason}. To exempt it, add namespace "${namespace}" to ` +
        `spec.userNamespaces.exemptNamespaces of BuildPolicy "cluster".`;
      log.info({ source: decision.source, generation, reason: plan.blocked.reason }, 'denied');
      return {
        response: { uid, allowed: false, status: { code: 403, reason: 'Forbidden', message } },
        outcome: 'denied',
        source: decision.source,
      };
    }
    if (plan.blocked) warnings.unshift(`user namespaces not applied: ${plan.blocked.reason}`);

    const response: AdmissionResponse = { uid, allowed: true };
    if (plan.operations.length > 0) {
      // A patch that does not apply would make the API server fail the call; check it here so
      // a core bug degrades to "admitted unchanged" (failurePolicy Ignore) instead.
      const problem = patchProblem(pod, plan.operations);
      if (problem) throw new Error(`plan does not apply to the pod: ${problem}`);
      response.patchType = 'JSONPatch';
      response.patch = Buffer.from(JSON.stringify(plan.operations)).toString('base64');
    }
    const outcome = plan.operations.length > 0 ? 'patched' : 'unchanged';
    log.info(
      {
        source: decision.source,
        userNamespaces: decision.userNamespaces,
        operations: plan.operations.length,
        generation,
        warnings: warnings.length,
      },
      outcome,
    );
    return { response: withWarnings(response, warnings), outcome, source: decision.source };
  }

  /**
   * A pod labelled as a build pod by someone other than the build controller is left unchanged.
   * Under override: Required one thing is refused: such a pod that already carries the builder
   * annotation with CRI-O values mapping onto the node's IDs or devices. The webhook will not
   * rewrite another user's pod, so it cannot make those values safe, and Required promises that
   * no build-labelled pod runs with them.
   */
  private untrustedCreator(
    pod: Pod,
    namespace: string,
    policy: EffectivePolicy | undefined,
    reason: string,
    uid: string,
    log: Logger,
  ): Answer {
    const source = 'UntrustedCreator';
    const annotations: unknown = pod.metadata.annotations;
    const builder =
      isObject(annotations) &&
      Object.prototype.hasOwnProperty.call(annotations, CRIO_BUILDER_ANNOTATION);
    const unsafe = builder ? unsafeCrioAnnotations(annotations) : [];
    if (unsafe.length > 0 && decide({ policy, namespace, pod }).source === 'Override') {
      const values = unsafe.map((u) => `${u.key}: ${u.reason}`).join('; ');
      const message =
        `BuildPolicy "cluster" requires user namespaces (override: Required), and this pod carries ` +
        `${CRIO_BUILDER_ANNOTATION} with values CRI-O would apply on the node (${values}). ${reason} ` +
        `The webhook does not rewrite it; remove those annotations.`;
      log.info({ source, keys: unsafe.map((u) => u.key) }, 'denied');
      return {
        response: { uid, allowed: false, status: { code: 403, reason: 'Forbidden', message } },
        outcome: 'denied',
        source,
      };
    }
    log.info({ source }, 'build-labelled pod not created by a trusted creator; allowed unchanged');
    return {
      response: withWarnings({ uid, allowed: true }, [
        'userns-builds: pod not created by the build controller; left unchanged',
      ]),
      outcome: 'unchanged',
      source,
    };
  }

  /** Build and BuildConfig annotations for passthrough; failures only cost the passthrough. */
  private async passthroughMetadata(
    pod: Pod,
    namespace: string,
    build: Build | undefined,
    log: Logger,
  ): Promise<{ build?: ObjectMeta; buildConfig?: ObjectMeta; warnings: string[] }> {
    const warnings: string[] = [];
    const unavailable = new Set<MetadataKind>();
    const buildName = stringMap(pod.metadata.labels)?.[BUILD_NAME_LABEL];
    if (!buildName || !namespace) return { warnings };

    const lookup = async (
      kind: MetadataKind,
      name: string,
    ): Promise<ObjectMetadata | undefined> => {
      let result: LookupResult;
      try {
        result = await this.deps.metadata.get(kind, namespace, name);
      } catch (err) {
        log.warn({ err, kind }, 'metadata lookup threw');
        result = { kind: 'unavailable', why: 'error' };
      }
      this.deps.metrics.lookups.inc({
        kind,
        result: result.kind === 'unavailable' ? result.why : result.kind,
      });
      if (result.kind === 'found') return result.meta;
      if (result.kind === 'unavailable') {
        unavailable.add(kind);
        warnings.push(
          `${kind} ${name} lookup ${LOOKUP_PROBLEM[result.why]}; passthrough annotations skipped`,
        );
        log.warn({ kind, why: result.why }, 'metadata unavailable; passthrough skipped');
      }
      return undefined;
    };

    // The BuildConfig's name is known from the pod's embedded Build already in the common case,
    // so both lookups run side by side and the review waits for at most one timeout.
    const embeddedConfig =
      str(build?.metadata.annotations?.[BUILD_CONFIG_NAME_ANNOTATION]) ??
      str(build?.metadata.labels?.buildconfig);
    const [buildMeta, earlyConfigMeta] = await Promise.all([
      lookup('Build', buildName),
      embeddedConfig ? lookup('BuildConfig', embeddedConfig) : Promise.resolve(undefined),
    ]);
    let configMeta = earlyConfigMeta;
    if (!embeddedConfig && buildMeta) {
      const name =
        stringMap(buildMeta.annotations)?.[BUILD_CONFIG_NAME_ANNOTATION] ??
        stringMap(buildMeta.labels)?.buildconfig;
      if (name) configMeta = await lookup('BuildConfig', name);
    }
    // core falls back to the pod's embedded Build when given no Build metadata; an unanswered
    // lookup must skip passthrough instead, so it gets an explicit empty set.
    const skipped = unavailable.has('Build') ? { annotations: {} } : undefined;
    return {
      build: buildMeta ? { annotations: stringMap(buildMeta.annotations) ?? {} } : skipped,
      buildConfig: configMeta && { annotations: stringMap(configMeta.annotations) ?? {} },
      warnings,
    };
  }
}

const LOOKUP_PROBLEM = { timeout: 'timed out', error: 'failed', throttled: 'throttled' } as const;

function withWarnings(response: AdmissionResponse, warnings: string[]): AdmissionResponse {
  if (warnings.length === 0) return response;
  const unique = [...new Set(warnings.map(shortWarning))].slice(0, MAX_WARNINGS);
  return { ...response, warnings: unique };
}
