import type { Shelter } from '../model/index.js';
import type { Store } from '../store/store.js';
import { allDocuments } from '../store/paging.js';
import { formatNational } from '../numbers/japanese-number.js';
import { spreadsheetCsv } from '../platform/spreadsheet-csv.js';
import { inScope, type Scoped } from '../access/area-scope.js';

const STATUS_JA: Record<Shelter['actualStatus'], string> = {
  closed: '閉鎖', opening: '開設処理中', open: '開設中', degraded: '一部障害', closing: '閉鎖処理中', error: 'エラー', no_line: '回線なし',
};

export const SHELTER_CSV_COLUMNS = ['避難所ID', '名称', '市町村コード', '市町村', '地区', '住所', '状態', '掲示する番号', '通話できる番号', '通話できない番号', '緊急通報(110・118・119)', '短縮番号', '避難者数', '収容人数'] as const;

/** Every shelter with its numbers and status, as the CSV a coordinator opens in Excel; the service is what every surface reads. */
export function sheltersToCsv(shelters: Shelter[]): string {
  const rows = [...shelters]
    .sort((a, b) => a.municipalityCode.localeCompare(b.municipalityCode) || (a.kana ?? a.name).localeCompare(b.kana ?? b.name, 'ja'))
    .map((s) => {
      const lines = s.desiredStatus === 'open' ? (s.service?.lines ?? []) : [];
      const working = lines.filter((l) => l.health === 'working').map((l) => formatNational(l.e164));
      const down = lines.filter((l) => l.health !== 'working').map((l) => formatNational(l.e164));
      const published = s.desiredStatus === 'open' && s.service?.publishedNumber ? formatNational(s.service.publishedNumber) : '';
      return [
        s.id, s.name, s.municipalityCode, s.municipality ?? '', s.district ?? '', s.address, STATUS_JA[s.actualStatus],
        published, working.join(' / '), down.join(' / '),
        s.desiredStatus !== 'open' ? '' : s.service?.emergencyCapable ? '可' : '不可',
        s.shortCode ?? '', s.evacuees ?? '', s.capacity ?? s.capacityText ?? '',
      ];
    });
  return spreadsheetCsv(SHELTER_CSV_COLUMNS, rows);
}

/** All shelters of the caller's area (everywhere, without one), page by page, then the CSV. */
export async function exportSheltersCsv(store: Store, who: Scoped = {}): Promise<string> {
  const shelters = await allDocuments(store, 'shelters', { limit: 1000 });
  return sheltersToCsv(shelters.filter((s) => inScope(who, s)));
}
