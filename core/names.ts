// Kubernetes naming rules, as apimachinery's validation package states them.

const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const QUALIFIED_NAME_MAX = 63;
export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
/** apimachinery's TotalAnnotationSizeLimitB: keys plus values, in bytes. */
export const TOTAL_ANNOTATION_SIZE_MAX = 256 * 1024;

/** Problems with a qualified name (annotation or label key); empty when valid. */
export function qualifiedNameErrors(key: string): string[] {
  const slash = key.indexOf('/');
  const [prefix, name] =
    slash === -1 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  const errors: string[] = [];
  if (prefix !== undefined) {
    if (prefix === '') errors.push('prefix part must not be empty');
    else errors.push(...subdomainErrors(prefix).map((e) => `prefix part ${e}`));
  }
  if (name === '') errors.push('name part must not be empty');
  else {
    if (name.length > QUALIFIED_NAME_MAX) {
      errors.push(`name part must be no more than ${QUALIFIED_NAME_MAX} characters`);
    }
    if (!QUALIFIED_NAME.test(name)) {
      errors.push(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      );
    }
  }
  return errors;
}

const RFC1123 = {
  subdomain: {
    pattern: DNS1123_SUBDOMAIN,
    max: DNS1123_SUBDOMAIN_MAX,
    shape:
      "a lowercase RFC 1123 subdomain: lowercase alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character",
  },
  label: {
    pattern: DNS1123_LABEL,
    max: DNS1123_LABEL_MAX,
    shape:
      "a lowercase RFC 1123 label: lowercase alphanumeric characters or '-', starting and ending with an alphanumeric character",
  },
} as const;

function rfc1123Errors(value: string, kind: keyof typeof RFC1123): string[] {
  const { pattern, max, shape } = RFC1123[kind];
  const errors: string[] = [];
  if (value.length > max) errors.push(`must be no more than ${max} characters`);
  if (!pattern.test(value)) errors.push(`must be ${shape}`);
  return errors;
}

/** Problems with an object name such as a BuildConfig's (an RFC 1123 subdomain); empty when valid. */
export function subdomainErrors(value: string): string[] {
  return rfc1123Errors(value, 'subdomain');
}

/** Problems with a namespace name (an RFC 1123 label); empty when valid. */
export function dnsLabelErrors(value: string): string[] {
  return rfc1123Errors(value, 'label');
}

/** UTF-8 length, which is what the API server's size limits count. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export function annotationsSize(annotations: Record<string, string>): number {
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    total += utf8Length(key) + utf8Length(value);
  }
  return total;
}

/** RFC 6901: `~` becomes `~0` and `/` becomes `~1`, in that order. */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
