import { UnknownCsvLayoutError } from './csv-errors.js';

export type ShelterCsvLayout = 'municipal-standard' | 'gsi' | 'gsi-national';

/** Header cells as open data writes them vary in width and spacing: （方書） vs (方書). */
export function normalizeHeaderCell(cell: string): string {
  return cell.normalize('NFKC').replace(/\s+/g, '');
}

// Checked in this order: the national GSI header is the per-municipality one plus a column.
const REQUIRED: [ShelterCsvLayout, string[]][] = [
  ['gsi-national', ['共通ID', '都道府県名及び市町村名', '施設・場所名', '住所', '緯度', '経度']],
  ['gsi', ['共通ID', '施設・場所名', '住所', '緯度', '経度']],
  ['municipal-standard', ['ID', '名称', '緯度', '経度']],
];

/** 自治体標準 versions name the code and address columns differently; one of each is enough. */
const MUNICIPAL_STANDARD_LOCATION = ['所在地_全国地方公共団体コード', '全国地方公共団体コード', '所在地_連結表記', '住所'];

const EXPECTED: Record<ShelterCsvLayout, string[]> = {
  'municipal-standard': [
    'ID', '名称', '名称_カナ', '名称_英字', '所在地_全国地方公共団体コード', '所在地_連結表記',
    '所在地_都道府県', '所在地_市区町村', '緯度', '経度', '電話番号', '想定収容人数',
  ],
  gsi: [
    'NO', '共通ID', '施設・場所名', '住所', '洪水', '崖崩れ、土石流及び地滑り', '高潮', '地震', '津波',
    '大規模な火事', '内水氾濫', '火山現象', '指定避難所との住所同一', '緯度', '経度', '備考',
  ],
  'gsi-national': [
    'NO', '共通ID', '都道府県名及び市町村名', '施設・場所名', '住所', '洪水', '崖崩れ、土石流及び地滑り', '高潮',
    '地震', '津波', '大規模な火事', '内水氾濫', '火山現象', '指定避難所との住所同一', '緯度', '経度', '備考',
  ],
};

/** Reads a cell by column name; '' when the column is absent or the row is short. */
export type CellReader = (...names: string[]) => string;

export function detectShelterCsvLayout(header: string[]): ShelterCsvLayout {
  const present = new Set(header.map(normalizeHeaderCell));
  for (const [layout, required] of REQUIRED) {
    if (!required.every((c) => present.has(c))) continue;
    if (layout === 'municipal-standard' && !MUNICIPAL_STANDARD_LOCATION.some((c) => present.has(c))) continue;
    return layout;
  }
  throw new UnknownCsvLayoutError(header, EXPECTED);
}

/** Column lookup by name for one header; the first of several names present wins. */
export function cellReader(header: string[]): (cells: string[]) => CellReader {
  const index = new Map<string, number>();
  header.forEach((cell, i) => {
    const name = normalizeHeaderCell(cell);
    if (!index.has(name)) index.set(name, i);
  });
  return (cells) =>
    (...names) => {
      for (const name of names) {
        const i = index.get(normalizeHeaderCell(name));
        if (i !== undefined) {
          const value = cells[i]?.trim() ?? '';
          if (value !== '') return value;
        }
      }
      return '';
    };
}

/** The row as header → value, for showing a rejected row back to its author. */
export function rawRow(header: string[], cells: string[]): Record<string, string> {
  const raw: Record<string, string> = Object.create(null) as Record<string, string>;
  header.forEach((name, i) => {
    if (name !== '') raw[name] = cells[i] ?? '';
  });
  return raw;
}
