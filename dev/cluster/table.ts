// Alternative representations chosen by the Accept header: `as=Table` (kubectl get, the console's
// list pages) and `as=PartialObjectMetadata[List]` (metadata-only informers).
import { ApiError } from './errors';
import type { KubeObject, PrinterColumn, ResourceDef } from './types';

export type Representation =
  | { as: 'object' }
  | { as: 'Table'; version: string; includeObject: 'None' | 'Metadata' | 'Object' }
  | { as: 'PartialObjectMetadata'; version: string };

/** Picks the first representation in the Accept header the emulator can produce. */
export function negotiate(accept: string | undefined, includeObject?: string): Representation {
  if (!accept) return { as: 'object' };
  for (const part of accept.split(',')) {
    const [type, ...paramList] = part.split(';').map((s) => s.trim());
    const params = Object.fromEntries(
      paramList.map((p) => p.split('=').map((s) => s.trim()) as [string, string]),
    );
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*') continue;
    if (!params.as) return { as: 'object' };
    if (params.g !== 'meta.k8s.io') continue;
    const version = params.v ?? 'v1';
    if (params.as === 'Table') {
      const inc =
        includeObject === 'None' || includeObject === 'Object' ? includeObject : 'Metadata';
      return { as: 'Table', version, includeObject: inc };
    }
    if (params.as === 'PartialObjectMetadata' || params.as === 'PartialObjectMetadataList') {
      return { as: 'PartialObjectMetadata', version };
    }
  }
  throw new ApiError(
    406,
    'NotAcceptable',
    `only the following media types are accepted: application/json, application/yaml`,
  );
}

export function partialMetadata(obj: KubeObject, version: string): object {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: obj.metadata,
  };
}

export function partialMetadataList(
  items: readonly KubeObject[],
  version: string,
  listMeta: object,
): object {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: listMeta,
    items: items.map((o) => partialMetadata(o, version)),
  };
}

/** `.spec.a.b` or `.spec.list[0].c`: the JSONPath subset CRD printer columns use. */
function jsonPathValue(obj: unknown, path: string): unknown {
  const segments = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  let cur: unknown = obj;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

/** "5m", "3h", "12d": the shape kubectl prints for ages. */
export function humanAge(from: string | undefined, now = Date.now()): string {
  if (!from) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(from)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const DEFAULT_COLUMNS: PrinterColumn[] = [
  { name: 'Name', type: 'string', format: 'name', value: (o) => o.metadata.name },
];

function columnsOf(def: ResourceDef): PrinterColumn[] {
  return [
    ...(def.columns ?? DEFAULT_COLUMNS),
    { name: 'Age', type: 'date', value: (o) => o.metadata.creationTimestamp },
  ];
}

function cell(col: PrinterColumn, obj: KubeObject): unknown {
  const v = typeof col.value === 'function' ? col.value(obj) : jsonPathValue(obj, col.value);
  // Date columns are printed as ages, like the server-side printers do.
  if (col.type === 'date') return typeof v === 'string' ? humanAge(v) : '<unknown>';
  return v ?? '';
}

export function toTable(
  def: ResourceDef,
  items: readonly KubeObject[],
  rep: Extract<Representation, { as: 'Table' }>,
  listMeta: object,
  withColumns = true,
): object {
  const cols = columnsOf(def);
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${rep.version}`,
    metadata: listMeta,
    columnDefinitions: withColumns
      ? cols.map((c) => ({
          name: c.name,
          type: c.type === 'date' ? 'string' : c.type,
          format: c.format ?? '',
          description: c.description ?? c.name,
          priority: c.priority ?? 0,
        }))
      : [],
    rows: items.map((o) => ({
      cells: cols.map((c) => cell(c, o)),
      ...(rep.includeObject === 'None'
        ? {}
        : { object: rep.includeObject === 'Object' ? o : partialMetadata(o, 'v1') }),
    })),
  };
}
