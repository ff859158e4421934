import { join } from 'node:path';
import { parse as parseCel } from '@marcbachmann/cel-js';
import { MutatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { BUILD_NAME_LABEL } from '@userns-builds/core';
import { labelSelectorMatches as selects, type LabelSelector } from '../../testing/label-selectors';
import { loadYaml } from '../crd/openapi';

interface Webhook {
  name: string;
  admissionReviewVersions: string[];
  clientConfig: {
    service?: { namespace: string; name: string; path?: string; port?: number };
    url?: string;
    caBundle?: string;
  };
  rules: {
    operations: string[];
    apiGroups: string[];
    apiVersions: string[];
    resources: string[];
    scope?: string;
  }[];
  matchPolicy?: string;
  failurePolicy: string;
  timeoutSeconds: number;
  sideEffects: string;
  reinvocationPolicy: string;
  objectSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  matchConditions?: { name: string; expression: string }[];
}
interface Config {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  webhooks: Webhook[];
}

const config = loadYaml(join(__dirname, 'mutatingwebhookconfiguration.yaml')) as Config;
const webhook = config.webhooks[0]!;
const OWN_NAMESPACE = 'userns-builds';

interface Request {
  operation: string;
  group: string;
  version: string;
  resource: string;
  namespace: string;
  podLabels: Record<string, string>;
}

// Whether the API server would call this webhook for a request: rules, then the selectors, then
// every matchCondition (evaluated by a CEL interpreter), as the admission plugin orders them.
function calls(w: Webhook, req: Request): boolean {
  const ruleMatch = w.rules.some(
    (r) =>
      (r.operations.includes(req.operation) || r.operations.includes('*')) &&
      r.apiGroups.includes(req.group) &&
      r.apiVersions.includes(req.version) &&
      r.resources.includes(req.resource),
  );
  // The API server labels every namespace with its name (kubernetes.io/metadata.name).
  const namespaceLabels = { 'kubernetes.io/metadata.name': req.namespace };
  if (!ruleMatch || !selects(w.namespaceSelector, namespaceLabels)) return false;
  if (!selects(w.objectSelector, req.podLabels)) return false;
  const request = {
    operation: req.operation,
    namespace: req.namespace,
    resource: { group: req.group, version: req.version, resource: req.resource },
  };
  return (w.matchConditions ?? []).every((c) => parseCel(c.expression)({ request }) === true);
}

const buildPod = (namespace: string, extra: Partial<Request> = {}): Request => ({
  operation: 'CREATE',
  group: '',
  version: 'v1',
  resource: 'pods',
  namespace,
  podLabels: { [BUILD_NAME_LABEL]: 'app-1', 'openshift.io/build-config.name': 'app' },
  ...extra,
});

describe('the MutatingWebhookConfiguration', () => {
  it('is a valid admissionregistration.k8s.io/v1 object', () => {
    expect(() => new MutatingWebhookConfiguration(config as never).validate()).not.toThrow();
    expect([config.apiVersion, config.kind, config.metadata.name]).toEqual([
      'admissionregistration.k8s.io/v1',
      'MutatingWebhookConfiguration',
      'userns-builds',
    ]);
  });

  it('asks the OpenShift service CA to inject its CA bundle', () => {
    expect(config.metadata.annotations?.['service.beta.openshift.io/inject-cabundle']).toBe('true');
    // A hard-coded bundle would be overwritten at best and stale at worst.
    expect(webhook.clientConfig.caBundle).toBeUndefined();
  });

  it('has one webhook, build-pods.userns.builds.dev, calling the backend Service at /mutate', () => {
    expect(config.webhooks.map((w) => w.name)).toEqual(['build-pods.userns.builds.dev']);
    expect(webhook.clientConfig).toEqual({
      service: {
        namespace: OWN_NAMESPACE,
        name: 'userns-builds-backend',
        path: '/mutate',
        port: 8443,
      },
    });
  });

  it('speaks AdmissionReview v1 only', () => {
    expect(webhook.admissionReviewVersions).toEqual(['v1']);
  });

  it('fails open, fast, without side effects, and runs again if another webhook changes the pod', () => {
    expect({
      failurePolicy: webhook.failurePolicy,
      timeoutSeconds: webhook.timeoutSeconds,
      sideEffects: webhook.sideEffects,
      reinvocationPolicy: webhook.reinvocationPolicy,
    }).toEqual({
      failurePolicy: 'Ignore',
      timeoutSeconds: 3,
      sideEffects: 'None',
      reinvocationPolicy: 'IfNeeded',
    });
  });

  it('intercepts only pod creation in the core group', () => {
    expect(webhook.rules).toEqual([
      {
        operations: ['CREATE'],
        apiGroups: [''],
        apiVersions: ['v1'],
        resources: ['pods'],
        scope: 'Namespaced',
      },
    ]);
  });

  it('selects pods by the build-name label the build controller sets', () => {
    expect(webhook.objectSelector).toEqual({
      matchExpressions: [{ key: BUILD_NAME_LABEL, operator: 'Exists' }],
    });
  });

  it('excludes its own namespace, the one its Service lives in', () => {
    expect(webhook.namespaceSelector).toEqual({
      matchExpressions: [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [OWN_NAMESPACE] },
      ],
    });
    expect(webhook.clientConfig.service?.namespace).toBe(OWN_NAMESPACE);
  });

  it('excludes openshift-* and kube-* namespaces with matchConditions', () => {
    expect(webhook.matchConditions).toEqual([
      {
        name: 'not-openshift-namespaces',
        expression: "!request.namespace.startsWith('openshift-')",
      },
      { name: 'not-kube-namespaces', expression: "!request.namespace.startsWith('kube-')" },
    ]);
  });
});

const REQUESTS: [string, Request, boolean][] = [
  ['a build pod in a user namespace', buildPod('team-a'), true],
  ['a build pod in a namespace named like a platform one', buildPod('my-openshift-builds'), true],
  ['a build pod in "openshift" (no dash: not a platform prefix)', buildPod('openshift'), true],
  ['a build pod in openshift-config', buildPod('openshift-config'), false],
  ['a build pod in openshift-', buildPod('openshift-'), false],
  ['a build pod in kubeflow (no dash: not a platform prefix)', buildPod('kubeflow'), true],
  ['a build pod in kube-system', buildPod('kube-system'), false],
  ['a build pod in kube-public', buildPod('kube-public'), false],
  ['a build pod in its own namespace', buildPod(OWN_NAMESPACE), false],
  ['a pod without the build label', buildPod('team-a', { podLabels: { app: 'web' } }), false],
  [
    'a pod with a build-config label but no build-name label',
    buildPod('team-a', { podLabels: { 'openshift.io/build-config.name': 'app' } }),
    false,
  ],
  ['an update of a build pod', buildPod('team-a', { operation: 'UPDATE' }), false],
  ['a delete of a build pod', buildPod('team-a', { operation: 'DELETE' }), false],
  [
    'a build pod eviction (pods/eviction)',
    buildPod('team-a', { resource: 'pods/eviction' }),
    false,
  ],
  [
    'a Build object',
    buildPod('team-a', { group: 'build.openshift.io', resource: 'builds' }),
    false,
  ],
];

describe('which requests reach the webhook', () => {
  it.each(REQUESTS.map(([name, request, expected]) => [name, expected, request] as const))(
    '%s → called: %s',
    (_name, expected, request) => {
      expect(calls(webhook, request)).toBe(expected);
    },
  );
});
