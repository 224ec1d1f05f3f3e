/**
 * The one CSV writer of Vigie (RFC 4180 quoting, CRLF line ends), tuned for the spreadsheets a
 * French town hall opens files with:
 * - UTF-8 with a byte order mark: without it Excel reads UTF-8 as Windows-1252 and "Église"
 *   becomes "Ã‰glise".
 * - `;` between fields: French Excel (and LibreOffice in French) use the comma as the decimal
 *   separator and expect `;` as the list separator, so a double-clicked `;` file opens in
 *   columns while a comma-separated one lands in a single column. Coordinates keep a decimal
 *   point (what GIS tools and scripts read; with `;` as the separator it cannot split a field).
 * - Formula injection (CSV injection): a text field starting with `=`, `+`, `-`, `@`, a tab or
 *   a carriage return would be run as a formula by a spreadsheet; it is prefixed with `'`
 *   (OWASP's advice), which shows the text as typed. Only text is neutralised: numbers are
 *   written by Vigie itself (a negative longitude stays a number).
 */

/** The byte order mark written first. */
export const CSV_BOM = '\uFEFF';
/** The field separator. */
export const CSV_SEPARATOR = ';';
/** The line end (RFC 4180). */
export const CSV_EOL = '\r\n';

/** A value of a CSV field: text is neutralised and quoted as needed, numbers written as they are. */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[";,\r\n]|^\s|\s$/;

/** One field: empty for null, `true`/`false`, numbers with a decimal point, text neutralised and quoted. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line, with its line end. */
export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvField).join(CSV_SEPARATOR) + CSV_EOL;
}
