// CSV as RFC 4180 says (CRLF line ends, fields with a comma, quote or line break quoted, quotes
// doubled), with spreadsheet formulas neutralised: a cell starting with =, +, -, @ (or a tab or
// carriage return, which some spreadsheets skip before reading a formula) gets a leading '.
// Build names cannot start with those, but evidence and a hostile annotation can.
import type { PublicRow } from './rows';

export const CSV_COLUMNS: readonly (keyof PublicRow)[] = [
  'namespace',
  'name',
  'buildConfig',
  'strategy',
  'phase',
  'created',
  'verdict',
  'evidence',
  'decisionSource',
];

export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(row: PublicRow): string {
  return `${CSV_COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`;
}
