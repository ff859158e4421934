// Kubeconfigs for the demo users, so kubectl and client-node can talk to the emulator.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export function kubeconfigYaml(
  server: string,
  user: string,
  token: string,
  caData?: string,
): string {
  const name = 'userns-builds-local';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server,
          ...(caData
            ? { 'certificate-authority-data': caData }
            : { 'insecure-skip-tls-verify': true }),
        },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: `${user}@${name}`, context: { cluster: name, user, namespace: 'team-a' } }],
    'current-context': `${user}@${name}`,
    preferences: {},
  });
}

export function writeKubeconfigFile(path: string, yaml: string): string {
  writeFileSync(path, yaml, { mode: 0o600 });
  return path;
}
