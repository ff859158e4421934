// Self-signed certificates for tests, made with the openssl CLI (EC keys: milliseconds each).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  cert: Buffer;
  key: Buffer;
}

/** `dnsNames` are added to the SAN (always localhost and 127.0.0.1), e.g. a Service's DNS name. */
export function makeCert(commonName = 'localhost', dnsNames: string[] = []): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'userns-cert-'));
  const certPath = join(dir, 'tls.crt');
  const keyPath = join(dir, 'tls.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '1',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      `subjectAltName=${['DNS:localhost', 'IP:127.0.0.1', ...dnsNames.map((d) => `DNS:${d}`)].join(',')}`,
    ],
    { stdio: 'ignore' },
  );
  try {
    return { cert: readFileSync(certPath), key: readFileSync(keyPath) };
  } finally {
    // The private key lives on only in memory.
    rmSync(dir, { recursive: true, force: true });
  }
}

// The server under test reads these files for as long as the test process runs: they go with it.
const mounted = new Set<string>();
process.once('exit', () => {
  for (const dir of mounted) rmSync(dir, { recursive: true, force: true });
});

/** A directory holding tls.crt and tls.key, as a mounted Secret would. */
export function certDir(initial: TestCert): { dir: string; certPath: string; keyPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'userns-tls-'));
  const paths = { dir, certPath: join(dir, 'tls.crt'), keyPath: join(dir, 'tls.key') };
  mounted.add(dir);
  writeFileSync(paths.certPath, initial.cert);
  writeFileSync(paths.keyPath, initial.key);
  return paths;
}

/** Replaces both files, each atomically (write + rename), key first then certificate. */
export function rotate(paths: { certPath: string; keyPath: string }, next: TestCert): void {
  writeFileSync(`${paths.keyPath}.tmp`, next.key);
  renameSync(`${paths.keyPath}.tmp`, paths.keyPath);
  writeFileSync(`${paths.certPath}.tmp`, next.cert);
  renameSync(`${paths.certPath}.tmp`, paths.certPath);
}
