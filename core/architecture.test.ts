// core runs in the browser (plugin preview) and in Node (webhook): it may import nothing but
// itself. This test reads the sources, so a forbidden import fails here before any bundle breaks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const CORE = __dirname;
// Test support lives in core/testing and may use Node; core itself must never import it.
const TEST_SUPPORT = join(CORE, 'testing');

const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]!]));

function importsOf(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
}

/** Why `specifier`, imported from `file`, breaks core's rules; undefined when it is fine. */
function violation(file: string, specifier: string): string | undefined {
  if (/^(react|react-.*|react\/.*)$/.test(specifier)) return 'React';
  if (specifier.startsWith('@patternfly/')) return 'PatternFly';
  if (specifier.startsWith('@openshift-console/')) return 'the console SDK';
  if (specifier.startsWith('@kubernetes/')) return 'a Kubernetes client';
  if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0]!)) {
    return 'a Node built-in';
  }
  if (!specifier.startsWith('.')) return 'a package outside core';
  const target = resolve(dirname(file), specifier);
  if (target !== CORE && !target.startsWith(CORE + sep)) return 'a file outside core';
  if (target === TEST_SUPPORT || target.startsWith(TEST_SUPPORT + sep)) return 'test support';
  return undefined;
}

function productionSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return path === TEST_SUPPORT || entry.name === 'fixtures' ? [] : productionSources(path);
    }
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('core architecture', () => {
  const files = productionSources(CORE);

  it('finds the modules it guards', () => {
    expect(files.map((f) => relative(CORE, f))).toEqual(
      expect.arrayContaining(['index.ts', 'decision.ts', 'plan.ts', 'verdict.ts', 'validate.ts']),
    );
  });

  it.each(files.map((f) => [relative(CORE, f), f]))('%s imports only core', (_name, file) => {
    const bad = importsOf(readFileSync(file, 'utf8'))
      .map((specifier) => [specifier, violation(file, specifier)])
      .filter(([, why]) => why !== undefined);
    expect(bad).toEqual([]);
  });
});

describe('the import scanner', () => {
  const file = join(CORE, 'plan.ts');

  it.each([
    ["import React from 'react';", 'React'],
    ["import { useState } from 'react'", 'React'],
    ["import { Button } from '@patternfly/react-core';", 'PatternFly'],
    ["import type { K8sModel } from '@openshift-console/dynamic-plugin-sdk';", 'the console SDK'],
    ["import * as k8s from '@kubernetes/client-node';", 'a Kubernetes client'],
    ["import { readFileSync } from 'fs';", 'a Node built-in'],
    ["import { join } from 'node:path';", 'a Node built-in'],
    ["import { promises } from 'fs/promises';", 'a Node built-in'],
    ["const x = require('crypto');", 'a Node built-in'],
    ["const m = await import('os');", 'a Node built-in'],
    ["import 'url';", 'a Node built-in'],
    ["export { x } from '../backend/server';", 'a file outside core'],
    ["import { loadPod } from './testing/fixtures';", 'test support'],
    ["import { compare } from 'fast-json-patch';", 'a package outside core'],
  ])('catches %s', (source, why) => {
    const [specifier] = importsOf(source);
    expect(specifier).toBeDefined();
    expect(violation(file, specifier!)).toBe(why);
  });

  it('allows core-relative imports', () => {
    const source = "import { decide } from './decision';\nexport * from './types';";
    expect(importsOf(source).map((s) => violation(file, s))).toEqual([undefined, undefined]);
  });
});

describe("core's own tsconfig", () => {
  // The same settings core/tsconfig.json gives `npm run typecheck`, applied to a probe file: a
  // Node or browser global in core must be a type error, not only an import the scanner finds.
  const tsc = join(CORE, '..', 'node_modules', 'typescript', 'bin', 'tsc');

  function typeErrors(source: string): string {
    const dir = mkdtempSync(join(CORE, '.purity-probe-'));
    try {
      writeFileSync(join(dir, 'probe.ts'), source);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: '../tsconfig.json', include: ['probe.ts'], exclude: [] }),
      );
      const run = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
      return run.stdout;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it.each([
    ['Buffer.from("x")', 'Buffer'],
    ['process.env.HOME', 'process'],
    ['window.location.href', 'window'],
    ['document.title', 'document'],
  ])(
    'refuses %s',
    (expression, name) => {
      expect(typeErrors(`export const x = ${expression};\n`)).toMatch(
        new RegExp(`error TS\\d+: Cannot find name '${name}'`),
      );
    },
    30_000,
  );

  it('accepts plain ES2022', () => {
    expect(typeErrors('export const x = [1, 2].at(-1) ?? Object.hasOwn({}, "a");\n')).toBe('');
  }, 30_000);
});
