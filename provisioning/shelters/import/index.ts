export { parseShelterCsv, type ParsedShelterCsv } from './parse-shelter-csv.js';
export { parseOpenShelterSnapshot, snapshotTimeFromFileName, type OpenShelterRow, type OpenShelterSnapshot } from './parse-open-shelter-snapshot.js';
export { ShelterInput, type ShelterImportRow } from './shelter-input.js';
export { UnknownCsvLayoutError, MalformedCsvError } from './csv-errors.js';
export type { ShelterCsvLayout } from './shelter-csv-layout.js';
export type { CsvEncoding } from './decode-csv-bytes.js';
export { parseCapacity } from './parse-capacity.js';
