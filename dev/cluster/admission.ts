// Mutating admission as the API server does it: every matching webhook of every
// MutatingWebhookConfiguration (in name order) gets an AdmissionReview v1 over HTTPS, and the
// JSONPatch it returns is applied before the object is stored.
import https from 'node:https';
import { applyPatch, type Operation } from 'fast-json-patch';
import { ApiError, internalError } from './errors';
import type { LabelSelector } from '../../testing/label-selectors';
import {
  admissionRequest,
  celValue,
  ruleMatches,
  selectorsMatch,
  type AdmissionAttributes,
  type AdmissionRequest,
  type Rule,
} from './admission-request';
import type { ServiceDirectory } from './services';
import type { Store } from './store';
import { denialError, evaluatePolicies, VAP_KEY, VAPB_KEY, type PolicyDecision } from './policies';
import type { Registry } from './registry';
import type { KubeObject } from './types';
import { apiVersionOf, storageKey } from './types';

export const MWC_KEY = 'mutatingwebhookconfigurations.admissionregistration.k8s.io';

export interface Webhook {
  name: string;
  clientConfig?: {
    url?: string;
    caBundle?: string;
    service?: { name: string; namespace: string; path?: string; port?: number };
  };
  rules?: Rule[];
  failurePolicy?: 'Ignore' | 'Fail';
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  sideEffects?: string;
  timeoutSeconds?: number;
  matchConditions?: { name: string; expression: string }[];
}

export interface AdmissionResult {
  object?: KubeObject;
  /** For the `Warning` response header. */
  warnings: string[];
}

async function conditionsMatch(
  hook: Webhook,
  a: AdmissionAttributes,
  request: object,
): Promise<boolean> {
  if (!hook.matchConditions?.length) return true;
  // CEL is optional here: the evaluator is a dev dependency of another part of the repo.
  const cel = (await import('@marcbachmann/cel-js')) as { evaluate(e: string, c: object): unknown };
  const vars = celValue({
    object: a.object ?? null,
    oldObject: a.oldObject ?? null,
    request,
  }) as object;
  return hook.matchConditions.every((c) => {
    const r = cel.evaluate(c.expression, vars);
    return r === true;
  });
}

export class Admission {
  /** What Audit validation actions recorded, newest last (bounded, like a short audit log). */
  readonly auditLog: PolicyDecision[] = [];

  constructor(
    private readonly store: Store,
    private readonly services?: ServiceDirectory,
    private readonly registry?: Registry,
  ) {}

  /**
   * Runs the ValidatingAdmissionPolicies on the object as mutated; throws the Status the API
   * server returns when a Deny binding refuses it, and returns the warnings of Warn bindings.
   */
  validate(a: AdmissionAttributes): string[] {
    const registry = this.registry;
    const outcome = evaluatePolicies(a, {
      policies: this.store.list(VAP_KEY),
      bindings: this.store.list(VAPB_KEY),
      namespaceObject: a.namespace
        ? this.store.get('namespaces', undefined, a.namespace)
        : undefined,
      paramResource: (apiVersion, kind) =>
        registry
          ?.all()
          .find((d) => apiVersionOf(d) === apiVersion && d.kind === kind && !d.virtual),
      listParams: (def, namespace) => this.store.list(storageKey(def), namespace),
    });
    this.auditLog.push(...outcome.audit);
    this.auditLog.splice(0, Math.max(0, this.auditLog.length - 1000));
    if (outcome.denied) throw denialError(a, outcome.denied);
    return outcome.warnings;
  }

  private namespaceLabels(ns: string | undefined): Record<string, string> | undefined {
    return ns ? (this.store.get('namespaces', undefined, ns)?.metadata.labels ?? {}) : undefined;
  }

  private selectorsMatch(hook: Webhook, a: AdmissionAttributes): boolean {
    return selectorsMatch(hook, a, this.namespaceLabels(a.namespace));
  }

  /** Where a webhook is called, and with which CA, as the API server would resolve it. */
  private target(config: KubeObject, hook: Webhook): WebhookTarget {
    const cc = hook.clientConfig ?? {};
    const injected =
      config.metadata.annotations?.['service.beta.openshift.io/inject-cabundle'] === 'true'
        ? this.services?.serviceCA
        : undefined;
    const ca = cc.caBundle ? Buffer.from(cc.caBundle, 'base64') : injected;
    if (cc.url)
      return { name: hook.name, timeoutSeconds: hook.timeoutSeconds, url: new URL(cc.url), ca };
    if (!cc.service)
      return { name: hook.name, timeoutSeconds: hook.timeoutSeconds, error: 'no url or service' };
    const resolved = this.services?.resolve(cc.service) ?? 'no service directory';
    if (typeof resolved === 'string') {
      return { name: hook.name, timeoutSeconds: hook.timeoutSeconds, error: resolved };
    }
    return { name: hook.name, timeoutSeconds: hook.timeoutSeconds, ...resolved, ca };
  }

  /** Runs the mutating webhooks; throws the Status the API server would return on rejection. */
  async mutate(a: AdmissionAttributes): Promise<AdmissionResult> {
    const warnings: string[] = [];
    let object = a.object;
    const configs = [...this.store.list(MWC_KEY)].sort((x, y) =>
      x.metadata.name!.localeCompare(y.metadata.name!),
    );
    for (const config of configs) {
      for (const hook of (config.webhooks as Webhook[] | undefined) ?? []) {
        const current: AdmissionAttributes = { ...a, ...(object ? { object } : {}) };
        if (
          !(hook.rules ?? []).some((r) => ruleMatches(r, current)) ||
          !this.selectorsMatch(hook, current)
        )
          continue;
        const request = this.request(current);
        const failurePolicy = hook.failurePolicy ?? 'Fail';
        try {
          if (!(await conditionsMatch(hook, current, request))) continue;
        } catch (e) {
          if (failurePolicy === 'Ignore') {
            warnings.push(
              `failed evaluating matchConditions of webhook "${hook.name}": ${(e as Error).message}`,
            );
            continue;
          }
          throw internalError(
            `failed calling webhook "${hook.name}": matchConditions: ${(e as Error).message}`,
          );
        }
        if (a.dryRun && hook.sideEffects !== 'None' && hook.sideEffects !== 'NoneOnDryRun') {
          throw new ApiError(
            400,
            'BadRequest',
            `admission webhook "${hook.name}" does not support dry run`,
          );
        }
        let response: AdmissionResponse;
        try {
          response = await callWebhook(this.target(config, hook), request);
        } catch (e) {
          const message = `failed calling webhook "${hook.name}": ${(e as Error).message}`;
          if (failurePolicy === 'Ignore') {
            warnings.push(message);
            continue;
          }
          throw internalError(message);
        }
        warnings.push(...(response.warnings ?? []));
        if (!response.allowed) {
          const st = response.status ?? {};
          const code = st.code && st.code >= 400 ? st.code : 400;
          throw new ApiError(
            code,
            st.reason ?? (code === 403 ? 'Forbidden' : 'BadRequest'),
            `admission webhook "${hook.name}" denied the request${st.message ? `: ${st.message}` : ' without explanation'}`,
          );
        }
        if (response.patch && object) {
          if (response.patchType !== 'JSONPatch') {
            throw internalError(
              `failed calling webhook "${hook.name}": unsupported patch type "${response.patchType}"`,
            );
          }
          try {
            const ops = JSON.parse(
              Buffer.from(response.patch, 'base64').toString('utf8'),
            ) as Operation[];
            object = applyPatch(structuredClone(object), ops, true, false).newDocument;
          } catch (e) {
            throw internalError(
              `failed calling webhook "${hook.name}": invalid patch: ${(e as Error).message}`,
            );
          }
        }
      }
    }
    return { ...(object ? { object } : {}), warnings };
  }

  private request(a: AdmissionAttributes): AdmissionRequest {
    return admissionRequest(a);
  }
}

interface AdmissionResponse {
  uid?: string;
  allowed?: boolean;
  patch?: string;
  patchType?: string;
  warnings?: string[];
  status?: { code?: number; reason?: string; message?: string };
}

interface WebhookTarget {
  name: string;
  timeoutSeconds: number | undefined;
  url?: URL;
  servername?: string;
  ca?: Buffer | undefined;
  /** Why the webhook cannot be called at all. */
  error?: string;
}

function callWebhook(target: WebhookTarget, request: AdmissionRequest): Promise<AdmissionResponse> {
  const timeoutSeconds = Math.min(Math.max(target.timeoutSeconds ?? 10, 1), 30);
  if (!target.url) {
    return Promise.reject(new Error(`failed to call webhook: ${target.error ?? 'no address'}`));
  }
  const url = new URL(target.url);
  url.searchParams.set('timeout', `${timeoutSeconds}s`);
  const display = `Post "${url.toString()}"`;
  const body = JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request,
  });
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        ...(target.ca ? { ca: target.ca.toString('utf8') } : {}),
        ...(target.servername ? { servername: target.servername } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) >= 300) {
            reject(
              new Error(
                `failed to call webhook: the server responded with status ${res.statusCode}: ${text.slice(0, 200)}`,
              ),
            );
            return;
          }
          try {
            const review = JSON.parse(text) as { response?: AdmissionResponse };
            if (!review.response) throw new Error('webhook response was absent');
            if (review.response.uid !== request.uid) {
              throw new Error(
                `expected response.uid="${request.uid}", got "${review.response.uid}"`,
              );
            }
            resolve(review.response);
          } catch (e) {
            reject(new Error(`received invalid webhook response: ${(e as Error).message}`));
          }
        });
        res.on('error', (e) =>
          reject(new Error(`failed to call webhook: ${display}: ${e.message}`)),
        );
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`failed to call webhook: ${display}: context deadline exceeded`));
    }, timeoutSeconds * 1000);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`failed to call webhook: ${display}: ${e.message}`));
    });
    req.end(body);
  });
}

/** Validation the API server applies to a MutatingWebhookConfiguration. */
export function webhookConfigProblems(obj: KubeObject): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  ((obj.webhooks as Webhook[] | undefined) ?? []).forEach((w, i) => {
    const url = w.clientConfig?.url;
    if (!url && !w.clientConfig?.service) {
      problems.push({
        field: `webhooks[${i}].clientConfig`,
        message: 'Required value: exactly one of url or service is required',
      });
    }
    if (url && !url.startsWith('https://')) {
      problems.push({
        field: `webhooks[${i}].clientConfig.url`,
        message: `Invalid value: "${url}": 'https' is the only allowed URL scheme`,
      });
    }
    if (!w.sideEffects)
      problems.push({ field: `webhooks[${i}].sideEffects`, message: 'Required value' });
  });
  return problems;
}
