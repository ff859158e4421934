// Which console extension types the shell places, and where. Anything else is reported on screen
// and in the log, so a plugin never declares something that silently goes nowhere here; so is an
// extension whose code reference fails to resolve (useResolvedExtensions would just drop it).
import {
  isCodeRef,
  type CodeRef,
  type Extension,
  type LoadedExtension,
} from '@openshift/dynamic-plugin-sdk';

export const PLACED_TYPES: Record<string, string> = {
  'console.page/route': 'routes',
  'console.page/resource/list': 'resource list pages',
  'console.page/resource/details': 'resource details pages',
  'console.navigation/href': 'side navigation',
  'console.navigation/section': 'side navigation',
  'console.navigation/separator': 'side navigation',
  'console.tab/horizontalNav': 'resource page tabs',
  'console.resource/details-item': 'resource Details tab',
  'console.action/provider': 'Actions menus',
  'console.action/resource-provider': 'Actions menus',
  'console.global-config': 'Administration → Cluster Settings',
  'console.cluster-configuration/group': 'Cluster Settings → Cluster configuration',
  'console.cluster-configuration/item': 'Cluster Settings → Cluster configuration',
  'console.dashboards/card': 'Home → Overview',
  'console.dashboards/tab': 'Home → Overview',
  'console.project-overview/inventory-item': 'Project details',
  'console.flag': 'feature flags',
  'console.flag/model': 'feature flags',
  'console.context-provider': 'app context',
  'console.yaml-template': 'Create from YAML',
  'console.model-metadata': 'model labels',
};

export const unsupportedExtensions = (extensions: Extension[]): string[] =>
  [...new Set(extensions.map((e) => e.type).filter((t) => !(t in PLACED_TYPES)))].sort();

export type CodeRefFailure = { type: string; pluginName: string; uid: string; reason: string };

const codeRefsIn = (value: unknown, out: CodeRef[] = []): CodeRef[] => {
  if (isCodeRef(value)) out.push(value);
  else if (value && typeof value === 'object')
    Object.values(value as Record<string, unknown>).forEach((v) => codeRefsIn(v, out));
  return out;
};

const causeOf = (e: unknown): unknown =>
  e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;

const errorText = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e);
  // "Failed to load module" / "Missing module export" keep the real reason in `cause` (docs/architecture.md#console-plugin-loading).
  const cause = causeOf(e);
  return cause === undefined ? e.message : `${e.message} (cause: ${errorText(cause)})`;
};

export const codeRefFailureMessage = (f: CodeRefFailure): string =>
  `extension ${f.type} from ${f.pluginName} could not be loaded: ${f.reason}`;

/**
 * Resolves every code reference of every extension, as useResolvedExtensions does, and reports
 * the extensions it would silently drop: one entry per extension (its reasons joined), each logged
 * with console.error together with the errors themselves, so `err.cause` reaches the log.
 */
export const codeRefFailures = async (extensions: LoadedExtension[]): Promise<CodeRefFailure[]> => {
  const failures = await Promise.all(
    extensions.map(async (ext): Promise<CodeRefFailure | undefined> => {
      const errors: unknown[] = [];
      await Promise.all(
        codeRefsIn(ext.properties).map((ref) => ref().catch((e: unknown) => errors.push(e))),
      );
      if (errors.length === 0) return undefined;
      const failure = {
        type: ext.type,
        pluginName: ext.pluginName,
        uid: ext.uid,
        reason: errors.map(errorText).join('; '),
      };
      console.error(
        `userns-builds dev console: ${codeRefFailureMessage(failure)}`,
        ...errors.flatMap((e) => (causeOf(e) === undefined ? [e] : [e, causeOf(e)])),
      );
      return failure;
    }),
  );
  return failures.filter((f): f is CodeRefFailure => !!f);
};

export type ModelMatcher = { group?: string; version?: string; kind: string };

/** Extension `model` matchers compare group and kind; a version, when given, must match too. */
export const matchesModel = (
  matcher: ModelMatcher | undefined,
  model: { apiGroup?: string; apiVersion: string; kind: string },
): boolean =>
  !!matcher &&
  (matcher.group || '') === (model.apiGroup || '') &&
  matcher.kind === model.kind &&
  (!matcher.version || matcher.version === model.apiVersion);

export type NavItem = {
  id: string;
  name: string;
  href: string;
  section?: string;
  insertAfter?: string | string[];
  insertBefore?: string | string[];
  perspective?: string;
};

/** Orders items as the console does: insertBefore/insertAfter relative to ids, else appended. */
export const orderNavItems = <
  T extends { id: string; insertAfter?: string | string[]; insertBefore?: string | string[] },
>(
  items: T[],
): T[] => {
  const out: T[] = [];
  const pending = [...items];
  const place = (item: T): boolean => {
    const after = [item.insertAfter ?? []].flat();
    const before = [item.insertBefore ?? []].flat();
    const a = out.findIndex((o) => after.includes(o.id));
    if (a >= 0) {
      out.splice(a + 1, 0, item);
      return true;
    }
    const b = out.findIndex((o) => before.includes(o.id));
    if (b >= 0) {
      out.splice(b, 0, item);
      return true;
    }
    return after.length === 0 && before.length === 0 ? (out.push(item), true) : false;
  };
  // Several passes: an item may refer to one placed later; whatever stays unresolved goes last.
  for (let pass = 0; pass < 3 && pending.length; pass++) {
    for (let i = 0; i < pending.length;) {
      if (place(pending[i]!)) pending.splice(i, 1);
      else i++;
    }
  }
  return [...out, ...pending];
};
