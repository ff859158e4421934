import { ConfigError, parseConfig, type Config } from './config';

const host = { serviceAccountNamespace: () => 'userns-builds' };
const base = ['--tls-cert', '/c.pem', '--tls-key', '/k.pem'];

function config(argv: string[], env: Record<string, string> = {}): Config {
  const result = parseConfig(argv, env, host);
  if (result.help) throw new Error('unexpected help');
  return result.config;
}

function problem(argv: string[], env: Record<string, string> = {}): ConfigError {
  try {
    parseConfig(argv, env, host);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

test('defaults with a policy file and no cluster', () => {
  const c = config([...base, '--policy-file', 'p.yaml']);
  expect(c).toMatchObject({
    port: 8443,
    host: '0.0.0.0',
    policyFile: 'p.yaml',
    cluster: undefined,
    namespace: undefined,
    logLevel: 'info',
    maxBodyBytes: 6 * 1024 * 1024,
    lookupTimeoutMs: 1000,
    tlsHandshakeTimeoutMs: 10_000,
    maxConnections: 1000,
  });
});

test('the TLS handshake timeout and the connection cap are settings', () => {
  const c = config([...base, '--policy-file', 'p', '--tls-handshake-timeout-ms', '2500'], {
    USERNS_MAX_CONNECTIONS: '64',
  });
  expect([c.tlsHandshakeTimeoutMs, c.maxConnections]).toEqual([2500, 64]);
});

test("the lookup's negative cache and miss rate are settings, by default 5 s, 10,000 names, 20/s", () => {
  expect(config([...base, '--policy-file', 'p']).lookupMisses).toEqual({
    negativeTtlMs: 5000,
    negativeMax: 10_000,
    missesPerSecond: 20,
  });
  const c = config([...base, '--policy-file', 'p', '--lookup-negative-ttl-ms', '0'], {
    USERNS_LOOKUP_NEGATIVE_MAX: '500',
    USERNS_LOOKUP_MISSES_PER_SECOND: '5',
  });
  expect(c.lookupMisses).toEqual({ negativeTtlMs: 0, negativeMax: 500, missesPerSecond: 5 });
});

test('flags win over env; both forms of flag work', () => {
  const env = {
    USERNS_PORT: '9000',
    USERNS_TLS_CERT: '/env.pem',
    USERNS_TLS_KEY: '/env.key',
    USERNS_POLICY_FILE: 'e.yaml',
  };
  expect(config([], env)).toMatchObject({
    port: 9000,
    tlsCertPath: '/env.pem',
    policyFile: 'e.yaml',
  });
  expect(config(['--port=9443'], env).port).toBe(9443);
  expect(config(['--port', '9444'], env).port).toBe(9444);
});

test('in-cluster is detected and brings the service account namespace', () => {
  const c = config(base, { KUBERNETES_SERVICE_HOST: '10.0.0.1' });
  expect(c.cluster).toEqual({ kind: 'in-cluster' });
  expect(c.namespace).toBe('userns-builds');
  expect(config([...base, '--kubeconfig', '/kc']).cluster).toEqual({
    kind: 'kubeconfig',
    path: '/kc',
  });
  expect(config([...base, '--kubeconfig', '/kc', '--namespace', 'hooks']).namespace).toBe('hooks');
});

test('--in-cluster=false switches off the in-cluster detection', () => {
  const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1' };
  const c = config([...base, '--policy-file', 'p.yaml', '--in-cluster=false'], env);
  expect(c.cluster).toBeUndefined();
  expect(
    config([...base, '--policy-file', 'p.yaml'], { ...env, USERNS_IN_CLUSTER: 'no' }).cluster,
  ).toBeUndefined();
  // Without a policy file, switching the cluster off leaves no policy source: a clear error.
  expect(problem([...base, '--in-cluster=false'], env).message).toMatch(/no policy source/);
});

test.each([
  [['--tls-key', '/k', '--policy-file', 'p'], {}, /--tls-cert \(USERNS_TLS_CERT\).*required/],
  [[...base], {}, /--policy-file.*no policy source/],
  [[...base, '--policy-file', 'p', '--port', 'abc'], {}, /--port \(USERNS_PORT\).*whole number/],
  [[...base, '--policy-file', 'p', '--port', '70000'], {}, /--port.*between 0 and 65535/],
  [
    [...base, '--policy-file', 'p'],
    { USERNS_MAX_BODY_BYTES: '12' },
    /--max-body-bytes \(USERNS_MAX_BODY_BYTES\)/,
  ],
  [[...base, '--policy-file', 'p', '--log-level', 'loud'], {}, /--log-level.*one of/],
  [[...base, '--policy-file', 'p', '--namespace', 'Not_A_Name'], {}, /--namespace.*namespace name/],
  [[...base, '--policy-file', 'p', '--lookup-timeout-ms', '0'], {}, /--lookup-timeout-ms/],
  [[...base, '--policy-file', 'p', '--tls-handshake-timeout-ms', '0'], {}, /--tls-handshake/],
  [
    [...base, '--policy-file', 'p', '--lookup-negative-ttl-ms', '-1'],
    {},
    /--lookup-negative-ttl-ms \(USERNS_LOOKUP_NEGATIVE_TTL_MS\).*whole number/,
  ],
  [
    [...base, '--policy-file', 'p'],
    { USERNS_LOOKUP_NEGATIVE_MAX: '0' },
    /--lookup-negative-max \(USERNS_LOOKUP_NEGATIVE_MAX\).*between 1 and 1000000/,
  ],
  [
    [...base, '--policy-file', 'p', '--lookup-misses-per-second', '20000'],
    {},
    /--lookup-misses-per-second \(USERNS_LOOKUP_MISSES_PER_SECOND\).*between 1 and 10000/,
  ],
  [[...base, '--policy-file', 'p'], { USERNS_MAX_CONNECTIONS: '0' }, /--max-connections/],
  [[...base, '--policy-file'], {}, /--policy-file.*needs a value/],
  [[...base, '--frobnicate'], {}, /--frobnicate.*unknown flag/],
  [[...base, 'stray'], {}, /stray.*unexpected argument/],
  [[...base, '--policy-file', 'p', '--recorder'], {}, /--recorder.*needs a cluster/],
  [[...base, '--kubeconfig', '/kc', '--recorder'], {}, /--recorder.*--namespace/],
  [
    [...base, '--kubeconfig', '/kc', '--namespace', 'n', '--recorder-rate', '0'],
    {},
    /--recorder-rate/,
  ],
  [
    [...base, '--kubeconfig', '/kc', '--namespace', 'n'],
    { USERNS_RECORDER_LOG_BYTES: '1024' },
    /--recorder-log-bytes \(USERNS_RECORDER_LOG_BYTES\).*between 4096 and 16384/,
  ],
  [[...base, '--kubeconfig', '/kc', '--namespace', 'n', '--lease-name', 'A_B'], {}, /--lease-name/],
  [
    [...base, '--kubeconfig', '/kc', '--namespace', 'n', '--lease-duration-seconds', '1'],
    {},
    /--lease-duration-seconds/,
  ],
] as [string[], Record<string, string>, RegExp][])('%j %j → %s', (argv, env, message) => {
  expect(problem(argv, env).message).toMatch(message);
});

test('an error never echoes the value it rejected (env values may be secrets)', () => {
  const err = problem([...base, '--policy-file', 'p'], { USERNS_PORT: 's3cr3t-token' });
  expect(err.message).not.toMatch(/s3cr3t/);
  expect(err.setting).toBe('--port (USERNS_PORT)');
});

test('the recorder runs with a cluster and a namespace, and is configurable', () => {
  expect(config([...base, '--policy-file', 'p']).recorder).toBeUndefined();
  expect(config([...base, '--kubeconfig', '/kc']).recorder).toBeUndefined();
  expect(config([...base, '--kubeconfig', '/kc', '--namespace', 'n']).recorder).toEqual({
    ratePerSecond: 20,
    concurrency: 4,
    logBytes: 16384,
    leaseName: 'userns-builds-recorder',
    leaseDurationSeconds: 10,
    identity: undefined,
  });
  const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1', POD_NAME: 'backend-7f9c-x2x' };
  expect(
    config([...base, '--recorder-rate', '5', '--recorder-concurrency=2', '--lease-name=l'], env)
      .recorder,
  ).toMatchObject({
    ratePerSecond: 5,
    concurrency: 2,
    leaseName: 'l',
    identity: 'backend-7f9c-x2x',
  });
  expect(config([...base, '--in-cluster', '--recorder=false']).recorder).toBeUndefined();
});

test('--help', () => {
  expect(parseConfig(['--help'], {}, host)).toEqual({ help: true });
});

describe('trusted creators', () => {
  const file = [...base, '--policy-file', 'p.yaml'];

  test("default to openshift-controller-manager's build controller", () => {
    expect(config(file).trustedCreators).toEqual([
      'system:serviceaccount:openshift-infra:build-controller',
    ]);
  });

  test('come from a comma-separated flag or env, trimmed and de-duplicated', () => {
    expect(config([...file, '--trusted-creators', 'a, b,a']).trustedCreators).toEqual(['a', 'b']);
    expect(config(file, { USERNS_TRUSTED_CREATORS: 'ci-bot' }).trustedCreators).toEqual(['ci-bot']);
  });

  test.each(['a,,b', 'a,', 'two words'])('refuse %j, naming the setting', (value) => {
    const err = problem([...file, '--trusted-creators', value]);
    expect(err.message).toMatch(/--trusted-creators \(USERNS_TRUSTED_CREATORS\).*usernames/);
  });
});
