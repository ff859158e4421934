// `npm run cluster -- --port 6443 --reset --builds 100000`: the emulator on its own.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCluster } from './index';

const HELP = `Usage: npm run cluster -- [options]
  --port N        listen on 127.0.0.1:N (default 6443; 0 = any free port)
  --state FILE    state file (default .dev-state/cluster.json)
  --reset         ignore the state file and start from fresh seed data
  --builds N      historical builds to seed (default 5000)
  --namespaces N  app namespaces to seed (default 20; more are named tenant-0001, …)
  --build-configs N  BuildConfigs to seed, spread over the namespaces (default 100)
  --no-seed       start empty (system namespaces, cluster Build config, CRDs only)
  --step-ms N     how long each build phase lasts (default 2000)
  --tls           serve HTTPS with a self-signed certificate made at start
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '6443' },
      state: { type: 'string', default: join(process.cwd(), '.dev-state', 'cluster.json') },
      reset: { type: 'boolean', default: false },
      builds: { type: 'string' },
      namespaces: { type: 'string' },
      'build-configs': { type: 'string' },
      'no-seed': { type: 'boolean', default: false },
      'step-ms': { type: 'string', default: '2000' },
      tls: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const count = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) {
      console.error(`--${name} must be a whole number of at least 1`);
      process.exit(2);
    }
    return Number(raw);
  };
  const seed = {
    builds: count('builds', values.builds),
    namespaces: count('namespaces', values.namespaces),
    buildConfigs: count('build-configs', values['build-configs']),
  };
  const started = Date.now();
  const cluster = await startCluster({
    port: Number(values.port),
    stateFile: values.state,
    reset: values.reset,
    seed: values['no-seed'] ? false : seed,
    buildTimer: { stepMs: Number(values['step-ms']) },
    tls: values.tls,
  });
  console.log(`Local cluster ready in ${Date.now() - started} ms
  URL:        ${cluster.url}
  kubeconfig: ${cluster.kubeconfigPath}   (export KUBECONFIG=${cluster.kubeconfigPath})
  state:      ${values.state}
  demo tokens (Authorization: Bearer <token>):
    admin      ${cluster.tokens.admin}
    developer  ${cluster.tokens.developer}
    auditor    ${cluster.tokens.auditor}
    backend    ${cluster.tokens.backend}`);
  if (!values.tls)
    console.log('  (kubectl sends tokens only over TLS: restart with --tls to use it)');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: saving state and stopping`);
    void cluster.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
