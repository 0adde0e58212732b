import { parse } from 'csv-parse/sync';
import { CsvError } from 'csv-parse';
import { MalformedCsvError } from './csv-errors.js';

export interface CsvRecord {
  /** 1-based line in the file where the record starts (the header is line 1). */
  line: number;
  cells: string[];
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

function countNewlines(cells: string[]): number {
  return cells.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
}

/** Header and records of a CSV text; quoted fields may hold newlines, short rows are allowed. */
export function readCsvRecords(text: string): { header: CsvRecord; records: CsvRecord[] } {
  let parsed: ParsedRecord[];
  try {
    // csv-parse counts a quoted CRLF as two lines; with LF only, its line numbers stay true.
    parsed = parse(text.replace(/\r\n?/g, '\n'), {
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new MalformedCsvError(`cannot read the CSV: ${error.message}`, line);
    }
    throw error;
  }
  // info.lines is where a record ends; a quoted newline inside it moves its start up.
  const records = parsed
    .map(({ record, info }) => ({ line: info.lines - countNewlines(record), cells: record }))
    .filter((r) => r.cells.some((cell) => cell !== ''));
  const [header, ...rest] = records;
  if (!header) throw new MalformedCsvError('the file is empty: expected a header row and shelter rows');
  return { header, records: rest };
}
