// Defaulting and validation for built-in kinds, as their API server strategies do it.
import type { Api } from './api';
import { invalid } from './errors';
import { MWC_KEY, webhookConfigProblems } from './admission';
import { checkPolicyObject, VAP_KEY, VAPB_KEY } from './policies';
import type { KubeObject } from './types';

export function installBuiltinHooks(api: Api): void {
  api.hooks.set('namespaces', {
    prepareCreate: (ns) => {
      // The API server labels every namespace with its name, which webhook namespaceSelectors use.
      ns.metadata.labels = {
        ...ns.metadata.labels,
        'kubernetes.io/metadata.name': ns.metadata.name!,
      };
      ns.spec = { finalizers: ['kubernetes'] };
      ns.status = { phase: 'Active' };
    },
    prepareUpdate: (ns) => {
      ns.metadata.labels = {
        ...ns.metadata.labels,
        'kubernetes.io/metadata.name': ns.metadata.name!,
      };
    },
    // The namespace controller empties a deleted namespace; here it happens at once.
    afterDelete: (ns) => {
      for (const def of api.storedDefs()) {
        if (!def.namespaced) continue;
        for (const o of [
          ...api.store.list(
            `${def.group ? `${def.resource}.${def.group}` : def.resource}`,
            ns.metadata.name,
          ),
        ]) {
          // Everything in the namespace goes anyway: no need to look for dependents.
          api.removeNow(def, o, false);
        }
      }
    },
  });
  api.hooks.set('pods', {
    prepareCreate: (pod) => {
      const spec = (pod.spec ?? {}) as { containers?: { name?: string }[]; [k: string]: unknown };
      if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
        throw invalid('Pod', pod.metadata.name!, [
          { field: 'spec.containers', message: 'Required value' },
        ]);
      }
      spec.restartPolicy ??= 'Always';
      spec.serviceAccountName ??= 'default';
      spec.terminationGracePeriodSeconds ??= 30;
      spec.dnsPolicy ??= 'ClusterFirst';
      spec.schedulerName ??= 'default-scheduler';
      pod.spec = spec;
      pod.status = { phase: 'Pending', qosClass: 'BestEffort' };
    },
  });
  api.hooks.set('builds.build.openshift.io', {
    prepareCreate: (b) => {
      const status = (b.status ?? {}) as Record<string, unknown>;
      status.phase ??= 'New';
      b.status = status;
    },
  });
  api.hooks.set(VAP_KEY, {
    prepareCreate: (obj: KubeObject) => checkPolicyObject(obj, 'policy'),
    prepareUpdate: (obj: KubeObject) => checkPolicyObject(obj, 'policy'),
  });
  api.hooks.set(VAPB_KEY, {
    prepareCreate: (obj: KubeObject) => checkPolicyObject(obj, 'binding'),
    prepareUpdate: (obj: KubeObject) => checkPolicyObject(obj, 'binding'),
  });
  api.hooks.set(MWC_KEY, {
    prepareCreate: (obj: KubeObject) => checkWebhooks(obj),
    prepareUpdate: (obj: KubeObject) => checkWebhooks(obj),
  });
}

function checkWebhooks(obj: KubeObject): void {
  const problems = webhookConfigProblems(obj);
  if (problems.length) {
    throw invalid(
      'MutatingWebhookConfiguration',
      obj.metadata.name!,
      problems,
      'admissionregistration.k8s.io',
    );
  }
}
