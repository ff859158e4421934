import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rebuildIfStale } from './stack';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rebuild-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A file last modified `secondsAgo` seconds ago. */
const file = (name: string, secondsAgo: number): string => {
  const path = join(dir, name);
  writeFileSync(path, name);
  const at = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, at, at);
  return path;
};

test('an output newer than its inputs is not built', async () => {
  const input = file('in.ts', 60);
  const output = file('out.js', 10);
  const build = jest.fn(() => Promise.resolve());
  expect(await rebuildIfStale(output, [input], build)).toBe(false);
  expect(build).not.toHaveBeenCalled();
});

test('a missing output is built', async () => {
  const input = file('in.ts', 60);
  const output = join(dir, 'out.js');
  const build = jest.fn(() => Promise.resolve(writeFileSync(output, 'built')));
  expect(await rebuildIfStale(output, [input], build)).toBe(true);
  expect(build).toHaveBeenCalledTimes(1);
  expect(await rebuildIfStale(output, [input], build)).toBe(false);
});

test('an output the build left unchanged (webpack skips equal files) is built once, not at every start', async () => {
  const input = file('in.ts', 10);
  const output = file('out.js', 60);
  const build = jest.fn(() => Promise.resolve());
  expect(await rebuildIfStale(output, [input], build)).toBe(true);
  expect(statSync(output).mtimeMs).toBeGreaterThan(statSync(input).mtimeMs);
  expect(await rebuildIfStale(output, [input], build)).toBe(false);
  expect(build).toHaveBeenCalledTimes(1);
});

test('a failed build leaves the output stale', async () => {
  const input = file('in.ts', 10);
  const output = file('out.js', 60);
  const build = jest.fn(() => Promise.reject(new Error('webpack failed')));
  await expect(rebuildIfStale(output, [input], build)).rejects.toThrow('webpack failed');
  await expect(rebuildIfStale(output, [input], build)).rejects.toThrow('webpack failed');
  expect(build).toHaveBeenCalledTimes(2);
});
