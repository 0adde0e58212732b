import { basename } from 'node:path';
import { findMunicipalityInAddress } from '../../numbers/number-areas.js';
import { MalformedCsvError } from './csv-errors.js';
import { decodeCsvBytes } from './decode-csv-bytes.js';
import { parseCapacity } from './parse-capacity.js';
import { parseCoordinate } from './parse-coordinate.js';
import { readCsvRecords } from './read-csv-records.js';
import { present } from './shelter-candidate.js';
import { cellReader, normalizeHeaderCell } from './shelter-csv-layout.js';

/** One shelter open at the snapshot time, with what drill needs to create it if it is new (NEW001…). */
export interface OpenShelterRow {
  line: number;
  id: string;
  name: string;
  district?: string;
  evacuees: number | null;
  /** The 時点 text as the city wrote it, e.g. 令和6年9月2日午後6時. */
  reportedAt?: string;
  kana?: string;
  nameEn?: string;
  address?: string;
  prefecture?: string;
  municipality?: string;
  /** Derived from the address; the snapshots carry no code column. */
  municipalityCode?: string;
  areaCodes: string[];
  lat: number | null;
  lon: number | null;
  facilityPhone?: string;
  capacity: number | null;
  capacityText?: string;
}

export interface OpenShelterSnapshot {
  takenAt: string;
  rows: OpenShelterRow[];
  /** Rows that could not be read (no ID or name, bad 緯度/経度), with why. */
  rejected: { line: number; reasons: string[] }[];
}

const FILE_NAME = /^open_shelter_.+_(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})\.csv$/;

/** open_shelter_Nanao-shi_2024-01-09-1800.csv → 2024-01-09T18:00:00+09:00 (the city reports in JST). */
export function snapshotTimeFromFileName(fileName: string): string {
  const match = FILE_NAME.exec(basename(fileName));
  if (!match) {
    throw new MalformedCsvError(`snapshot file name "${fileName}" is not like open_shelter_<city>_YYYY-MM-DD-HHMM.csv`);
  }
  const [, y, mo, d, h, mi] = match;
  const takenAt = `${y}-${mo}-${d}T${h}:${mi}:00+09:00`;
  if (Number.isNaN(Date.parse(takenAt))) throw new MalformedCsvError(`snapshot file name "${fileName}" has no valid date`);
  return takenAt;
}

function parseCount(text: string): number | null {
  const value = text.normalize('NFKC').replace(/[,人名\s]/g, '');
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** Nanao's 「開設中の避難所状況」 snapshot: 人数 + 時点, or (early files) one 人数_令和6年…時点 column. */
export function parseOpenShelterSnapshot(input: Buffer, fileName: string): OpenShelterSnapshot {
  const takenAt = snapshotTimeFromFileName(fileName);
  const { header, records } = readCsvRecords(decodeCsvBytes(input).text);
  const names = header.cells.map(normalizeHeaderCell);
  const countColumn = names.find((n) => n === '人数') ?? names.find((n) => /^人数_.*時点$/.test(n));
  if (!names.includes('ID') || !names.includes('名称') || !countColumn) {
    throw new MalformedCsvError(`not an open-shelter snapshot: expected columns ID, 名称 and 人数 (or 人数_…時点), got ${header.cells.join(',')}`);
  }
  const readCells = cellReader(header.cells);
  const rows: OpenShelterRow[] = [];
  const rejected: OpenShelterSnapshot['rejected'] = [];
  for (const { line, cells } of records) {
    const cell = readCells(cells);
    const reasons: string[] = [];
    const id = cell('ID');
    const name = cell('名称');
    if (!id) reasons.push('ID is missing');
    if (!name) reasons.push('名称 is missing');
    const lat = parseCoordinate(cell('緯度'), 'lat', '緯度');
    const lon = parseCoordinate(cell('経度'), 'lon', '経度');
    if (!lat.ok) reasons.push(lat.reason);
    if (!lon.ok) reasons.push(lon.reason);
    if (reasons.length > 0 || !lat.ok || !lon.ok) {
      rejected.push({ line, reasons });
      continue;
    }
    const address = present(cell('所在地_連結表記', '住所'));
    const area = address ? findMunicipalityInAddress(address) : null;
    const capacityText = present(cell('想定収容人数'));
    rows.push({
      line,
      id,
      name,
      district: present(cell('地区')),
      evacuees: parseCount(cell(countColumn)),
      reportedAt: present(cell('時点')) ?? /^人数_(.*)時点$/.exec(countColumn)?.[1],
      kana: present(cell('名称_カナ')),
      nameEn: present(cell('名称_英字')),
      address,
      prefecture: present(cell('所在地_都道府県')) ?? area?.prefecture,
      municipality: present(cell('所在地_市区町村')) ?? area?.municipality,
      municipalityCode: area?.code,
      areaCodes: area ? [...area.areaCodes] : [],
      lat: lat.value,
      lon: lon.value,
      facilityPhone: present(cell('電話番号')),
      capacity: parseCapacity(capacityText),
      capacityText,
    });
  }
  return { takenAt, rows, rejected };
}
