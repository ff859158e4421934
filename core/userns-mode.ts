// The CRI-O annotations a build pod may carry (docs/architecture.md#cri-o-and-kubernetes-user-namespaces): syntax, and whether a value keeps the
// isolation user namespaces exist for.
import { CRIO_DEVICES_ANNOTATION, CRIO_USERNS_ANNOTATION } from './constants';

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
 * The first host ID a user namespace may use. IDs below it belong to the node's own users and
 * services (root first); CRI-O hands out ranges from the node's subordinate IDs, which start here
 * on OpenShift nodes.
 */
export const FIRST_SUBORDINATE_ID = 65536;

// Modes containers/storage knows besides `auto`; each leaves the container on host IDs.
const NAMED_MODES: Readonly<Record<string, string>> = {
  host: "shares the node's user namespace, so container root is host root",
  'keep-id': 'keeps container IDs as host IDs, so a root build runs as host UID 0',
  nomap: 'is for rootless callers only and maps no subordinate range',
};

/**
 * Why a userns-mode value would undo the isolation, or undefined when it keeps it. A mapping whose
 * host range starts below the node's subordinate IDs hands the container host root (or another
 * node account): even `0:1:65536` makes container UID 1 host UID 2. map-to-root is fine: it maps
 * the container's user onto root *inside* the namespace, still an unprivileged ID on the node.
 */
export function usernsModeHazard(value: string): string | undefined {
  const name = value.split(':')[0] ?? '';
  const named = Object.prototype.hasOwnProperty.call(NAMED_MODES, name)
    ? NAMED_MODES[name]
    : undefined;
  if (named !== undefined) return `userns-mode ${JSON.stringify(value)}: ${name} ${named}`;
  const parsed = parseUsernsMode(value);
  if (!parsed.ok) return `${parsed.error}; CRI-O would reject the pod`;
  const kinds = [
    ['uidmapping', parsed.mode.uidMappings],
    ['gidmapping', parsed.mode.gidMappings],
  ] as const;
  for (const [kind, mappings] of kinds) {
    const low = mappings.find((m) => m.hostId < FIRST_SUBORDINATE_ID);
    if (!low) continue;
    const id = kind === 'uidmapping' ? 'UID' : 'GID';
    const entry = `${kind} ${low.containerId}:${low.hostId}:${low.size}`;
    return low.hostId === 0
      ? `${entry} maps container ${id}s onto host ${id} 0`
      : `${entry} maps container ${id}s onto host ${id}s below ${FIRST_SUBORDINATE_ID}, the node's own`;
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

/**
 * Why the value of a CRI-O annotation a builder pod may carry would widen what the pod gets, or
 * undefined when it is safe (or the key is not one of them). Values that are not strings count as
 * unsafe: nothing can say what CRI-O would make of them.
 */
export function crioAnnotationHazard(key: string, value: unknown): string | undefined {
  if (key !== CRIO_USERNS_ANNOTATION && key !== CRIO_DEVICES_ANNOTATION) return undefined;
  if (typeof value !== 'string') return 'the value is not a string';
  return key === CRIO_USERNS_ANNOTATION ? usernsModeHazard(value) : devicesHazard(value);
}

export interface UnsafeAnnotation {
  key: string;
  value: string;
  reason: string;
}

/** The CRI-O values in an annotation map (untrusted input) that would widen what a pod gets. */
export function unsafeCrioAnnotations(annotations: unknown): UnsafeAnnotation[] {
  if (typeof annotations !== 'object' || annotations === null) return [];
  const found: UnsafeAnnotation[] = [];
  for (const key of [CRIO_USERNS_ANNOTATION, CRIO_DEVICES_ANNOTATION]) {
    if (!Object.prototype.hasOwnProperty.call(annotations, key)) continue;
    const value: unknown = (annotations as Record<string, unknown>)[key];
    const reason = crioAnnotationHazard(key, value);
    if (reason !== undefined) found.push({ key, value: String(value), reason });
  }
  return found;
}
