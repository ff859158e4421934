// Test tooling for the Kustomize entry points: render them with the real `kubectl kustomize`, and
// validate every object strictly against its API schema. Not shipped.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';

export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
export const DEPLOY = resolve(__dirname, '..');
const ROOT = resolve(DEPLOY, '..');
const run = promisify(execFile);

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** `kubectl kustomize DIR`, parsed. Extra flags, e.g. a load restrictor, go in `flags`. */
export async function render(dir: string, flags: string[] = []): Promise<Manifest[]> {
  const { stdout } = await run(KUBECTL, ['kustomize', dir, ...flags], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseAllDocuments(stdout)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

export function find(objects: Manifest[], kind: string, name?: string): Manifest {
  const found = objects.filter((o) => o.kind === kind && (!name || o.metadata.name === name));
  const [only] = found;
  if (found.length !== 1 || !only) {
    throw new Error(`expected one ${kind} ${name ?? ''}, got ${found.length}`);
  }
  return only;
}

// The TypeScript interface of each kind, from kubernetes-models (Kubernetes' and the Prometheus
// Operator's OpenAPI). Their runtime validators accept unknown fields; TypeScript's excess-property
// check on an object literal does not, which is what catches a misspelt field name.
const TYPED: Record<string, { module: string; type: string }> = {
  'v1/Namespace': { module: 'kubernetes-models/v1/Namespace', type: 'INamespace' },
  'v1/ServiceAccount': { module: 'kubernetes-models/v1/ServiceAccount', type: 'IServiceAccount' },
  'v1/Service': { module: 'kubernetes-models/v1/Service', type: 'IService' },
  'apps/v1/Deployment': { module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'policy/v1/PodDisruptionBudget': {
    module: 'kubernetes-models/policy/v1/PodDisruptionBudget',
    type: 'IPodDisruptionBudget',
  },
  'networking.k8s.io/v1/NetworkPolicy': {
    module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
    type: 'INetworkPolicy',
  },
  ...Object.fromEntries(
    ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].map((k) => [
      `rbac.authorization.k8s.io/v1/${k}`,
      { module: `kubernetes-models/rbac.authorization.k8s.io/v1/${k}`, type: `I${k}` },
    ]),
  ),
  'apiextensions.k8s.io/v1/CustomResourceDefinition': {
    module: 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition',
    type: 'ICustomResourceDefinition',
  },
  ...Object.fromEntries(
    [
      'MutatingWebhookConfiguration',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ].map((k) => [
      `admissionregistration.k8s.io/v1/${k}`,
      { module: `kubernetes-models/admissionregistration.k8s.io/v1/${k}`, type: `I${k}` },
    ]),
  ),
  'monitoring.coreos.com/v1/ServiceMonitor': {
    module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
    type: 'IServiceMonitor',
  },
  'monitoring.coreos.com/v1/PrometheusRule': {
    module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
    type: 'IPrometheusRule',
  },
};

// OpenShift's console kinds have no typed package on npm; these schemas hold the fields we use,
// as the API reference documents them
// (https://docs.okd.io/latest/rest_api/console_apis/consoleplugin-console-openshift-io-v1.html),
// closed to unknown fields like the real structural schemas.
const meta = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
  additionalProperties: false,
};
const serviceRef = (withBasePath: boolean) => ({
  type: 'object',
  required: ['name', 'namespace', 'port'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 128 },
    namespace: { type: 'string', minLength: 1, maxLength: 128 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    ...(withBasePath && { basePath: { type: 'string', pattern: '^/', maxLength: 256 } }),
  },
  additionalProperties: false,
});
const SCHEMAS: Record<string, object> = {
  'console.openshift.io/v1/ConsolePlugin': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'console.openshift.io/v1' },
      kind: { const: 'ConsolePlugin' },
      metadata: meta,
      spec: {
        type: 'object',
        required: ['backend', 'displayName'],
        properties: {
          displayName: { type: 'string', minLength: 1, maxLength: 128 },
          i18n: {
            type: 'object',
            properties: { loadType: { enum: ['Preload', 'Lazy', ''] } },
            additionalProperties: false,
          },
          backend: {
            type: 'object',
            required: ['type'],
            properties: { type: { const: 'Service' }, service: serviceRef(true) },
            additionalProperties: false,
          },
          proxy: {
            type: 'array',
            items: {
              type: 'object',
              required: ['alias', 'endpoint'],
              properties: {
                alias: {
                  type: 'string',
                  pattern: '^[A-Za-z0-9-_]+$',
                  minLength: 1,
                  maxLength: 128,
                },
                authorization: { enum: ['UserToken', 'None'] },
                caCertificate: { type: 'string' },
                endpoint: {
                  type: 'object',
                  required: ['type'],
                  properties: { type: { const: 'Service' }, service: serviceRef(false) },
                  additionalProperties: false,
                },
              },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  'operator.openshift.io/v1/Console': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'operator.openshift.io/v1' },
      kind: { const: 'Console' },
      metadata: { ...meta, properties: { name: { const: 'cluster' } } },
      spec: {
        type: 'object',
        properties: { plugins: { type: 'array', items: { type: 'string' } } },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
};

function typeKey(m: Manifest): string {
  return `${m.apiVersion}/${m.kind}`;
}

/**
 * Problems with each object, checked against its schema; an empty list when all are valid. A kind
 * with no schema here is itself a problem, so a new kind can't slip in unchecked.
 */
export async function validate(objects: Manifest[]): Promise<string[]> {
  const problems: string[] = [];
  const ajv = new Ajv({ allErrors: true, strict: false });
  const typed: Manifest[] = [];
  for (const o of objects) {
    const key = typeKey(o);
    if (TYPED[key]) typed.push(o);
    else if (SCHEMAS[key]) {
      const check = ajv.compile(SCHEMAS[key]);
      const data: unknown = o; // the type guard would narrow `o` itself to never
      if (!check(data)) problems.push(`${key} ${o.metadata.name}: ${ajv.errorsText(check.errors)}`);
    } else if (key === 'userns.builds.dev/v1alpha1/BuildPolicy') {
      // Validated by deploy/crd's tests against the CRD itself (schema and CEL).
    } else problems.push(`${key} ${o.metadata.name}: no schema to validate this kind against`);
  }
  if (typed.length) problems.push(...(await typecheck(typed)));
  return problems;
}

async function typecheck(objects: Manifest[]): Promise<string[]> {
  // Inside the checkout so module resolution finds node_modules; removed afterwards.
  const dir = mkdtempSync(join(ROOT, '.manifest-check-'));
  try {
    const used = [...new Set(objects.map(typeKey))];
    const lines = used.map((k, i) => {
      const { type, module } = TYPED[k] ?? { type: 'never', module: '' };
      return `import type { ${type} as T${i} } from '${module}';`;
    });
    objects.forEach((o, n) => {
      const t = `T${used.indexOf(typeKey(o))}`;
      lines.push(`// ${typeKey(o)} ${o.metadata.name}`);
      lines.push(`export const o${n}: ${t} = ${JSON.stringify(o, null, 1)};`);
    });
    writeFileSync(join(dir, 'manifests.ts'), `${lines.join('\n')}\n`);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [
      ...['--noEmit', '--strict', '--skipLibCheck', '--types', 'node'],
      ...['--module', 'commonjs', '--moduleResolution', 'node10', '--target', 'ES2022'],
      join(dir, 'manifests.ts'),
    ];
    try {
      await run(process.execPath, [tsc, ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
      return [];
    } catch (err) {
      const out = String((err as { stdout?: string }).stdout ?? err);
      return out.split('\n').filter((l) => l.includes('error TS'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
