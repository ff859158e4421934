// Legacy (non-aggregated) discovery documents. kubectl asks for the aggregated form first and
// falls back to these when the response is plain JSON, as it does against older servers.
import type { Registry } from './registry';
import type { ResourceDef } from './types';

function resourceList(defs: readonly ResourceDef[], groupVersion: string): object {
  const resources: object[] = [];
  for (const d of defs) {
    resources.push({
      name: d.resource,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: d.verbs,
      ...(d.shortNames ? { shortNames: d.shortNames } : {}),
      ...(d.categories ? { categories: d.categories } : {}),
    });
    for (const sub of d.subresources ?? []) {
      const verbs =
        sub === 'status'
          ? ['get', 'patch', 'update']
          : sub === 'instantiate'
            ? ['create']
            : ['get'];
      resources.push({
        name: `${d.resource}/${sub}`,
        singularName: '',
        namespaced: d.namespaced,
        kind: d.kind,
        verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

function versionsOf(registry: Registry, group: string): string[] {
  const versions: string[] = [];
  for (const d of registry.all())
    if (d.group === group && !versions.includes(d.version)) versions.push(d.version);
  return versions;
}

function groupDoc(registry: Registry, name: string): object {
  const versions = versionsOf(registry, name).map((v) => ({
    groupVersion: `${name}/${v}`,
    version: v,
  }));
  return { name, versions, preferredVersion: versions[0] };
}

/** The discovery document for `path`, or undefined when the path is not a discovery path. */
export function discover(registry: Registry, path: string): object | undefined {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'api') {
    if (parts.length === 1) {
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }],
      };
    }
    if (parts.length === 2 && parts[1] === 'v1') {
      return resourceList(
        registry.all().filter((d) => d.group === ''),
        'v1',
      );
    }
    return undefined;
  }
  if (parts[0] !== 'apis') return undefined;
  if (parts.length === 1) {
    const groups: string[] = [];
    for (const d of registry.all()) if (d.group && !groups.includes(d.group)) groups.push(d.group);
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map((g) => groupDoc(registry, g)),
    };
  }
  const group = parts[1]!;
  if (!registry.all().some((d) => d.group === group)) return undefined;
  if (parts.length === 2)
    return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(registry, group) };
  if (parts.length === 3) {
    const defs = registry.all().filter((d) => d.group === group && d.version === parts[2]);
    return defs.length ? resourceList(defs, `${group}/${parts[2]}`) : undefined;
  }
  return undefined;
}
