// Just enough OpenAPI v3 for kubectl: it reads the PATCH operations to learn that the server
// validates fields itself (`fieldValidation`), and then skips client-side schema validation,
// which would need full schemas the emulator does not have.
import type { Registry } from './registry';
import { apiVersionOf } from './types';

const gvPath = (group: string, version: string) =>
  group ? `apis/${group}/${version}` : `api/${version}`;

export function openapiV3(registry: Registry, path: string): object | undefined {
  const gvs = new Map<string, { group: string; version: string }>();
  for (const d of registry.all())
    gvs.set(gvPath(d.group, d.version), { group: d.group, version: d.version });
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    return {
      paths: Object.fromEntries(
        [...gvs.keys()].map((p) => [
          p,
          { serverRelativeURL: `/openapi/v3/${p}?hash=${registry.all().length}` },
        ]),
      ),
    };
  }
  const key = path.replace(/^\/openapi\/v3\//, '');
  const gv = gvs.get(key);
  if (!gv) return undefined;
  const paths: Record<string, object> = {};
  for (const d of registry.all()) {
    if (d.group !== gv.group || d.version !== gv.version || d.virtual) continue;
    const gvk = { group: d.group, version: d.version, kind: d.kind };
    const op = (action: string) => ({
      operationId: `${action}${d.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters: [
        { name: 'dryRun', in: 'query', schema: { type: 'string' } },
        { name: 'fieldManager', in: 'query', schema: { type: 'string' } },
        { name: 'fieldValidation', in: 'query', schema: { type: 'string' } },
      ],
      responses: { '200': { description: 'OK' } },
    });
    const base = `/${key}${d.namespaced ? '/namespaces/{namespace}' : ''}/${d.resource}`;
    paths[base] = { post: op('post') };
    paths[`${base}/{name}`] = { put: op('put'), patch: op('patch') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: apiVersionOf(gv) },
    paths,
    components: { schemas: {} },
  };
}
