import { stringify } from 'csv-stringify/sync';

/** One cell: text, a count, or nothing. */
export type CsvCell = string | number | null | undefined;

/**
 * Every CSV the project writes, for people who open it in Excel: UTF-8 with a byte-order mark
 * (without it Excel reads UTF-8 as Shift_JIS and garbles the Japanese), CRLF records, and no cell
 * a spreadsheet would run as a formula. OWASP's rule (https://owasp.org/www-community/attacks/CSV_Injection):
 * a cell starting with `=`, `+`, `-`, `@`, tab, CR or LF gets a leading `'`, so it is read as text.
 * csv-stringify's `escape_formulas` does that for all but LF (and for the full-width ＝＋－＠ a
 * Japanese input method types); the cast adds LF. It applies to every cell, E.164 numbers included:
 * `'+81767520959` stays text, where a bare `+81…` is a formula Excel turns into 81767520959.
 */
export function spreadsheetCsv(columns: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify(rows as CsvCell[][], {
    header: true,
    columns: [...columns],
    bom: true,
    record_delimiter: 'windows',
    escape_formulas: true,
    cast: { string: (value) => (value.startsWith('\n') ? `'${value}` : value) },
  });
}

const JST_MS = 9 * 3_600_000;

/** An instant in Japan time with its offset (`2024-01-09T18:25:35+09:00`): read as it is, by people and by programs. */
export function japanTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return `${new Date(Date.parse(iso) + JST_MS).toISOString().slice(0, 19)}+09:00`;
}
