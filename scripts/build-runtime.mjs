#!/usr/bin/env node
// Builds the runtime tree: exactly what the image's last stage contains, in one folder.
//
//   backend.mjs   the backend and every npm package it uses, bundled into one file (no
//                 node_modules, no tsx, no dev dependencies)
//   plugin/       the console plugin as `npm run build` made it (dist/)
//
// The Dockerfile runs this, and so do the tests, which start the tree with plain `node` from a
// folder outside the checkout. Usage: node scripts/build-runtime.mjs [--out DIR] [--plugin DIR]
// [--backend-only] (just backend.mjs, as the benchmarks measure it).
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'build', 'runtime') },
    plugin: { type: 'string', default: join(root, 'dist') },
    'backend-only': { type: 'boolean', default: false },
  },
});
const out = resolve(values.out);
const plugin = resolve(values.plugin);

const withPlugin = !values['backend-only'];
if (withPlugin && !existsSync(join(plugin, 'plugin-manifest.json'))) {
  process.stderr.write(`no built plugin in ${plugin}: run npm run build first\n`);
  process.exit(2);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(root, 'backend', 'main.ts')],
  outfile: join(out, 'backend.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Some bundled CommonJS packages call require() for Node built-ins; an ES module has none.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  // Names stay readable in stack traces; the file is loaded once, so its size costs little.
  minifyWhitespace: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
if (withPlugin) cpSync(plugin, join(out, 'plugin'), { recursive: true });
process.stdout.write(`runtime tree in ${out}\n`);
