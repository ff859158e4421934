// kubectl sends some requests (e.g. `auth can-i`) as Kubernetes protobuf. The emulator has no
// generated schemas, so it decodes only the review kinds by hand; everything else gets 415.
import { ApiError } from './errors';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Fields = Map<number, Buffer[]>;

function varint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 10; i++) {
    const b = buf[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [result, pos];
    shift += 7;
  }
  throw new Error('bad varint');
}

/** Length-delimited fields only (strings and messages): all the review kinds use. */
function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = varint(buf, pos);
    const wire = key & 7;
    const num = Math.floor(key / 8);
    if (wire === 0) {
      pos = varint(buf, p1)[1];
    } else if (wire === 2) {
      const [len, p2] = varint(buf, p1);
      const list = out.get(num) ?? [];
      list.push(buf.subarray(p2, p2 + len));
      out.set(num, list);
      pos = p2 + len;
    } else if (wire === 1) pos = p1 + 8;
    else if (wire === 5) pos = p1 + 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const str = (f: Fields, n: number): string | undefined => f.get(n)?.[0]?.toString('utf8');
const msg = (f: Fields, n: number): Fields | undefined => {
  const b = f.get(n)?.[0];
  return b ? fields(b) : undefined;
};

function strings(
  f: Fields | undefined,
  names: Record<number, string>,
): Record<string, string> | undefined {
  if (!f) return undefined;
  const out: Record<string, string> = {};
  for (const [n, name] of Object.entries(names)) {
    const v = str(f, Number(n));
    if (v !== undefined) out[name] = v;
  }
  return out;
}

const RESOURCE_ATTRS = {
  1: 'namespace',
  2: 'verb',
  3: 'group',
  4: 'version',
  5: 'resource',
  6: 'subresource',
  7: 'name',
};
const NON_RESOURCE_ATTRS = { 1: 'path', 2: 'verb' };

export function isProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').startsWith('application/vnd.kubernetes.protobuf');
}

/** Decodes a protobuf review request into its JSON form. */
export function decodeReview(body: Buffer): object {
  if (!body.subarray(0, 4).equals(MAGIC))
    throw new ApiError(415, 'UnsupportedMediaType', 'not a Kubernetes protobuf message');
  const unknown = fields(body.subarray(4));
  const typeMeta = strings(msg(unknown, 1), { 1: 'apiVersion', 2: 'kind' }) ?? {};
  const raw = unknown.get(2)?.[0];
  if (!raw) throw new ApiError(400, 'BadRequest', 'empty protobuf body');
  const spec = msg(fields(raw), 2) ?? new Map();
  let specJson: Record<string, unknown>;
  switch (typeMeta.kind) {
    case 'SelfSubjectAccessReview':
    case 'SubjectAccessReview':
      specJson = {
        ...(msg(spec, 1) ? { resourceAttributes: strings(msg(spec, 1), RESOURCE_ATTRS) } : {}),
        ...(msg(spec, 2)
          ? { nonResourceAttributes: strings(msg(spec, 2), NON_RESOURCE_ATTRS) }
          : {}),
        ...(str(spec, 3) !== undefined ? { user: str(spec, 3) } : {}),
        ...(spec.get(4) ? { groups: spec.get(4)!.map((b: Buffer) => b.toString('utf8')) } : {}),
      };
      break;
    case 'SelfSubjectRulesReview':
      specJson = strings(spec, { 1: 'namespace' }) ?? {};
      break;
    case 'TokenReview':
      specJson = {
        ...strings(spec, { 1: 'token' }),
        audiences: (spec.get(2) ?? []).map((b: Buffer) => b.toString('utf8')),
      };
      break;
    case 'SelfSubjectReview':
      specJson = {};
      break;
    default:
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the emulator accepts protobuf only for reviews, not ${typeMeta.kind}`,
      );
  }
  return { ...typeMeta, metadata: {}, spec: specJson };
}
