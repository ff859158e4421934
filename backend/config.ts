// The backend's whole configuration, parsed once at start-up from flags and environment. Nothing
// else in backend/ reads process.env or process.argv: everything is handed down from here.
import { BUILD_CONTROLLER_USER, dnsLabelErrors, subdomainErrors } from '@userns-builds/core';
import { MISS_LIMIT_DEFAULTS, type MissLimits } from './metadata/lookup';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

/** Where the cluster is, when there is one. */
export type ClusterConfig = { kind: 'kubeconfig'; path: string } | { kind: 'in-cluster' };

/** The verdict recorder and its leader election (on when there is a cluster and a namespace). */
export interface RecorderConfig {
  /** Most API requests the recorder starts in any one second. */
  ratePerSecond: number;
  /** Pods judged at the same time. */
  concurrency: number;
  /** How much of the build container's log is read (limitBytes). */
  logBytes: number;
  /** The coordination.k8s.io/v1 Lease in the backend's namespace. */
  leaseName: string;
  leaseDurationSeconds: number;
  /** This replica's name in the Lease; undefined: host name plus a random suffix. */
  identity: string | undefined;
}

export interface Config {
  host: string;
  port: number;
  tlsCertPath: string;
  tlsKeyPath: string;
  /** Policy read from this YAML file instead of the BuildPolicy CR. */
  policyFile: string | undefined;
  /** undefined: no cluster at all (only possible with a policy file). */
  cluster: ClusterConfig | undefined;
  /** The backend's own namespace, never mutated; from the service account when in-cluster. */
  namespace: string | undefined;
  logLevel: LogLevel;
  maxBodyBytes: number;
  /** Budget for one Build/BuildConfig metadata GET on a cache miss. */
  lookupTimeoutMs: number;
  /**
   * How cache misses are bounded: pod creators choose the names looked up, so misses are
   * remembered and rate-limited rather than each becoming an API call.
   */
  lookupMisses: MissLimits;
  /** How long SIGTERM waits for in-flight reviews before closing connections anyway. */
  shutdownGraceMs: number;
  /** Usernames whose pods are build pods; a pod anyone else creates is never patched. */
  trustedCreators: string[];
  /** How long a caller's TokenReview and namespace access answers are reused. */
  authCacheTtlMs: number;
  /** File holding the key that signs the compliance API's continue tokens (shared by replicas). */
  continueKeyFile: string | undefined;
  /** undefined: no verdict recorder in this process. */
  recorder: RecorderConfig | undefined;
  /** A connection that has not finished its TLS handshake in this time is closed. */
  tlsHandshakeTimeoutMs: number;
  /** Connections beyond this many are closed as soon as they are accepted. */
  maxConnections: number;
  /** A built console plugin (dist/) served under /plugin/; undefined: no assets served. */
  pluginDir: string | undefined;
}

/** What the HTTPS server is limited to when nothing else is set (tests and benchmarks share it). */
export const SERVER_LIMIT_DEFAULTS = {
  // Node's own default is 120 s: a client that connects and says nothing would hold a socket
  // that long. Ten seconds is far above a handshake across any real network.
  tlsHandshakeTimeoutMs: 10_000,
  // Far more than the API servers' kept-alive connections and the probes need, and far below
  // what exhausts the process's file descriptors.
  maxConnections: 1000,
} as const satisfies Pick<Config, 'tlsHandshakeTimeoutMs' | 'maxConnections'>;

/** A setting that cannot be used; `setting` names the flag (and its env equivalent). */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`invalid setting ${setting}: ${problem}`);
    this.name = 'ConfigError';
  }
}

interface Option {
  flag: string;
  env: string;
  help: string;
  boolean?: boolean;
}

const OPTIONS = {
  host: { flag: 'host', env: 'USERNS_HOST', help: 'address to listen on (default 0.0.0.0)' },
  port: { flag: 'port', env: 'USERNS_PORT', help: 'HTTPS port (default 8443; 0 = any free port)' },
  tlsCert: { flag: 'tls-cert', env: 'USERNS_TLS_CERT', help: 'PEM certificate file (required)' },
  tlsKey: { flag: 'tls-key', env: 'USERNS_TLS_KEY', help: 'PEM private key file (required)' },
  policyFile: {
    flag: 'policy-file',
    env: 'USERNS_POLICY_FILE',
    help: 'BuildPolicy (or its spec) as YAML; replaces the cluster BuildPolicy',
  },
  kubeconfig: { flag: 'kubeconfig', env: 'KUBECONFIG', help: 'kubeconfig file for the cluster' },
  inCluster: {
    flag: 'in-cluster',
    env: 'USERNS_IN_CLUSTER',
    help: 'use the pod service account (default when KUBERNETES_SERVICE_HOST is set)',
    boolean: true,
  },
  namespace: {
    flag: 'namespace',
    env: 'POD_NAMESPACE',
    help: 'own namespace, never mutated (default: the service account namespace)',
  },
  logLevel: { flag: 'log-level', env: 'USERNS_LOG_LEVEL', help: LOG_LEVELS.join('|') },
  maxBodyBytes: {
    flag: 'max-body-bytes',
    env: 'USERNS_MAX_BODY_BYTES',
    help: 'largest request body accepted (default 6291456 = 6 MiB)',
  },
  lookupTimeoutMs: {
    flag: 'lookup-timeout-ms',
    env: 'USERNS_LOOKUP_TIMEOUT_MS',
    help: 'budget for a Build/BuildConfig lookup on a cache miss (default 1000)',
  },
  lookupNegativeTtlMs: {
    flag: 'lookup-negative-ttl-ms',
    env: 'USERNS_LOOKUP_NEGATIVE_TTL_MS',
    help: `remember a name the API server said is absent this long, 0-300000 (default ${MISS_LIMIT_DEFAULTS.negativeTtlMs})`,
  },
  lookupNegativeMax: {
    flag: 'lookup-negative-max',
    env: 'USERNS_LOOKUP_NEGATIVE_MAX',
    help: `most absent names remembered, oldest forgotten first, 1-1000000 (default ${MISS_LIMIT_DEFAULTS.negativeMax})`,
  },
  lookupMissesPerSecond: {
    flag: 'lookup-misses-per-second',
    env: 'USERNS_LOOKUP_MISSES_PER_SECOND',
    help: `most lookups a second sent to the API server on cache misses, 1-10000 (default ${MISS_LIMIT_DEFAULTS.missesPerSecond})`,
  },
  shutdownGraceMs: {
    flag: 'shutdown-grace-ms',
    env: 'USERNS_SHUTDOWN_GRACE_MS',
    help: 'SIGTERM grace period for in-flight requests (default 10000)',
  },
  trustedCreators: {
    flag: 'trusted-creators',
    env: 'USERNS_TRUSTED_CREATORS',
    help: `comma-separated usernames that create build pods (default ${BUILD_CONTROLLER_USER})`,
  },
  authCacheTtlMs: {
    flag: 'auth-cache-ttl-ms',
    env: 'USERNS_AUTH_CACHE_TTL_MS',
    help: 'compliance API: reuse a token review and access answer this long (default 30000)',
  },
  continueKeyFile: {
    flag: 'continue-key-file',
    env: 'USERNS_CONTINUE_KEY_FILE',
    help: 'compliance API: file the continue-token key is derived from, same on every replica (default: random)',
  },
  recorder: {
    flag: 'recorder',
    env: 'USERNS_RECORDER',
    help: 'record build verdicts on Builds (default: on with a cluster and --namespace)',
    boolean: true,
  },
  recorderRate: {
    flag: 'recorder-rate',
    env: 'USERNS_RECORDER_RATE',
    help: 'most API requests per second the recorder makes (default 20)',
  },
  recorderConcurrency: {
    flag: 'recorder-concurrency',
    env: 'USERNS_RECORDER_CONCURRENCY',
    help: 'build pods judged at once (default 4)',
  },
  recorderLogBytes: {
    flag: 'recorder-log-bytes',
    env: 'USERNS_RECORDER_LOG_BYTES',
    help: 'bytes of the build log read, 4096-16384 (default 16384)',
  },
  leaseName: {
    flag: 'lease-name',
    env: 'USERNS_LEASE_NAME',
    help: 'Lease electing the one recorder that writes (default userns-builds-recorder)',
  },
  leaseDurationSeconds: {
    flag: 'lease-duration-seconds',
    env: 'USERNS_LEASE_DURATION_SECONDS',
    help: 'how long a silent leader keeps the Lease (default 10; renewed every sixth)',
  },
  leaseIdentity: {
    flag: 'lease-identity',
    env: 'POD_NAME',
    help: "this replica's name in the Lease (default: host name and a random suffix)",
  },
  tlsHandshakeTimeoutMs: {
    flag: 'tls-handshake-timeout-ms',
    env: 'USERNS_TLS_HANDSHAKE_TIMEOUT_MS',
    help: `close a connection whose TLS handshake takes longer (default ${SERVER_LIMIT_DEFAULTS.tlsHandshakeTimeoutMs})`,
  },
  maxConnections: {
    flag: 'max-connections',
    env: 'USERNS_MAX_CONNECTIONS',
    help: `open connections at most; more are closed at once (default ${SERVER_LIMIT_DEFAULTS.maxConnections})`,
  },
  pluginDir: {
    flag: 'plugin-dir',
    env: 'USERNS_PLUGIN_DIR',
    help: 'built console plugin (dist/) to serve under /plugin/ (default: none)',
  },
  help: { flag: 'help', env: '', help: 'print this help', boolean: true },
} satisfies Record<string, Option>;

type Key = keyof typeof OPTIONS;

export function usage(): string {
  const lines = Object.values(OPTIONS).map((o: Option) => {
    const left = `  --${o.flag}${o.boolean ? '' : ' <value>'}`;
    const env = o.env ? ` [env ${o.env}]` : '';
    return `${left.padEnd(32)} ${o.help}${env}`;
  });
  return ['Usage: backend [options]', ...lines].join('\n');
}

/** Filesystem facts the parser needs, injected so tests don't depend on the host. */
export interface ConfigHost {
  /** Reads the service account namespace file; undefined when absent. */
  serviceAccountNamespace(): string | undefined;
}

export type ParseResult = { help: true } | { help: false; config: Config };

function label(key: Key): string {
  const o: Option = OPTIONS[key];
  return o.env ? `--${o.flag} (${o.env})` : `--${o.flag}`;
}

function parseArgs(argv: readonly string[]): Map<Key, string> {
  const byFlag = new Map<string, Key>();
  for (const [key, o] of Object.entries(OPTIONS) as [Key, Option][]) byFlag.set(o.flag, key);
  const out = new Map<Key, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new ConfigError(arg, 'unexpected argument');
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const key = byFlag.get(name);
    if (key === undefined) throw new ConfigError(`--${name}`, 'unknown flag (see --help)');
    const option: Option = OPTIONS[key];
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (option.boolean) value = 'true';
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new ConfigError(label(key), 'needs a value');
      }
      value = next;
      i++;
    }
    out.set(key, value);
  }
  return out;
}

function int(key: Key, raw: string | undefined, def: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(label(key), 'must be a whole number');
  const n = Number(raw.trim());
  if (n < min || n > max) {
    throw new ConfigError(label(key), `must be between ${min} and ${max}`);
  }
  return n;
}

function bool(key: Key, raw: string | undefined): boolean {
  if (raw === undefined || raw === '') return false;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new ConfigError(label(key), 'must be true or false');
}

function usernames(key: Key, raw: string | undefined, def: string[]): string[] {
  if (raw === undefined) return def;
  const names = raw.split(',').map((n) => n.trim());
  // An empty entry would most likely be a typo; an empty list would switch the webhook off.
  if (names.some((n) => n === '' || /\s/.test(n))) {
    throw new ConfigError(label(key), 'must be usernames separated by commas, none empty');
  }
  return [...new Set(names)];
}

/**
 * Parses flags (which win) and environment into one Config. Throws ConfigError naming the setting.
 * Never echoes a value back: environment values may be secrets.
 */
export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  host: ConfigHost,
): ParseResult {
  const flags = parseArgs(argv);
  const get = (key: Key): string | undefined => {
    const o: Option = OPTIONS[key];
    const v = flags.get(key) ?? (o.env ? env[o.env] : undefined);
    return v === '' ? undefined : v;
  };
  if (bool('help', get('help'))) return { help: true };

  const tlsCertPath = get('tlsCert');
  if (!tlsCertPath) throw new ConfigError(label('tlsCert'), 'is required (TLS is always on)');
  const tlsKeyPath = get('tlsKey');
  if (!tlsKeyPath) throw new ConfigError(label('tlsKey'), 'is required (TLS is always on)');

  const logLevel = get('logLevel') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(label('logLevel'), `must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const kubeconfig = get('kubeconfig');
  // An explicit --in-cluster (true or false) wins over detection, so --in-cluster=false runs a
  // pod on its policy file alone.
  const inClusterSetting = get('inCluster');
  const inCluster =
    inClusterSetting !== undefined
      ? bool('inCluster', inClusterSetting)
      : kubeconfig === undefined && env.KUBERNETES_SERVICE_HOST !== undefined;
  let cluster: ClusterConfig | undefined;
  if (kubeconfig !== undefined) cluster = { kind: 'kubeconfig', path: kubeconfig };
  else if (inCluster) cluster = { kind: 'in-cluster' };

  const policyFile = get('policyFile');
  if (policyFile === undefined && cluster === undefined) {
    throw new ConfigError(
      label('policyFile'),
      'no policy source: pass --policy-file, or --kubeconfig / --in-cluster to watch the BuildPolicy',
    );
  }

  let namespace = get('namespace');
  if (namespace === undefined && cluster?.kind === 'in-cluster') {
    namespace = host.serviceAccountNamespace();
  }
  if (namespace !== undefined && dnsLabelErrors(namespace).length > 0) {
    throw new ConfigError(label('namespace'), 'must be a namespace name (RFC 1123 label)');
  }

  const recorderSetting = get('recorder');
  const wantRecorder =
    recorderSetting === undefined
      ? cluster !== undefined && namespace !== undefined
      : bool('recorder', recorderSetting);
  if (wantRecorder && (cluster === undefined || namespace === undefined)) {
    throw new ConfigError(
      label('recorder'),
      'needs a cluster (--kubeconfig or --in-cluster) and --namespace for its Lease',
    );
  }
  const leaseName = get('leaseName') ?? 'userns-builds-recorder';
  if (subdomainErrors(leaseName).length > 0) {
    throw new ConfigError(label('leaseName'), 'must be an object name (RFC 1123 subdomain)');
  }
  const recorder: RecorderConfig | undefined = wantRecorder
    ? {
        ratePerSecond: int('recorderRate', get('recorderRate'), 20, 1, 10_000),
        concurrency: int('recorderConcurrency', get('recorderConcurrency'), 4, 1, 64),
        logBytes: int('recorderLogBytes', get('recorderLogBytes'), 16_384, 4096, 16_384),
        leaseName,
        leaseDurationSeconds: int('leaseDurationSeconds', get('leaseDurationSeconds'), 10, 2, 300),
        identity: get('leaseIdentity'),
      }
    : undefined;

  const config: Config = {
    host: get('host') ?? '0.0.0.0',
    port: int('port', get('port'), 8443, 0, 65535),
    tlsCertPath,
    tlsKeyPath,
    policyFile,
    cluster,
    namespace,
    logLevel: logLevel as LogLevel,
    maxBodyBytes: int('maxBodyBytes', get('maxBodyBytes'), 6 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    lookupTimeoutMs: int('lookupTimeoutMs', get('lookupTimeoutMs'), 1000, 1, 30_000),
    lookupMisses: {
      negativeTtlMs: int(
        'lookupNegativeTtlMs',
        get('lookupNegativeTtlMs'),
        MISS_LIMIT_DEFAULTS.negativeTtlMs,
        0,
        300_000,
      ),
      negativeMax: int(
        'lookupNegativeMax',
        get('lookupNegativeMax'),
        MISS_LIMIT_DEFAULTS.negativeMax,
        1,
        1_000_000,
      ),
      missesPerSecond: int(
        'lookupMissesPerSecond',
        get('lookupMissesPerSecond'),
        MISS_LIMIT_DEFAULTS.missesPerSecond,
        1,
        10_000,
      ),
    },
    shutdownGraceMs: int('shutdownGraceMs', get('shutdownGraceMs'), 10_000, 0, 300_000),
    trustedCreators: usernames('trustedCreators', get('trustedCreators'), [BUILD_CONTROLLER_USER]),
    authCacheTtlMs: int('authCacheTtlMs', get('authCacheTtlMs'), 30_000, 0, 600_000),
    continueKeyFile: get('continueKeyFile'),
    recorder,
    tlsHandshakeTimeoutMs: int(
      'tlsHandshakeTimeoutMs',
      get('tlsHandshakeTimeoutMs'),
      SERVER_LIMIT_DEFAULTS.tlsHandshakeTimeoutMs,
      100,
      120_000,
    ),
    maxConnections: int(
      'maxConnections',
      get('maxConnections'),
      SERVER_LIMIT_DEFAULTS.maxConnections,
      1,
      1_000_000,
    ),
    pluginDir: get('pluginDir'),
  };
  return { help: false, config };
}
