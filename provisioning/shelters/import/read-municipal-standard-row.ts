import type { CellReader } from './shelter-csv-layout.js';
import { present, type ShelterCandidate } from './shelter-candidate.js';

// 対象となる町会・自治会 reads "御祓地区（25町会）"; the part before 地区 is the district the city reports by.
function districtFrom(served: string): string | undefined {
  return /^(.+?)地区/.exec(served)?.[1];
}

/** 自治体標準オープンデータセット「指定緊急避難場所一覧」, old and new column names. */
export function readMunicipalStandardRow(cell: CellReader): ShelterCandidate {
  const street = [cell('所在地_連結表記', '住所'), cell('建物名等(方書)', '方書')].filter(Boolean).join(' ');
  return {
    id: cell('ID'),
    idColumn: 'ID',
    name: cell('名称'),
    nameColumn: '名称',
    kana: present(cell('名称_カナ')),
    nameEn: present(cell('名称_英字')),
    municipalityCode: present(cell('所在地_全国地方公共団体コード', '全国地方公共団体コード')),
    prefecture: present(cell('所在地_都道府県')),
    municipality: present(cell('所在地_市区町村')),
    district: present(districtFrom(cell('対象となる町会・自治会')) ?? ''),
    address: street,
    lat: cell('緯度'),
    lon: cell('経度'),
    capacityText: present(cell('想定収容人数')),
    facilityPhone: present(cell('電話番号')),
  };
}
