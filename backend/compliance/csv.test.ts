import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvCell, csvHeader, csvLine } from './csv';
import { parseCsv } from './testing/csv-parse';
import type { PublicRow } from './rows';

test('cells are quoted only when RFC 4180 needs it, with quotes doubled', () => {
  expect(csvCell('plain')).toBe('plain');
  expect(csvCell(null)).toBe('');
  expect(csvCell('a,b')).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell('two\nlines')).toBe('"two\nlines"');
});

test('cells a spreadsheet would run as a formula are neutralised', () => {
  for (const f of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) {
    expect(csvCell(f).replace(/^"/, '')).toMatch(/^'/);
  }
  expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  expect(csvCell('a=1')).toBe('a=1');
});

test('hostile rows from a fixture come back out of a CSV parser unchanged but for the prefix', () => {
  const rows = JSON.parse(
    readFileSync(join(__dirname, 'fixtures', 'hostile-rows.json'), 'utf8'),
  ) as PublicRow[];
  const text = csvHeader() + rows.map(csvLine).join('');
  const parsed = parseCsv(text);
  expect(parsed[0]).toEqual(Object.keys(rows[0]!));
  expect(parsed).toHaveLength(rows.length + 1);
  rows.forEach((r, i) => {
    const cells = parsed[i + 1]!;
    Object.values(r).forEach((v, j) => {
      const want = v === null ? '' : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
      expect(cells[j]).toBe(want);
    });
  });
});
