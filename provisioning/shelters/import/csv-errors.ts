/** The header matches none of the shelter layouts we read; `expected` names each layout's columns. */
export class UnknownCsvLayoutError extends Error {
  readonly code = 'unknown_csv_layout';
  constructor(
    readonly found: string[],
    readonly expected: Record<string, string[]>,
  ) {
    const wanted = Object.entries(expected)
      .map(([layout, columns]) => `${layout}: ${columns.join(',')}`)
      .join(' | ');
    super(`unknown CSV layout (header: ${found.join(',') || 'empty'}); expected columns ${wanted}`);
    this.name = 'UnknownCsvLayoutError';
  }
}

/** The bytes are not CSV we can read at all (broken quoting, UTF-16, empty file). */
export class MalformedCsvError extends Error {
  readonly code = 'malformed_csv';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'MalformedCsvError';
  }
}
