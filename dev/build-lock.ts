// One build at a time per checkout: `npm start` and the browser tests both rebuild dist/ when it
// is stale, and two webpack runs writing the same folder can serve a half-written bundle.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Runs `fn` while holding the lock folder `dir` (mkdir is atomic). A lock whose owner process is
 * gone is taken over, so a killed build never blocks the next one.
 */
export async function withBuildLock<T>(
  dir: string,
  fn: () => Promise<T>,
  opts: { pollMs?: number; timeoutMs?: number; onWait?: (pid: number) => void } = {},
): Promise<T> {
  const { pollMs = 250, timeoutMs = 10 * 60_000 } = opts;
  const ownerFile = join(dir, 'pid');
  const deadline = Date.now() + timeoutMs;
  let told = false;
  mkdirSync(dirname(dir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(dir, { recursive: false });
      writeFileSync(ownerFile, String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number(readOwner(ownerFile));
    if (owner > 0 && !alive(owner)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`another build (pid ${owner || 'unknown'}) holds ${dir}; remove it if stale`);
    }
    if (!told && owner > 0) {
      opts.onWait?.(owner);
      told = true;
    }
    await sleep(pollMs);
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readOwner(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    // The owner has made the folder but not yet written its pid: treat it as alive.
    return '';
  }
}
