// The CRI-O annotations a build pod may carry (docs/architecture.md#cri-o-and-kubernetes-user-namespaces): syntax, and whether a value keeps the
// isolation user namespaces exist for.

/** One ID mapping: container IDs [containerId, containerId+size) onto host IDs [hostId, …). */
export interface IdMapping {
  containerId: number;
  hostId: number;
  size: number;
}

export interface UsernsMode {
  size?: number;
  uidMappings: IdMapping[];
  gidMappings: IdMapping[];
  mapToRoot?: boolean;
}

export type UsernsModeParse = { ok: true; mode: UsernsMode } | { ok: false; error: string };

const UINT32_MAX = 4294967295;
const MAPPING_ENTRY = /^\+?[ug]*(\d+):@?(\d+)(?::(\d+))?$/;

/**
 * Parses an io.kubernetes.cri-o.userns-mode value: `auto`, or `auto:` followed by `;`-separated
 * options `size=N`, `uidmapping=C:H:S`, `gidmapping=C:H:S`, `map-to-root=true|false`. A mapping
 * option may list several mappings separated by `,` (containers/storage's ID map syntax, whose
 * optional `@` marks a host ID relative to the parent namespace).
 */
export function parseUsernsMode(value: string): UsernsModeParse {
  if (value === 'auto') return { ok: true, mode: { uidMappings: [], gidMappings: [] } };
  if (!value.startsWith('auto:')) {
    return fail(value, 'must be "auto" or "auto:" followed by options');
  }
  const mode: UsernsMode = { uidMappings: [], gidMappings: [] };
  for (const option of value.slice('auto:'.length).split(';')) {
    const eq = option.indexOf('=');
    if (eq <= 0) return fail(value, `option ${JSON.stringify(option)} is not key=value`);
    const key = option.slice(0, eq);
    const arg = option.slice(eq + 1);
    switch (key) {
      case 'size': {
        const size = parseId(arg);
        if (size === undefined || size === 0) {
          return fail(value, `size ${JSON.stringify(arg)} must be a positive 32-bit integer`);
        }
        mode.size = size;
        break;
      }
      case 'uidmapping':
      case 'gidmapping': {
        const mappings = parseMappings(arg);
        if (!mappings) {
          return fail(value, `${key} ${JSON.stringify(arg)} must be containerID:hostID:size[,…]`);
        }
        (key === 'uidmapping' ? mode.uidMappings : mode.gidMappings).push(...mappings);
        break;
      }
      case 'map-to-root':
        if (arg !== 'true' && arg !== 'false') {
          return fail(value, `map-to-root must be true or false, not ${JSON.stringify(arg)}`);
        }
        mode.mapToRoot = arg === 'true';
        break;
      default:
        return fail(value, `unknown option ${JSON.stringify(key)}`);
    }
  }
  return { ok: true, mode };
}

function fail(value: string, why: string): UsernsModeParse {
  return { ok: false, error: `userns-mode ${JSON.stringify(value)}: ${why}` };
}

function parseId(text: string): number | undefined {
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= UINT32_MAX ? n : undefined;
}

function parseMappings(text: string): IdMapping[] | undefined {
  const mappings: IdMapping[] = [];
  for (const entry of text.split(',')) {
    const m = MAPPING_ENTRY.exec(entry);
    if (!m) return undefined;
    const containerId = parseId(m[1] ?? '');
    const hostId = parseId(m[2] ?? '');
    const size = m[3] === undefined ? 1 : parseId(m[3]);
    if (containerId === undefined || hostId === undefined || !size) return undefined;
    mappings.push({ containerId, hostId, size });
  }
  return mappings;
}

/**
 * Why a userns-mode value would undo the isolation, or undefined when it keeps it. A mapping whose
 * host range includes ID 0 hands host root (or the root group) to the container. map-to-root is
 * fine: it maps the container's user onto root *inside* the namespace, and that root is still an
 * unprivileged ID on the node.
 */
export function usernsModeHazard(value: string): string | undefined {
  const parsed = parseUsernsMode(value);
  if (!parsed.ok) return `${parsed.error}; CRI-O would reject the pod`;
  const kinds = [
    ['uidmapping', parsed.mode.uidMappings],
    ['gidmapping', parsed.mode.gidMappings],
  ] as const;
  for (const [kind, mappings] of kinds) {
    const toRoot = mappings.find((m) => m.hostId === 0);
    if (toRoot) {
      const id = kind === 'uidmapping' ? 'UID' : 'GID';
      return `${kind} ${toRoot.containerId}:0:${toRoot.size} maps container ${id}s onto host ${id} 0`;
    }
  }
  return undefined;
}

const FUSE_DEVICE = /^\/dev\/fuse(?::\/dev\/fuse)?(?::([rwm]{1,3}))?$/;

/**
 * Why an io.kubernetes.cri-o.Devices value grants more than OpenShift's /dev/fuse, or undefined.
 * Accepts `/dev/fuse`, optionally with its container path and cgroup permissions (`:rwm`).
 */
export function devicesHazard(value: string): string | undefined {
  const m = FUSE_DEVICE.exec(value);
  const perms = m?.[1];
  if (m && (perms === undefined || new Set(perms).size === perms.length)) return undefined;
  return `Devices ${JSON.stringify(value)} asks for more than /dev/fuse`;
}
