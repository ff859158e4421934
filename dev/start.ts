// `npm start`: the whole product on this machine. Builds what is stale, starts the local cluster,
// the backend and the console shell, prints where to go; Ctrl-C or SIGTERM stops everything.
import { PortInUseError, startStack } from './stack';

const main = async () => {
  const port = process.env.PORT ? Number(process.env.PORT) : 9000;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error(`PORT must be a port number, not ${JSON.stringify(process.env.PORT)}`);
    process.exit(2);
  }
  let stack;
  try {
    stack = await startStack({ ports: { console: port }, reset: process.env.RESET === '1' });
  } catch (e) {
    if (e instanceof PortInUseError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  console.log(`
userns-builds is running:

  console   ${stack.consoleUrl}
  cluster   ${stack.clusterUrl}   (kubeconfig: ${stack.kubeconfigPath})
  backend   ${stack.backendUrl ?? `not started: ${stack.backendError ?? 'backend/main.ts not found'}`}

Demo users (switch in the console's top-right menu):
  admin      cluster admin: edits the BuildPolicy
  developer  edits BuildConfigs in their namespaces, starts builds
  auditor    reads everything, edits nothing

State is kept in .dev-state/ (RESET=1 npm start starts from fresh seed data). Ctrl-C stops.
`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    stack.stop().then(
      () => process.exit(0),
      (e: Error) => {
        console.error(`stop failed: ${e.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
};

main().catch((e: Error) => {
  console.error(`userns-builds failed to start: ${e.stack ?? e.message}`);
  process.exit(1);
});
