// What stands behind a Service reference. The emulator runs no pods and no kube-proxy, so whoever
// starts a backend on this machine tells the directory which local port serves which Service;
// webhooks registered by `clientConfig.service` (as deploy/ registers ours) then reach it. The
// API server dials `<name>.<namespace>.svc` and checks the certificate against that name; so does
// the emulator, so a test's certificate must carry that name as a real serving certificate does.

export interface ServiceRef {
  namespace: string;
  name: string;
  port?: number;
  path?: string;
}

export interface ServiceTarget {
  url: URL;
  /** The TLS server name the API server verifies: `<name>.<namespace>.svc`. */
  servername: string;
}

export class ServiceDirectory {
  private readonly endpoints = new Map<string, { host: string; port: number }>();
  /**
   * The OpenShift service CA, as the service-ca operator would inject it into webhook
   * configurations annotated `service.beta.openshift.io/inject-cabundle: "true"`.
   */
  serviceCA: Buffer | undefined;

  /** Routes `namespace/name:port` to a local address. */
  register(
    ref: { namespace: string; name: string; port: number },
    local: { host?: string; port: number },
  ): void {
    this.endpoints.set(key(ref.namespace, ref.name, ref.port), {
      host: local.host ?? '127.0.0.1',
      port: local.port,
    });
  }

  unregister(ref: { namespace: string; name: string; port: number }): void {
    this.endpoints.delete(key(ref.namespace, ref.name, ref.port));
  }

  /** The local address behind a reference, or an error message like the API server's. */
  resolve(ref: ServiceRef): ServiceTarget | string {
    // The API server's default port for a webhook service reference.
    const port = ref.port ?? 443;
    const local = this.endpoints.get(key(ref.namespace, ref.name, port));
    if (!local) return `service "${ref.namespace}/${ref.name}:${port}" has no endpoints`;
    const url = new URL(`https://${local.host}:${local.port}`);
    url.pathname = ref.path ?? '/';
    return { url, servername: `${ref.name}.${ref.namespace}.svc` };
  }
}

function key(namespace: string, name: string, port: number): string {
  return `${namespace}/${name}:${port}`;
}
