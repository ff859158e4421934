import { budgetLines, formatBudget } from './bundle-budget';

const sizes: Record<string, number> = {
  'plugin-entry.js': 6_000,
  'shared-chunk.js': 20_000,
  'exposed-Page-chunk.js': 1_000,
  'exposed-Big-chunk.js': 90_000,
};
const gzip = (f: string) => sizes[f] ?? 0;

describe('the bundle budget', () => {
  it('adds the entry to each page, counting a file named twice only once', () => {
    const lines = budgetLines(
      ['plugin-entry.js'],
      [
        { page: 'Page', files: ['exposed-Page-chunk.js', 'shared-chunk.js', 'plugin-entry.js'] },
        { page: 'Big', files: ['exposed-Big-chunk.js', 'shared-chunk.js'] },
      ],
      gzip,
      100 * 1024,
    );
    expect(lines).toEqual([
      { page: 'Page', bytes: 27_000, over: false },
      { page: 'Big', bytes: 116_000, over: true },
    ]);
  });

  it('prints every file and page, and marks a page over budget', () => {
    const text = formatBudget(
      [['plugin-entry.js', 6_000]],
      [
        { page: 'Page', bytes: 27_000, over: false },
        { page: 'Big', bytes: 116_000, over: true },
      ],
      100 * 1024,
    );
    expect(text).toContain('plugin-entry.js');
    expect(text).toMatch(/Page\s+26\.4 KB$/m);
    expect(text).toMatch(/Big\s+113\.3 KB {2}OVER BUDGET$/m);
    expect(text).toContain('budget 100.0 KB');
  });
});
