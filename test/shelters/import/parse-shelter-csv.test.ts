import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  MalformedCsvError,
  parseShelterCsv,
  UnknownCsvLayoutError,
  type ShelterImportRow,
} from '../../../provisioning/shelters/import/index.js';

const file = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)));
const nanaoReference = () => file('../../../server/drill/data/nanao/reference_data.csv');
const fixture = (name: string) => file(`../../fixtures/shelters/${name}`);

type OkRow = Extract<ShelterImportRow, { ok: true }>;
type BadRow = Extract<ShelterImportRow, { ok: false }>;
const okRows = (rows: ShelterImportRow[]) => rows.filter((r): r is OkRow => r.ok);
const badRows = (rows: ShelterImportRow[]) => rows.filter((r): r is BadRow => !r.ok);

const GSI_HEADER =
  'NO,共通ID,施設・場所名,住所,洪水,崖崩れ、土石流及び地滑り,高潮,地震,津波,大規模な火事,内水氾濫,火山現象,指定避難所との住所同一,緯度,経度,備考';

describe('Nanao reference data (自治体標準 layout, UTF-8)', () => {
  const result = parseShelterCsv(nanaoReference());

  it('is read as the municipal standard layout in UTF-8', () => {
    expect(result.layout).toBe('municipal-standard');
    expect(result.encoding).toBe('utf-8');
  });

  it('imports every shelter with municipality 172022 and area code 0767', () => {
    // 112 records on 113 data lines: one record's 名称_英字 holds a quoted newline.
    expect(result.rows).toHaveLength(112);
    expect(badRows(result.rows)).toEqual([]);
    for (const row of okRows(result.rows)) {
      expect(row.shelter.municipalityCode).toBe('172022');
      expect(row.shelter.areaCodes).toEqual(['0767']);
    }
    expect(new Set(okRows(result.rows).map((r) => r.shelter.id)).size).toBe(112);
  });

  it('maps the columns of a row to the shelter', () => {
    const row = okRows(result.rows).find((r) => r.shelter.id === 'CC0000000505');
    expect(row).toMatchObject({
      line: 3,
      warnings: [],
      shelter: {
        id: 'CC0000000505',
        name: '七尾中学校',
        kana: 'ナナオチュウガッコウ',
        nameEn: 'nanaochugakko',
        prefecture: '石川県',
        municipality: '七尾市',
        district: '御祓',
        address: '石川県七尾市藤橋町辰部５２－１',
        lat: 37.03803,
        lon: 136.95849,
        capacity: 1371,
        capacityText: '屋内1,371人／屋外5,470人（面積の1/2）',
      },
    });
  });

  it('counts a record with a quoted newline as one row and numbers later rows by their file line', () => {
    const wakura = okRows(result.rows).find((r) => r.shelter.id === 'CC0000000563');
    expect(wakura?.line).toBe(61);
    expect(wakura?.shelter.nameEn).toContain('\n');
    const next = result.rows[result.rows.indexOf(wakura!) + 1];
    expect(next?.line).toBe(63);
    expect(okRows(result.rows).find((r) => r.shelter.id === 'NEW002')?.line).toBe(113);
  });

  it('derives the municipality from the address when the code column is blank (NEW001…)', () => {
    const added = okRows(result.rows).filter((r) => r.shelter.id.startsWith('NEW'));
    expect(added.map((r) => r.shelter.id)).toEqual(['NEW001', 'NEW002', 'NEW003']);
    for (const row of added) {
      expect(row.shelter.municipalityCode).toBe('172022');
      expect(row.shelter.capacity).toBeNull();
    }
  });

  it('keeps the facility phone for reference', () => {
    const row = okRows(result.rows).find((r) => r.shelter.id === 'CC0000000518');
    expect(row?.shelter.facilityPhone).toBe('0767-57-5018');
  });
});

describe('GSI per-municipality layout in Shift_JIS (中能登町 fixture)', () => {
  const bytes = fixture('gsi-nakanoto-sjis.csv');
  const result = parseShelterCsv(bytes);

  it('is a real Shift_JIS file, detected as such', () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(result.encoding).toBe('shift_jis');
    expect(result.layout).toBe('gsi');
  });

  it('uses 共通ID as the id and keeps it as commonId', () => {
    const first = okRows(result.rows)[0];
    expect(first?.shelter).toMatchObject({
      id: '17407600001',
      commonId: '17407600001',
      name: '中能登町役場',
      municipalityCode: '174076',
      prefecture: '石川県',
      municipality: '中能登町',
      areaCodes: ['0767'],
      lat: 36.9893,
      lon: 136.9019,
      capacity: null,
    });
  });

  it('finds the municipality in addresses written with or without prefecture and 郡', () => {
    const codes = okRows(result.rows).map((r) => [r.shelter.name, r.shelter.municipalityCode]);
    expect(codes).toContainEqual(['鹿西小学校', '174076']);
    expect(codes).toContainEqual(['鳥屋体育館', '174076']);
  });

  it('reads a quoted 備考 with a newline inside as one row', () => {
    const lines = result.rows.map((r) => r.line);
    expect(lines).toEqual([2, 3, 5, 6, 7, 8]);
  });

  it('decodes CP932 characters such as ① and 髙', () => {
    expect(okRows(result.rows).map((r) => r.shelter.name)).toContain('①髙畠集会所');
  });

  it('rejects the row without 共通ID and the one with swapped 緯度/経度, and imports the rest', () => {
    expect(okRows(result.rows)).toHaveLength(4);
    const bad = badRows(result.rows);
    expect(bad.map((r) => r.line)).toEqual([6, 7]);
    expect(bad[0]?.reasons).toEqual(['共通ID is missing']);
    expect(bad[0]?.raw?.['施設・場所名']).toBe('良川広場');
    expect(bad[1]?.reasons.join(' ')).toMatch(/緯度 136\.95 is outside Japan/);
    expect(bad[1]?.reasons.join(' ')).toMatch(/経度 36\.92 is outside Japan/);
  });
});

describe('GSI national merged layout', () => {
  const sjis = parseShelterCsv(fixture('gsi-national-sjis.csv'));

  it('is detected from the extra 都道府県名及び市町村名 column, in Shift_JIS', () => {
    expect(sjis.layout).toBe('gsi-national');
    expect(sjis.encoding).toBe('shift_jis');
  });

  it('takes the municipality from 都道府県名及び市町村名, wards included', () => {
    const byName = new Map(okRows(sjis.rows).map((r) => [r.shelter.name, r.shelter]));
    expect(byName.get('七尾市民体育館')?.municipalityCode).toBe('172022');
    expect(byName.get('扇町公園')).toMatchObject({ municipalityCode: '271276', areaCodes: ['06'] });
    expect(byName.get('王子第一小学校')).toMatchObject({ municipalityCode: '131172', areaCodes: ['03'] });
    // Outside the first table (4 prefectures); the whole country is in it now.
    expect(byName.get('大通公園')).toMatchObject({ municipalityCode: '011011', areaCodes: ['011'] });
  });

  it('gives a shelter in a split municipality every candidate area code and a warning', () => {
    const mitaka = okRows(sjis.rows).find((r) => r.shelter.name === '三鷹第一小学校');
    expect(mitaka?.shelter.areaCodes).toEqual(['0422', '03']);
    expect(mitaka?.warnings.join(' ')).toMatch(/三鷹市 spans several number areas/);
  });

  it('imports a row whose municipality the table lacks, in its prefecture, with 050 lines only and a warning', () => {
    expect(badRows(sjis.rows)).toEqual([]);
    // 色丹村 has a municipality code but MIC gives it no 番号区画, so the table has no row for it.
    const shikotan = okRows(sjis.rows).find((r) => r.shelter.name === '斜古丹集会所');
    expect(shikotan?.shelter).toMatchObject({ municipalityCode: '010006', prefecture: '北海道', municipality: '色丹郡色丹村', areaCodes: [] });
    expect(shikotan?.warnings).toEqual(['municipality "北海道色丹郡色丹村" is not in the number-area table: only 050 numbers can be assigned, so no line can call 110/118/119']);
  });

  it('reads the UTF-8 BOM variant to the same shelters', () => {
    const bom = parseShelterCsv(fixture('gsi-national-utf8-bom.csv'));
    expect(bom.encoding).toBe('utf-8-bom');
    expect(bom.layout).toBe('gsi-national');
    expect(bom.rows).toEqual(sjis.rows);
  });
});

describe('bad input', () => {
  const gsi = (...rows: string[]) => Buffer.from([GSI_HEADER, ...rows].join('\n'), 'utf8');

  it('throws UnknownCsvLayoutError naming the expected columns for an unknown header', () => {
    const input = Buffer.from('number,carrier\n+81767520959,a\n', 'utf8');
    expect(() => parseShelterCsv(input)).toThrow(UnknownCsvLayoutError);
    try {
      parseShelterCsv(input);
    } catch (error) {
      const e = error as UnknownCsvLayoutError;
      expect(e.found).toEqual(['number', 'carrier']);
      expect(Object.keys(e.expected)).toEqual(['municipal-standard', 'gsi', 'gsi-national']);
      expect(e.message).toContain('共通ID');
      expect(e.message).toContain('所在地_全国地方公共団体コード');
    }
  });

  it('throws MalformedCsvError for an empty file and for an unclosed quote', () => {
    expect(() => parseShelterCsv(Buffer.alloc(0))).toThrow(MalformedCsvError);
    expect(() => parseShelterCsv(gsi('1,X1,"unclosed,石川県七尾市,,,,,,,,,,37.0,136.9,'))).toThrow(MalformedCsvError);
  });

  it('throws MalformedCsvError for UTF-16 instead of decoding garbage', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GSI_HEADER, 'utf16le')]);
    expect(() => parseShelterCsv(utf16)).toThrow(/UTF-16/);
  });

  it('rejects rows with a missing name, an unreadable 緯度, or an unknown place, while good rows import', () => {
    const result = parseShelterCsv(
      gsi(
        '1,A1,七尾小学校,石川県七尾市本府中町,1,,,1,,,,,,37.03,136.96,',
        '2,A2,,石川県七尾市本府中町,1,,,1,,,,,,37.03,136.96,',
        '3,A3,北緯の誤り,石川県七尾市本府中町,1,,,1,,,,,,北緯37度,136.96,',
        '4,A4,どこか,一本杉町124,1,,,1,,,,,,37.03,136.96,',
        '5,A5,能登島体育館,石川県七尾市能登島向田町,1,,,1,,,,,,37.12,137.0,',
      ),
    );
    expect(okRows(result.rows).map((r) => r.shelter.id)).toEqual(['A1', 'A5']);
    expect(badRows(result.rows).map((r) => [r.line, r.reasons])).toEqual([
      [3, ['施設・場所名 is missing']],
      [4, ['緯度 "北緯37度" is not a decimal number of degrees']],
      [5, ['cannot tell the municipality from the address "一本杉町124"']],
    ]);
  });

  it('uses the municipality given by the caller when a per-municipality file omits it', () => {
    const input = gsi('1,A1,どこか,一本杉町124,1,,,1,,,,,,37.03,136.96,');
    const [row] = parseShelterCsv(input, { municipalityCode: '172022' }).rows;
    expect(row).toMatchObject({ ok: true, shelter: { municipalityCode: '172022', areaCodes: ['0767'] } });
  });

  it('rejects a second row with an ID already used in the file', () => {
    const result = parseShelterCsv(
      gsi(
        '1,A1,七尾小学校,石川県七尾市本府中町,1,,,1,,,,,,37.03,136.96,',
        '2,A1,別の学校,石川県七尾市本府中町,1,,,1,,,,,,37.03,136.96,',
      ),
    );
    expect(result.rows.map((r) => r.ok)).toEqual([true, false]);
    expect(badRows(result.rows)[0]?.reasons).toEqual(['共通ID A1 is already on line 2']);
  });

  it('rejects an ID the shelter model cannot store (white space, slash)', () => {
    const result = parseShelterCsv(gsi('1,A/1,七尾小学校,石川県七尾市本府中町,1,,,1,,,,,,37.03,136.96,'));
    expect(badRows(result.rows)[0]?.reasons.join(' ')).toMatch(/^id: an id starts with a letter or digit/);
  });

  it('rejects a wrong municipality code check digit in the standard layout', () => {
    const header = 'ID,名称,所在地_全国地方公共団体コード,所在地_連結表記,緯度,経度,想定収容人数';
    const input = Buffer.from(`${header}\nX1,七尾小学校,172023,石川県七尾市本府中町,37.03,136.96,250人\nX2,和倉小学校,172022,石川県七尾市和倉町,37.09,136.91,250人\n`);
    const result = parseShelterCsv(input);
    expect(result.rows.map((r) => r.ok)).toEqual([false, true]);
    expect(badRows(result.rows)[0]?.reasons).toEqual(['municipality code "172023" has check digit 3, expected 2']);
    expect(okRows(result.rows)[0]?.shelter.capacity).toBe(250);
  });

  it('imports a 自治体標準 row whose code the table lacks under that code, with 050 lines only and a warning', () => {
    const header = 'ID,名称,所在地_全国地方公共団体コード,所在地_都道府県,所在地_市区町村,所在地_連結表記,緯度,経度';
    const result = parseShelterCsv(Buffer.from(`${header}\nS1,斜古丹集会所,016951,北海道,色丹村,北海道色丹郡色丹村斜古丹,43.8,146.75\n`));
    expect(okRows(result.rows)[0]).toMatchObject({
      shelter: { municipalityCode: '016951', prefecture: '北海道', municipality: '色丹村', areaCodes: [] },
      warnings: ['municipality 016951 is not in the number-area table: only 050 numbers can be assigned, so no line can call 110/118/119'],
    });
  });

  it('places a row coded with a designated city in the ward its address names', () => {
    const header = 'ID,名称,所在地_全国地方公共団体コード,所在地_市区町村,所在地_連結表記,緯度,経度';
    const result = parseShelterCsv(Buffer.from(`${header}\nN1,新潟市立濁川小学校,151009,新潟市,新潟県新潟市北区濁川3丁目,37.93,139.13\n`));
    // The city dials 025, 0250 and 0256; its 北区 only 025.
    expect(okRows(result.rows)[0]).toMatchObject({ shelter: { municipalityCode: '151017', municipality: '新潟市北区', areaCodes: ['025'] }, warnings: [] });
  });

  it('reads a Shift_JIS 自治体標準 file with full-width header brackets', () => {
    const header = 'ID,名称,所在地_全国地方公共団体コード,所在地_連結表記,建物名等（方書）,緯度,経度';
    const input = iconv.encode(`${header}\r\nX1,七尾小学校,172022,石川県七尾市本府中町,体育館,３７.０３,136.96\r\n`, 'Shift_JIS');
    const result = parseShelterCsv(input);
    expect(result.encoding).toBe('shift_jis');
    expect(okRows(result.rows)[0]?.shelter).toMatchObject({ address: '石川県七尾市本府中町 体育館', lat: 37.03 });
  });
});
