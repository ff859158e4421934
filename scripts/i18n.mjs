// Extracts the plugin's UI strings into locales/en/plugin__userns-builds.json.
//   node scripts/i18n.mjs          regenerate the committed catalog
//   node scripts/i18n.mjs --check  regenerate into a temp dir; exit 1 naming missing/stale keys
// Sources: every t('...') in src/ (i18next-parser) and every %plugin__userns-builds~...% in
// console-extensions.json, which the console translates but the parser cannot see.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const NS = 'plugin__userns-builds';
const LOCALES = ['en'];
const committedDir = join(root, 'locales');
const check = process.argv.includes('--check');

/** Runs i18next-parser, writing `<outDir>/<locale>/<ns>.json`. */
function extract(outDir) {
  const parser = join(root, 'node_modules', 'i18next-parser', 'bin', 'cli.js');
  execFileSync(
    process.execPath,
    [
      parser,
      '--config',
      join(root, 'i18next-parser.config.mjs'),
      '--output',
      join(outDir, '$LOCALE', '$NAMESPACE.json'),
      '--silent',
      // A dynamic key (t(variable)) is a warning; it would never reach the catalog, so fail.
      '--fail-on-warnings',
    ],
    { cwd: root, stdio: 'inherit' },
  );
}

/** Console-extension strings: "%plugin__userns-builds~User namespace builds%". */
function extensionKeys() {
  const text = readFileSync(join(root, 'console-extensions.json'), 'utf8');
  const pattern = new RegExp(`%${NS}~([^%]+)%`, 'g');
  return [...text.matchAll(pattern)].map((m) => m[1]);
}

/** Adds extension keys and rewrites the catalog sorted, one stable format for diffing. */
function finish(outDir) {
  for (const locale of LOCALES) {
    const file = join(outDir, locale, `${NS}.json`);
    const catalog = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    for (const key of extensionKeys()) catalog[key] ??= key;
    const sorted = Object.fromEntries(
      Object.keys(catalog)
        .sort()
        .map((k) => [k, catalog[k]]),
    );
    writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
  }
}

function readCatalog(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

if (!check) {
  extract(committedDir);
  finish(committedDir);
  console.log(`i18n: wrote ${LOCALES.map((l) => `locales/${l}/${NS}.json`).join(', ')}`);
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'userns-builds-i18n-'));
  let failed = false;
  try {
    extract(tmp);
    finish(tmp);
    for (const locale of LOCALES) {
      const rel = `locales/${locale}/${NS}.json`;
      const want = readCatalog(join(tmp, locale, `${NS}.json`)) ?? {};
      const have = readCatalog(join(committedDir, locale, `${NS}.json`));
      if (!have) {
        console.error(`i18n: ${rel} is missing; run \`npm run i18n\``);
        failed = true;
        continue;
      }
      const missing = Object.keys(want).filter((k) => !(k in have));
      const stale = Object.keys(have).filter((k) => !(k in want));
      const changed = Object.keys(want).filter((k) => k in have && have[k] !== want[k]);
      const wantText = readFileSync(join(tmp, locale, `${NS}.json`), 'utf8');
      const haveText = readFileSync(join(committedDir, locale, `${NS}.json`), 'utf8');
      if (missing.length || stale.length || changed.length || wantText !== haveText) {
        failed = true;
        console.error(`i18n: ${rel} is out of date; run \`npm run i18n\` and commit it.`);
        for (const k of missing) console.error(`+ ${JSON.stringify(k)}  (used in code, missing)`);
        for (const k of stale) console.error(`- ${JSON.stringify(k)}  (no longer used, stale)`);
        for (const k of changed)
          console.error(
            `~ ${JSON.stringify(k)}: ${JSON.stringify(have[k])} -> ${JSON.stringify(want[k])}`,
          );
        if (!missing.length && !stale.length && !changed.length)
          console.error('  (same keys and values; only order or formatting differs)');
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (failed) process.exit(1);
  console.log('i18n: locales are up to date');
}
