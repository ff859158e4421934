// The plugin's bundle budget, enforced by `npm run build`: for each exposed module (any of them can
// be the first page a user opens), the plugin entry plus every chunk that module's chunk group
// loads must stay under the limit, gzipped. Lazy chunks (the trend chart) and shared-module
// fallbacks (used only when the console lacks a shared module) are other chunk groups: not counted.
import { gzipSync } from 'node:zlib';
import type { Compilation, Compiler, WebpackPluginInstance } from 'webpack';

export const DEFAULT_BUDGET_BYTES = 100 * 1024;

export interface PageChunks {
  /** The exposed module's name, e.g. `ComplianceDashboardPage`. */
  page: string;
  files: string[];
}

export interface BudgetLine {
  page: string;
  bytes: number;
  over: boolean;
}

/** Per page: the gzip bytes of the entry files plus its own files, each file counted once. */
export function budgetLines(
  entryFiles: string[],
  pages: PageChunks[],
  gzipBytes: (file: string) => number,
  limit: number,
): BudgetLine[] {
  return pages.map(({ page, files }) => {
    const bytes = [...new Set([...entryFiles, ...files])].reduce((n, f) => n + gzipBytes(f), 0);
    return { page, bytes, over: bytes > limit };
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export function formatBudget(
  fileSizes: [string, number][],
  lines: BudgetLine[],
  limit: number,
): string {
  const width = Math.max(...fileSizes.map(([f]) => f.length), ...lines.map((l) => l.page.length));
  return [
    'initial chunks (gzip):',
    ...fileSizes.map(([f, n]) => `  ${f.padEnd(width)}  ${kb(n).padStart(9)}`),
    `entry + first page (budget ${kb(limit)}):`,
    ...lines.map(
      (l) =>
        `  ${l.page.padEnd(width)}  ${kb(l.bytes).padStart(9)}${l.over ? '  OVER BUDGET' : ''}`,
    ),
  ].join('\n');
}

const jsFiles = (files: Iterable<string>) => [...files].filter((f) => f.endsWith('.js'));

/**
 * The chunk group of each exposed module: the plugin SDK names them `exposed-<module>` (its
 * DynamicRemotePlugin), each holding the chunks that module needs before it can render.
 */
function exposedGroups(compilation: Compilation): PageChunks[] {
  const out: PageChunks[] = [];
  for (const [name, group] of compilation.namedChunkGroups) {
    if (!name.startsWith('exposed-')) continue;
    out.push({ page: name.slice('exposed-'.length), files: jsFiles(group.getFiles()) });
  }
  return out.sort((a, b) => a.page.localeCompare(b.page));
}

export class BundleBudgetPlugin implements WebpackPluginInstance {
  constructor(
    private readonly entryName: string,
    private readonly limit = DEFAULT_BUDGET_BYTES,
    private readonly print: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
  ) {}

  apply(compiler: Compiler): void {
    compiler.hooks.thisCompilation.tap(BundleBudgetPlugin.name, (compilation) => {
      compilation.hooks.processAssets.tap(
        {
          name: BundleBudgetPlugin.name,
          // After minification and the final hashed names, while sources are still in memory.
          stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT,
        },
        () => this.check(compiler, compilation),
      );
    });
  }

  private check(compiler: Compiler, compilation: Compilation): void {
    {
      const entry = compilation.entrypoints.get(this.entryName);
      if (!entry) {
        compilation.errors.push(
          new compiler.webpack.WebpackError(`bundle budget: no entry named ${this.entryName}`),
        );
        return;
      }
      const sizes = new Map<string, number>();
      const gzipBytes = (file: string): number => {
        let n = sizes.get(file);
        if (n === undefined) {
          const asset = compilation.getAsset(file);
          n = asset ? gzipSync(asset.source.buffer(), { level: 9 }).length : 0;
          sizes.set(file, n);
        }
        return n;
      };
      const entryFiles = jsFiles(entry.getFiles());
      const pages = exposedGroups(compilation);
      const lines = budgetLines(entryFiles, pages, gzipBytes, this.limit);
      const initial = [...new Set([...entryFiles, ...pages.flatMap((p) => p.files)])].sort();
      this.print(
        formatBudget(
          initial.map((f) => [f, gzipBytes(f)]),
          lines,
          this.limit,
        ),
      );
      for (const l of lines.filter((x) => x.over))
        compilation.errors.push(
          new compiler.webpack.WebpackError(
            `bundle budget: ${l.page} needs ${kb(l.bytes)} gzip with the entry, over ${kb(this.limit)}`,
          ),
        );
    }
  }
}
