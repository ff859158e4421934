// Docs and comments may point only at what a reader of this repository can open: its own files
// (and their headings) or public URLs. A moved file or a renamed heading fails here, not in a
// reader's browser.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';

const root = path.resolve(__dirname, '..');
const md = new MarkdownIt({ html: true });

function tracked(...patterns: string[]): string[] {
  return execFileSync('git', ['ls-files', '--', ...patterns], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f !== '' && existsSync(path.join(root, f)));
}

/** The anchors GitHub gives a Markdown file's headings. */
function anchorsOf(file: string): Set<string> {
  const slugger = new GithubSlugger();
  const tokens = md.parse(readFileSync(path.join(root, file), 'utf8'), {});
  const anchors = new Set<string>();
  tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const text = (tokens[i + 1]?.children ?? [])
      .filter((c) => c.type === 'text' || c.type === 'code_inline')
      .map((c) => c.content)
      .join('');
    anchors.add(slugger.slug(text));
  });
  return anchors;
}

/** Every link target in a Markdown file: inline links, reference links and autolinks. */
function linksOf(file: string): string[] {
  const hrefs: string[] = [];
  const walk = (tokens: ReturnType<typeof md.parse>) => {
    for (const token of tokens) {
      const href = token.type === 'link_open' ? token.attrGet('href') : null;
      if (href !== null) hrefs.push(href);
      if (token.children) walk(token.children);
    }
  };
  walk(md.parse(readFileSync(path.join(root, file), 'utf8'), {}));
  return hrefs;
}

/** Why a link from `from` (a repository path) cannot be followed, or undefined if it can. */
function problem(from: string, href: string): string | undefined {
  if (/^https:\/\//.test(href)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return 'only https:// URLs are public';
  const [target = '', anchor] = href.split('#', 2);
  const file =
    target === '' ? from : path.posix.normalize(path.posix.join(path.posix.dirname(from), target));
  if (file.startsWith('..')) return 'points outside the repository';
  if (!existsSync(path.join(root, file))) return `${file} does not exist`;
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(path.join(root, file)).isDirectory() || !file.endsWith('.md')) {
    return 'an anchor into a file that has no headings';
  }
  return anchorsOf(file).has(anchor) ? undefined : `${file} has no heading #${anchor}`;
}

const markdown = tracked('*.md');
const sources = tracked('*.ts', '*.tsx', '*.mjs', '*.js', '*.yaml', '*.json', 'Dockerfile').filter(
  (f) => f !== 'package-lock.json' && f !== 'docs/links.test.ts',
);

describe('links in the Markdown docs', () => {
  it('finds the docs', () => {
    expect(markdown).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md']));
  });

  it.each(markdown)('%s links only to repository files, their headings and https URLs', (file) => {
    const broken = linksOf(file)
      .map((href) => ({ href, why: problem(file, href) }))
      .filter((l) => l.why !== undefined);
    expect(broken).toEqual([]);
  });
});

describe('docs named in code and manifests', () => {
  // Comments cite docs by their path from the repository's root, e.g. docs/architecture.md#x.
  const cited = sources.flatMap((file) =>
    [
      ...readFileSync(path.join(root, file), 'utf8').matchAll(
        /\b((?:[\w-]+\/)*[\w-]+\.md)(#[\w-]+)?/g,
      ),
    ]
      .filter((m) => !m[1]!.startsWith('node_modules/') && !m[1]!.includes('dynamic-plugin-sdk'))
      .map((m) => ({ file, href: `${m[1]}${m[2] ?? ''}` })),
  );

  it('finds citations', () => {
    expect(cited.some((c) => c.href.startsWith('docs/architecture.md#'))).toBe(true);
  });

  it('cites only files and headings that exist', () => {
    const broken = cited
      .map((c) => ({ ...c, why: problem('.', c.href) }))
      .filter((c) => c.why !== undefined);
    expect(broken).toEqual([]);
  });

  it('points to nothing outside the repository', () => {
    const outside = [...sources, ...markdown].filter((f) =>
      /DESIGN\.md|\.\.\/shared\//.test(readFileSync(path.join(root, f), 'utf8')),
    );
    expect(outside).toEqual([]);
  });
});
