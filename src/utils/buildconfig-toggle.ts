// The per-BuildConfig user-namespace switch: OpenShift's own strategy env BUILD_PRIVILEGED, written
// with a JSON Patch that changes only that variable and first tests the env array it was computed
// from, so a concurrent edit fails the patch (the API server answers 422) instead of being
// overwritten. Pure, so every case is tested without a DOM.
import {
  BUILD_PRIVILEGED_ENV,
  decide,
  effectivePolicy,
  escapePointer,
  readBuildPrivileged,
} from '@userns-builds/core';
import type { BuildConfig, Decision, EffectivePolicy, EnvVar } from '@userns-builds/core';
import { errorStatus } from './load-state';
import type { PolicyLoadState } from './load-state';

/** Follow: no BUILD_PRIVILEGED; On: BUILD_PRIVILEGED=false; Off: BUILD_PRIVILEGED=true. */
export type ToggleChoice = 'Follow' | 'On' | 'Off';

export const TOGGLE_CHOICES: readonly ToggleChoice[] = ['Follow', 'On', 'Off'];

/** The slice of a BuildConfig the toggle reads: the SDK hands components a K8sResourceCommon. */
export type BuildConfigLike = Pick<BuildConfig, 'metadata'> & {
  spec?: Partial<BuildConfig['spec']>;
};

type StrategyKey = 'dockerStrategy' | 'sourceStrategy' | 'customStrategy';

const STRATEGY_KEY: Readonly<Record<string, StrategyKey>> = {
  Docker: 'dockerStrategy',
  Source: 'sourceStrategy',
  Custom: 'customStrategy',
};

/** A JSON Patch operation as the toggle writes it (the SDK's Patch type, narrowed). */
export type TogglePatch =
  | { op: 'test'; path: string; value: unknown }
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

export type StrategyTarget =
  | { ok: true; key: StrategyKey; env: EnvVar[] | undefined }
  /** A strategy OpenShift gives no BUILD_PRIVILEGED switch (JenkinsPipeline), or none at all. */
  | { ok: false; type: string | undefined };

/** Where BUILD_PRIVILEGED lives for this BuildConfig: the strategy its type names. */
export function strategyTarget(bc: BuildConfigLike): StrategyTarget {
  const strategy = bc.spec?.strategy;
  const type = typeof strategy?.type === 'string' ? strategy.type : undefined;
  const key = type ? STRATEGY_KEY[type] : undefined;
  if (!strategy || !key) return { ok: false, type };
  const section: unknown = strategy[key];
  // The type names a strategy whose section is missing: OpenShift rejects such a BuildConfig.
  if (typeof section !== 'object' || section === null) return { ok: false, type };
  const env: unknown = (section as { env?: unknown }).env;
  return { ok: true, key, env: Array.isArray(env) ? (env as EnvVar[]) : undefined };
}

export interface CurrentSetting {
  choice: ToggleChoice;
  /** BUILD_PRIVILEGED values OpenShift ignores (neither a boolean nor an integer). */
  unparseable: string[];
  /** More than one BUILD_PRIVILEGED entry: OpenShift reads the last one that parses. */
  entries: number;
}

export function currentSetting(bc: BuildConfigLike): CurrentSetting {
  const target = strategyTarget(bc);
  const env = target.ok ? target.env : undefined;
  const { value, unparseable } = readBuildPrivileged(env);
  const entries = (env ?? []).filter((e) => e?.name === BUILD_PRIVILEGED_ENV).length;
  const choice: ToggleChoice = value === undefined ? 'Follow' : value ? 'Off' : 'On';
  return { choice, unparseable, entries };
}

/** The BUILD_PRIVILEGED entry a choice writes; Follow writes none. */
export function envEntryFor(choice: ToggleChoice): EnvVar | undefined {
  if (choice === 'Follow') return undefined;
  return { name: BUILD_PRIVILEGED_ENV, value: choice === 'On' ? 'false' : 'true' };
}

/**
 * The env after the choice: every other variable kept in place, BUILD_PRIVILEGED as one canonical
 * entry (where the first one was, else at the end) or none.
 */
export function envWithChoice(env: readonly EnvVar[] | undefined, choice: ToggleChoice): EnvVar[] {
  const entry = envEntryFor(choice);
  const out: EnvVar[] = [];
  let placed = false;
  for (const e of env ?? []) {
    if (e?.name !== BUILD_PRIVILEGED_ENV) out.push(e);
    else if (entry && !placed) {
      out.push(entry);
      placed = true;
    }
  }
  if (entry && !placed) out.push(entry);
  return out;
}

const sameEntry = (a: EnvVar | undefined, b: EnvVar | undefined) =>
  !!a && !!b && a.name === b.name && a.value === b.value && a.valueFrom === undefined;

/**
 * The JSON Patch that sets the choice on this BuildConfig, or [] when it already has exactly that
 * setting. It starts with a `test` of what it was computed from: the env array, or, when the
 * strategy has no env yet, the whole strategy section (adding `env` would otherwise replace an env
 * someone else just added).
 */
export function toggleOperations(bc: BuildConfigLike, choice: ToggleChoice): TogglePatch[] {
  const target = strategyTarget(bc);
  if (!target.ok) {
    throw new Error(
      `BuildConfig ${bc.metadata?.name ?? ''} has no docker, source or custom strategy to set ${BUILD_PRIVILEGED_ENV} on`,
    );
  }
  const base = `/spec/strategy/${target.key}`;
  const entry = envEntryFor(choice);
  const env = target.env;
  if (!env) {
    if (!entry) return [];
    return [
      { op: 'test', path: base, value: bc.spec?.strategy?.[target.key] },
      { op: 'add', path: `${base}/env`, value: [entry] },
    ];
  }
  const indexes = env.flatMap((e, i) => (e?.name === BUILD_PRIVILEGED_ENV ? [i] : []));
  const [first, ...rest] = indexes;
  if (entry && first !== undefined && rest.length === 0 && sameEntry(env[first], entry)) return [];
  if (!entry && indexes.length === 0) return [];

  const ops: TogglePatch[] = [{ op: 'test', path: `${base}/env`, value: env }];
  // Removing from the end keeps the earlier indexes valid.
  const removals = entry ? rest : indexes;
  for (const i of [...removals].reverse()) ops.push({ op: 'remove', path: `${base}/env/${i}` });
  if (entry) {
    if (first === undefined) ops.push({ op: 'add', path: `${base}/env/-`, value: entry });
    else if (!sameEntry(env[first], entry))
      ops.push({ op: 'replace', path: `${base}/env/${first}`, value: entry });
  }
  return ops;
}

/** The BuildConfig as it will be once the choice is saved (for the preview). */
export function withChoice<T extends BuildConfigLike>(bc: T, choice: ToggleChoice): T {
  const target = strategyTarget(bc);
  // Nothing to write leaves a strategy without env as it is (the patch adds no empty array).
  if (!target.ok || (!target.env && choice === 'Follow')) return bc;
  const strategy = bc.spec?.strategy;
  return {
    ...bc,
    spec: {
      ...bc.spec,
      strategy: {
        ...strategy,
        [target.key]: { ...strategy?.[target.key], env: envWithChoice(target.env, choice) },
      },
    },
  } as T;
}

/** Why the choice does not matter here, if it does not. */
export type Moot =
  /** override: Required converts every build, whatever it asks. */
  | { why: 'Override' }
  /** Exempt or platform namespace: OpenShift alone decides; Follow means privileged. */
  | { why: 'Exempt'; system: boolean }
  /** No BuildPolicy: OpenShift alone decides; Follow means privileged. */
  | { why: 'NoPolicy' };

export interface ToggleEffect {
  /** The decision for each choice, as the admission webhook would make it for the next build. */
  decisions: Record<ToggleChoice, Decision>;
  moot: Moot | undefined;
}

export function toggleEffect(
  policy: EffectivePolicy | undefined,
  bc: BuildConfigLike,
): ToggleEffect {
  const namespace = bc.metadata?.namespace ?? '';
  const decisions = Object.fromEntries(
    TOGGLE_CHOICES.map((choice) => {
      const next = withChoice(bc, choice);
      const build = { spec: next.spec as BuildConfig['spec'] };
      return [choice, decide({ policy, namespace, build })];
    }),
  ) as Record<ToggleChoice, Decision>;
  const source = decisions.Follow.source;
  let moot: Moot | undefined;
  if (source === 'Override') moot = { why: 'Override' };
  else if (source === 'Exempt')
    moot = { why: 'Exempt', system: !policy?.userNamespaces.exemptNamespaces.includes(namespace) };
  else if (source === 'NoPolicy') moot = { why: 'NoPolicy' };
  return { decisions, moot };
}

/** JSON Pointer to one annotation (keys carry `/`). */
export const annotationPath = (key: string) => `/metadata/annotations/${escapePointer(key)}`;

/** Why a save failed, as the control shows it. */
export type SaveFailure =
  /** 409 (stale resourceVersion) or 422 (the leading `test` failed): someone else edited it. */
  | { kind: 'conflict'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'error'; message: string };

/**
 * A 422 is also how the API server rejects an invalid object (say, annotations over the size
 * limit); those name the offending field in their causes, a failed `test` does not.
 */
function namesAField(err: unknown): boolean {
  const causes = (err as { json?: { details?: { causes?: unknown } } } | null)?.json?.details
    ?.causes;
  return (
    Array.isArray(causes) &&
    causes.some((c) => typeof (c as { field?: unknown })?.field === 'string')
  );
}

export function saveFailure(err: unknown): SaveFailure {
  const message = err instanceof Error && err.message ? err.message : String(err);
  const status = errorStatus(err);
  if (status === 409 || (status === 422 && !namesAField(err))) return { kind: 'conflict', message };
  if (status === 403) return { kind: 'forbidden', message };
  return { kind: 'error', message };
}

/** The policy the toggle previews with: undefined when there is none (or no CRD). */
export type PreviewPolicy =
  | { state: 'loading' }
  | { state: 'ready'; policy: EffectivePolicy | undefined }
  | { state: 'error'; message: string };

export function previewPolicy(load: PolicyLoadState): PreviewPolicy {
  switch (load.state) {
    case 'loaded':
      return { state: 'ready', policy: effectivePolicy(load.policy.spec) };
    case 'absent':
      return { state: 'ready', policy: undefined };
    case 'error':
      return { state: 'error', message: load.message };
    default:
      return { state: 'loading' };
  }
}
