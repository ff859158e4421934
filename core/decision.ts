import { buildFromPod, notABuildPodMessage } from './build-pod';
import { BUILD_PRIVILEGED_ENV } from './constants';
import { formatReason, reason } from './reasons';
import type { ReasonMessage } from './reasons';
import type { Build, EffectivePolicy, EnvVar, Pod } from './types';

/**
 * Which rule decided. Precedence (docs/architecture.md#the-buildpolicy): NotBuildPod > NoPolicy > Exempt > Override > Build >
 * Default.
 */
export const DECISION_SOURCES = [
  'NotBuildPod',
  'Exempt',
  'Override',
  'Build',
  'Default',
  'NoPolicy',
] as const;
export type DecisionSource = (typeof DECISION_SOURCES)[number];

/** For values read back from an annotation, which anyone able to edit the object may have set. */
export function isDecisionSource(value: unknown): value is DecisionSource {
  return (DECISION_SOURCES as readonly unknown[]).includes(value);
}

export interface Decision {
  /** Whether the build pod runs in a user namespace. */
  userNamespaces: boolean;
  source: DecisionSource;
  /** Human-readable English, one sentence each, most important first: `messages` formatted. */
  reasons: string[];
  /** The same reasons as message keys with parameters, for translated display. */
  messages: ReasonMessage[];
}

export interface DecisionInput {
  /** undefined: no BuildPolicy exists; the decision is then what OpenShift alone would do. */
  policy: EffectivePolicy | undefined;
  namespace: string;
  /** The build's strategy env, from the Build or from the pod's BUILD env var. */
  build?: Pick<Build, 'spec'> | undefined;
  pod?: Pod | undefined;
}

/** Namespaces of the platform itself: the product never touches them, whatever the policy says. */
export const SYSTEM_NAMESPACE_PREFIXES = ['openshift-', 'kube-'] as const;

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** One BUILD_PRIVILEGED value as Go's strconv.ParseBool, then strconv.Atoi, read it. */
export function parsePrivilegedValue(value: string): boolean | undefined {
  if (GO_TRUE.has(value)) return true;
  if (GO_FALSE.has(value)) return false;
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const n = BigInt(value);
  // Atoi fails on overflow, and a failed parse leaves OpenShift's default in place.
  if (n < INT64_MIN || n > INT64_MAX) return undefined;
  return n !== 0n;
}

export interface BuildPrivilegedSetting {
  /** The effective value, as openshift-controller-manager computes it; undefined if none parsed. */
  value: boolean | undefined;
  /** Every BUILD_PRIVILEGED value that did not parse (OpenShift skips these silently). */
  unparseable: string[];
}

/**
 * Reads BUILD_PRIVILEGED the way openshift-controller-manager's securityContextForBuild does: every
 * entry is visited, the last one that parses wins and unparseable ones are skipped.
 */
export function readBuildPrivileged(env: EnvVar[] | undefined): BuildPrivilegedSetting {
  const setting: BuildPrivilegedSetting = { value: undefined, unparseable: [] };
  if (!Array.isArray(env)) return setting;
  for (const entry of env) {
    if (typeof entry !== 'object' || entry === null || entry.name !== BUILD_PRIVILEGED_ENV)
      continue;
    // A valueFrom entry reaches the Go code as an empty string, which does not parse either.
    const raw = typeof entry.value === 'string' ? entry.value : '';
    const parsed = parsePrivilegedValue(raw);
    if (parsed === undefined) setting.unparseable.push(raw);
    else setting.value = parsed;
  }
  return setting;
}

/**
 * Parses BUILD_PRIVILEGED the way openshift-controller-manager does: strconv.ParseBool, else an
 * integer where non-zero means true. Returns undefined when absent or unparseable.
 */
export function parseBuildPrivileged(env: EnvVar[] | undefined): boolean | undefined {
  return readBuildPrivileged(env).value;
}

type StrategyKey = 'dockerStrategy' | 'sourceStrategy' | 'customStrategy';
const STRATEGY_KEYS: ReadonlyMap<unknown, StrategyKey> = new Map([
  ['Docker', 'dockerStrategy'],
  ['Source', 'sourceStrategy'],
  ['Custom', 'customStrategy'],
]);

/** The strategy env of a build: the one its type names, else whichever strategy is present. */
export function strategyEnv(build: Pick<Build, 'spec'> | undefined): EnvVar[] | undefined {
  const strategy = build?.spec?.strategy;
  if (typeof strategy !== 'object' || strategy === null) return undefined;
  const named = STRATEGY_KEYS.get(strategy.type);
  const keys: StrategyKey[] = named
    ? [named]
    : ['dockerStrategy', 'sourceStrategy', 'customStrategy'];
  for (const key of keys) {
    const env = strategy[key]?.env;
    if (Array.isArray(env)) return env;
  }
  return undefined;
}

export function isSystemNamespace(namespace: string): boolean {
  return SYSTEM_NAMESPACE_PREFIXES.some((prefix) => namespace.startsWith(prefix));
}

interface BuildChoice {
  value: boolean | undefined;
  reasons: ReasonMessage[];
}

function buildChoice(build: Pick<Build, 'spec'> | undefined, pod: Pod | undefined): BuildChoice {
  const source = build ?? (pod ? buildFromPod(pod) : undefined);
  if (!source) {
    return {
      value: undefined,
      reasons: [reason(pod ? 'BuildUnreadableFromPod' : 'BuildUnreadable')],
    };
  }
  const setting = readBuildPrivileged(strategyEnv(source));
  const reasons = setting.unparseable.map((raw) =>
    reason('UnparseablePrivileged', { value: JSON.stringify(raw) }),
  );
  return { value: setting.value, reasons };
}

function describeChoice(privileged: boolean): ReasonMessage {
  return reason(privileged ? 'BuildSetsPrivilegedTrue' : 'BuildSetsPrivilegedFalse');
}

/** What openshift-controller-manager does without this product: privileged unless the build opts out. */
function openShiftAlone(choice: BuildChoice): { userNamespaces: boolean; reason: ReasonMessage } {
  if (choice.value === false) return { userNamespaces: true, reason: describeChoice(false) };
  if (choice.value === true) return { userNamespaces: false, reason: describeChoice(true) };
  return { userNamespaces: false, reason: reason('OpenShiftDefaultPrivileged') };
}

function decision(
  userNamespaces: boolean,
  source: DecisionSource,
  messages: ReasonMessage[],
): Decision {
  return { userNamespaces, source, reasons: messages.map(formatReason), messages };
}

export function decide(input: DecisionInput): Decision {
  const { policy, pod } = input;
  // Admission input is untrusted: a non-string namespace must not reach string methods.
  const podNamespace: unknown = pod?.metadata?.namespace;
  const namespace = input.namespace || (typeof podNamespace === 'string' ? podNamespace : '');

  // A pod given without its build pod markers is never ours to judge, policy or not.
  const notBuild = pod ? notABuildPodMessage(pod) : undefined;
  if (notBuild) return decision(false, 'NotBuildPod', [notBuild]);

  const choice = buildChoice(input.build, pod);
  if (!policy) {
    const alone = openShiftAlone(choice);
    return decision(alone.userNamespaces, 'NoPolicy', [
      reason('NoPolicy'),
      alone.reason,
      ...choice.reasons,
    ]);
  }

  const exemption = exemptionReason(namespace, policy);
  if (exemption) {
    // Exempt pods are left exactly as OpenShift made them, so report what OpenShift does.
    const alone = openShiftAlone(choice);
    return decision(alone.userNamespaces, 'Exempt', [exemption, alone.reason, ...choice.reasons]);
  }

  if (policy.userNamespaces.override === 'Required') {
    const overridden = choice.value === true ? [reason('BuildChoiceOverridden')] : [];
    return decision(true, 'Override', [
      reason('OverrideRequired'),
      ...overridden,
      ...choice.reasons,
    ]);
  }

  if (choice.value !== undefined) {
    return decision(!choice.value, 'Build', [
      describeChoice(choice.value),
      reason('BuildChoiceWins', { default: policy.userNamespaces.default }),
      ...choice.reasons,
    ]);
  }

  const enabled = policy.userNamespaces.default === 'Enabled';
  return decision(enabled, 'Default', [
    reason(enabled ? 'DefaultEnabled' : 'DefaultDisabled'),
    ...choice.reasons,
  ]);
}

function exemptionReason(namespace: string, policy: EffectivePolicy): ReasonMessage | undefined {
  if (isSystemNamespace(namespace)) {
    const prefixes = SYSTEM_NAMESPACE_PREFIXES.map((p) => `${p}*`).join(', ');
    return reason('SystemNamespace', { namespace, prefixes });
  }
  if (policy.userNamespaces.exemptNamespaces.includes(namespace)) {
    return reason('ExemptNamespace', { namespace });
  }
  return undefined;
}
