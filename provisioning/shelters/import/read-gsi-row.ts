import type { CellReader } from './shelter-csv-layout.js';
import { present, type ShelterCandidate } from './shelter-candidate.js';

/** 国土地理院 指定緊急避難場所データ: per municipality, or national with 都道府県名及び市町村名. */
export function readGsiRow(cell: CellReader): ShelterCandidate {
  const commonId = cell('共通ID');
  return {
    id: commonId,
    idColumn: '共通ID',
    commonId: present(commonId),
    name: cell('施設・場所名'),
    nameColumn: '施設・場所名',
    municipalityText: present(cell('都道府県名及び市町村名')),
    address: cell('住所'),
    lat: cell('緯度'),
    lon: cell('経度'),
  };
}
