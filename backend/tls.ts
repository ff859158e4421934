// Serving certificate and key, re-read when their files change (their directories are watched:
// see dir-watch.ts). A pair that does not parse or does not match is never installed: the server
// keeps serving the previous one.
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { DirectoryWatch } from './dir-watch';
import type { Logger } from './log';

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/** Reads and checks a pair; throws an Error naming the file at fault. */
export function loadTlsMaterial(certPath: string, keyPath: string): TlsMaterial {
  const read = (path: string, what: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`cannot read TLS ${what} ${path}: ${(err as Error).message}`);
    }
  };
  const cert = read(certPath, 'certificate');
  const key = read(keyPath, 'key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new Error(
      `TLS certificate ${certPath} is not a PEM certificate: ${(err as Error).message}`,
    );
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new Error(`TLS key ${keyPath} is not a PEM private key: ${(err as Error).message}`);
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new Error(`TLS key ${keyPath} does not match certificate ${certPath}`);
  }
  // Catches what the checks above do not (e.g. a broken chain after the leaf).
  createSecureContext({ cert, key });
  return { cert, key };
}

/** The certificate's notAfter, in seconds since the epoch. */
export function expiresAt(material: TlsMaterial): number {
  return Math.floor(Date.parse(new X509Certificate(material.cert).validTo) / 1000);
}

export function fingerprint(material: TlsMaterial): string {
  return createHash('sha256').update(material.cert).update(material.key).digest('hex');
}

export class TlsReloader {
  private readonly watch: DirectoryWatch;
  private current: string;

  constructor(
    private readonly opts: {
      certPath: string;
      keyPath: string;
      initial: TlsMaterial;
      apply: (material: TlsMaterial) => void;
      log: Logger;
      debounceMs?: number;
    },
  ) {
    this.current = fingerprint(opts.initial);
    this.watch = new DirectoryWatch({
      files: [opts.certPath, opts.keyPath],
      onSettled: () => this.reload(),
      log: opts.log,
      what: 'TLS',
      ...(opts.debounceMs !== undefined ? { debounceMs: opts.debounceMs } : {}),
    });
  }

  start(): void {
    this.watch.start();
  }

  stop(): void {
    this.watch.stop();
  }

  /** Re-reads the files now; returns whether a new pair was installed. */
  reload(): boolean {
    const { certPath, keyPath, log } = this.opts;
    let material: TlsMaterial;
    try {
      material = loadTlsMaterial(certPath, keyPath);
    } catch (err) {
      // Often a half-written rotation (cert updated, key not yet): the next event retries.
      log.warn(
        { problem: (err as Error).message },
        'TLS files changed but are not usable; keeping the current pair',
      );
      return false;
    }
    const print = fingerprint(material);
    if (print === this.current) return false;
    this.opts.apply(material);
    this.current = print;
    log.info({ validTo: new X509Certificate(material.cert).validTo }, 'TLS certificate reloaded');
    return true;
  }
}
