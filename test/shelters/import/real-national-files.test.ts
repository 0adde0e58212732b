import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseShelterCsv, type ShelterImportRow } from '../../../provisioning/shelters/import/index.js';
import { designatedCityOf, municipalityByCode } from '../../../provisioning/numbers/number-areas.js';

/**
 * The real 指定避難所 files as GSI publishes them (national layout, designated cities as one city),
 * copied unchanged from the team's data (../shared/data/shelters) into test/fixtures/shelters/gsi-designated,
 * so a checkout tests on its own; the README there says where from.
 * 出典：国土地理院「指定緊急避難場所・指定避難所データ」を加工して作成
 */
const shared = (name: string) => readFileSync(new URL(`../../fixtures/shelters/gsi-designated/${name}`, import.meta.url));

type OkRow = Extract<ShelterImportRow, { ok: true }>;
const okRows = (rows: ShelterImportRow[]) => rows.filter((r): r is OkRow => r.ok);

describe('the Nankai file: 22,413 designated shelters of 12 prefectures', () => {
  const result = parseShelterCsv(shared('nankai-designated-shelters.csv'));
  const rows = okRows(result.rows);
  const named = (text: string) => rows.filter((r) => r.shelter.address.normalize('NFKC').replace(/\s/g, '').startsWith(text));

  it('reads every row, none refused', () => {
    expect(result.layout).toBe('gsi-national');
    expect(result.rows).toHaveLength(22_413);
    expect(result.rows.filter((r) => !r.ok)).toEqual([]);
  });

  it('gives every shelter its municipality\'s area codes from the table, in the 12 prefectures', () => {
    for (const { shelter } of rows) {
      expect(shelter.areaCodes, shelter.id).toEqual(municipalityByCode(shelter.municipalityCode)?.areaCodes);
    }
    expect([...new Set(rows.map((r) => r.shelter.municipalityCode.slice(0, 2)))].sort()).toEqual(['22', '23', '24', '27', '28', '30', '36', '37', '38', '39', '44', '45']);
  });

  it('places a designated city\'s shelter in the ward its address names, with the ward\'s area codes', () => {
    // GSI publishes 大阪市 as one city; the table splits it: 06 for most wards, 06|072 for two.
    const osaka = rows.filter((r) => r.shelter.municipality?.startsWith('大阪市'));
    expect(osaka).toHaveLength(875);
    const inCity = osaka.filter((r) => designatedCityOf(r.shelter.municipalityCode) !== '271004');
    // One address names the city twice (大阪府大阪市大阪市城東区…): it stays in the city, and says so.
    expect(inCity.map((r) => [r.shelter.address, r.shelter.municipalityCode])).toEqual([['大阪府大阪市大阪市城東区諏訪4-12-28', '271004']]);
    expect(inCity[0]!.warnings.join(' ')).toMatch(/names no ward of 大阪市/);
    const kita = named('大阪府大阪市北区')[0]!.shelter;
    expect(kita).toMatchObject({ municipalityCode: '271276', municipality: '大阪市北区', areaCodes: ['06'] });
    expect(named('大阪府大阪市東住吉区')[0]!.shelter).toMatchObject({ municipalityCode: '271217', areaCodes: ['06', '072'] });
    expect(named('静岡県静岡市清水区')[0]!.shelter).toMatchObject({ municipalityCode: '221031', municipality: '静岡市清水区' });
    expect(named('兵庫県神戸市北区')[0]!.shelter.municipalityCode).toBe('281093');
  });

  it('keeps the city, with a warning, when the address names no ward the table knows (浜松市\'s wards of 2024)', () => {
    const chuo = named('静岡県浜松市中央区');
    expect(chuo.length).toBeGreaterThan(100);
    for (const { shelter, warnings } of chuo) {
      expect(shelter).toMatchObject({ municipalityCode: '221309', municipality: '浜松市', areaCodes: ['053'] });
      expect(warnings.join(' ')).toMatch(/names no ward of 浜松市 in the number-area table/);
    }
    // 天竜区 kept its name in 2024, so the table knows it.
    expect(named('静岡県浜松市天竜区')[0]!.shelter.municipalityCode).toBe('221376');
  });

  it('keeps the publishing municipality, with a warning, for a shelter whose address lies in another one', () => {
    const outside = rows.find((r) => r.shelter.address.startsWith('愛知県豊山町'));
    expect(outside?.shelter.municipalityCode).toBe('231002');
    expect(outside?.warnings.join(' ')).toMatch(/address names 豊山町 \(233421\) but the row names 名古屋市/);
  });
});

describe('the Ishikawa file: 941 designated shelters', () => {
  it('reads every row into an Ishikawa municipality with its area codes', () => {
    const result = parseShelterCsv(shared('ishikawa-designated-shelters.csv'));
    expect(result.rows).toHaveLength(941);
    const rows = okRows(result.rows);
    expect(rows).toHaveLength(941);
    for (const { shelter } of rows) {
      expect(shelter.municipalityCode.slice(0, 2)).toBe('17');
      expect(shelter.areaCodes.length, shelter.id).toBeGreaterThan(0);
    }
    expect(new Set(rows.map((r) => r.shelter.municipalityCode)).size).toBe(19);
    expect(rows.filter((r) => r.shelter.municipalityCode === '172022').every((r) => r.shelter.areaCodes.join() === '0767')).toBe(true);
  });
});
