import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withBuildLock } from './build-lock';

const lockIn = () => join(mkdtempSync(join(tmpdir(), 'build-lock-')), 'build.lock');

test('runs holders one at a time and releases the lock', async () => {
  const lock = lockIn();
  const events: string[] = [];
  const holder = (name: string) =>
    withBuildLock(
      lock,
      async () => {
        events.push(`${name} in`);
        await sleep(30);
        events.push(`${name} out`);
        return name;
      },
      { pollMs: 5 },
    );
  await expect(Promise.all([holder('a'), holder('b')])).resolves.toEqual(['a', 'b']);
  expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
  expect(existsSync(lock)).toBe(false);
});

test('makes the folder that holds the lock on a fresh checkout', async () => {
  const lock = join(mkdtempSync(join(tmpdir(), 'build-lock-')), '.dev-state', 'build.lock');
  await expect(withBuildLock(lock, async () => 'built')).resolves.toBe('built');
});

test('releases the lock when the build fails', async () => {
  const lock = lockIn();
  await expect(
    withBuildLock(lock, async () => {
      throw new Error('webpack failed');
    }),
  ).rejects.toThrow('webpack failed');
  expect(existsSync(lock)).toBe(false);
});

test('takes over a lock whose owner process is gone', async () => {
  const lock = lockIn();
  mkdirSync(lock);
  // Well above any pid_max: no such process.
  writeFileSync(join(lock, 'pid'), '999999999');
  await expect(withBuildLock(lock, async () => 'built', { pollMs: 5 })).resolves.toBe('built');
});

test('names the live owner when it waits too long', async () => {
  const lock = lockIn();
  mkdirSync(lock);
  writeFileSync(join(lock, 'pid'), String(process.pid));
  const waited: number[] = [];
  await expect(
    withBuildLock(lock, async () => 'never', {
      pollMs: 5,
      timeoutMs: 30,
      onWait: (pid) => waited.push(pid),
    }),
  ).rejects.toThrow(`another build (pid ${process.pid})`);
  expect(waited).toEqual([process.pid]);
});
