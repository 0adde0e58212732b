import { checkShelterCandidate, type CheckOptions } from './check-shelter-candidate.js';
import { decodeCsvBytes, type CsvEncoding } from './decode-csv-bytes.js';
import { readCsvRecords } from './read-csv-records.js';
import { readGsiRow } from './read-gsi-row.js';
import { readMunicipalStandardRow } from './read-municipal-standard-row.js';
import { cellReader, detectShelterCsvLayout, rawRow, type ShelterCsvLayout } from './shelter-csv-layout.js';
import type { ShelterImportRow } from './shelter-input.js';

export interface ParsedShelterCsv {
  layout: ShelterCsvLayout;
  encoding: CsvEncoding;
  rows: ShelterImportRow[];
}

/**
 * Reads a shelter open-data CSV (自治体標準 or either GSI layout; UTF-8, UTF-8 BOM or Shift_JIS).
 * A bad row is reported with reasons and the others still import; a bad file throws
 * UnknownCsvLayoutError or MalformedCsvError.
 */
export function parseShelterCsv(input: Buffer, options: CheckOptions = {}): ParsedShelterCsv {
  const { encoding, text } = decodeCsvBytes(input);
  const { header, records } = readCsvRecords(text);
  const layout = detectShelterCsvLayout(header.cells);
  const readCells = cellReader(header.cells);
  const readRow = layout === 'municipal-standard' ? readMunicipalStandardRow : readGsiRow;
  const firstLineOfId = new Map<string, number>();

  const rows = records.map(({ line, cells }): ShelterImportRow => {
    const candidate = readRow(readCells(cells));
    const checked = checkShelterCandidate(candidate, options);
    const reasons = checked.ok ? [] : [...checked.reasons];
    // Re-import is keyed by ID, so a file naming one ID twice is ambiguous: keep the first.
    const earlier = candidate.id ? firstLineOfId.get(candidate.id) : undefined;
    if (earlier !== undefined) reasons.push(`${candidate.idColumn} ${candidate.id} is already on line ${earlier}`);
    if (checked.ok && reasons.length === 0) {
      firstLineOfId.set(candidate.id, line);
      return { line, ok: true, shelter: checked.shelter, warnings: checked.warnings };
    }
    return { line, ok: false, reasons, raw: rawRow(header.cells, cells) };
  });
  return { layout, encoding, rows };
}
