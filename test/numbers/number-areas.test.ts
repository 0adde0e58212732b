import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  allMunicipalityAreas,
  allPrefectures,
  areaCodesForMunicipality,
  designatedCityOf,
  findMunicipalityByName,
  findMunicipalityInAddress,
  findPrefecture,
  findPrefectureInAddress,
  isNumberInArea,
  isValidMunicipalityCode,
  knownAreaCodes,
  municipalityByCode,
  validateMunicipalityCode,
  wardsOf,
} from '../../provisioning/numbers/number-areas.js';
import { parseJapaneseNumber } from '../../provisioning/numbers/japanese-number.js';
import { numbersInArea } from '../support/area-numbers.js';

const SHIPPED = new URL('../../provisioning/numbers/data/municipality-area-codes.csv', import.meta.url);
// The team's reference table (../shared/data/area-codes) as its SHA-256: a checkout tests on its own,
// and a desk with the reference beside it also compares the two files.
const SHARED = new URL('../../../shared/data/area-codes/municipality-area-codes.csv', import.meta.url);
const REFERENCE_SHA256 = 'd54591fe065d2e7366783d909a1b18d950a7e7ee7586ab490d17c6842c64a78f';

describe('municipality → number area', () => {
  it('gives Nanao (172022) the area code 0767', () => {
    expect(areaCodesForMunicipality('172022')).toEqual(['0767']);
    expect(municipalityByCode('172022')).toEqual({
      code: '172022',
      prefecture: '石川県',
      municipality: '七尾市',
      areaCodes: ['0767'],
      partial: false,
    });
  });

  it('gives 三鷹市 both of its area codes, remainder first, and marks it partial', () => {
    const mitaka = municipalityByCode('132047');
    expect(mitaka?.municipality).toBe('三鷹市');
    expect(mitaka?.areaCodes).toEqual(['0422', '03']);
    expect(mitaka?.partial).toBe(true);
  });

  it('gives the 0768 area to 輪島市 and 能登町, not 0767', () => {
    expect(areaCodesForMunicipality('172049')).toEqual(['0768']);
    expect(areaCodesForMunicipality('174637')).toEqual(['0768']);
  });

  it('knows nothing of a place MIC gives no number area (色丹村, 016951) and says so with an empty list', () => {
    expect(isValidMunicipalityCode('016951')).toBe(true);
    expect(areaCodesForMunicipality('016951')).toEqual([]);
    expect(municipalityByCode('016951')).toBeNull();
    expect(areaCodesForMunicipality('not a code')).toEqual([]);
  });

  it('lists every area code the data knows, and no other', () => {
    const known = knownAreaCodes();
    for (const code of ['0767', '0768', '076', '0761', '03', '0422', '042', '044', '06', '072', '052', '04992', '011', '0766', '098']) {
      expect(known.has(code)).toBe(true);
    }
    // Not geographic: IP phones, navi-dial, premium rate.
    for (const code of ['050', '0570', '0990']) expect(known.has(code)).toBe(false);
  });

  it('accepts the 5-digit form without check digit', () => {
    expect(municipalityByCode('17202')?.code).toBe('172022');
  });

  it('does not let a caller change the shared table through a returned list', () => {
    areaCodesForMunicipality('172022').push('099');
    municipalityByCode('172022')?.areaCodes.push('098');
    findMunicipalityInAddress('石川県七尾市')?.areaCodes.push('097');
    expect(areaCodesForMunicipality('172022')).toEqual(['0767']);
  });

  it('loads all 1,916 rows of the shipped data, each with a valid code and area codes, in all 47 prefectures', () => {
    const all = allMunicipalityAreas();
    expect(all).toHaveLength(1916);
    expect(new Set(all.map((a) => a.code)).size).toBe(1916);
    for (const a of all) {
      expect(isValidMunicipalityCode(a.code)).toBe(true);
      expect(a.areaCodes.length).toBeGreaterThan(0);
    }
    expect(new Set(all.map((a) => a.code.slice(0, 2))).size).toBe(47);
    // Counts the data README promises: 20 designated cities with 175 wards, 199 split municipalities.
    expect(all.filter((a) => designatedCityOf(a.code) !== null)).toHaveLength(175);
    expect(new Set(all.map((a) => designatedCityOf(a.code)).filter(Boolean)).size).toBe(20);
    expect(all.filter((a) => a.partial)).toHaveLength(199);
    // The first table's scope is still whole: all of Ishikawa and Tokyo, Osaka city + 24 wards, Nagoya + 16.
    const count = (pred: (a: (typeof all)[number]) => boolean) => all.filter(pred).length;
    expect(count((a) => a.prefecture === '石川県')).toBe(19);
    expect(count((a) => a.prefecture === '東京都')).toBe(62);
    expect(count((a) => a.municipality.startsWith('大阪市'))).toBe(25);
    expect(count((a) => a.municipality.startsWith('名古屋市'))).toBe(17);
  });

  it('ships exactly the team\'s reference table (../shared/data/area-codes): refresh both together', () => {
    expect(createHash('sha256').update(readFileSync(SHIPPED)).digest('hex'), 'provisioning/numbers/data/municipality-area-codes.csv is not the reference table: copy it from ../shared/data/area-codes/ (see the data README) and record its SHA-256 here').toBe(REFERENCE_SHA256);
    if (existsSync(SHARED)) expect(readFileSync(SHIPPED).equals(readFileSync(SHARED)), 'the reference beside the repository changed: copy it and record its SHA-256').toBe(true);
  });
});

describe('number areas across all 47 prefectures', () => {
  // Each prefectural capital and the area code most of it dials (the "remainder" code, listed first).
  const CAPITALS: [code: string, name: string, areaCode: string][] = [
    ['011002', '札幌市', '011'], ['022012', '青森市', '017'], ['032018', '盛岡市', '019'], ['041009', '仙台市', '022'],
    ['052019', '秋田市', '018'], ['062014', '山形市', '023'], ['072010', '福島市', '024'], ['082015', '水戸市', '029'],
    ['092011', '宇都宮市', '028'], ['102016', '前橋市', '027'], ['111007', 'さいたま市', '048'], ['121002', '千葉市', '043'],
    ['131041', '新宿区', '03'], ['141003', '横浜市', '045'], ['151009', '新潟市', '025'], ['162019', '富山市', '076'],
    ['172014', '金沢市', '076'], ['182010', '福井市', '0776'], ['192015', '甲府市', '055'], ['202011', '長野市', '026'],
    ['212016', '岐阜市', '058'], ['221007', '静岡市', '054'], ['231002', '名古屋市', '052'], ['242012', '津市', '059'],
    ['252018', '大津市', '077'], ['261009', '京都市', '075'], ['271004', '大阪市', '06'], ['281000', '神戸市', '078'],
    ['292010', '奈良市', '0742'], ['302015', '和歌山市', '073'], ['312011', '鳥取市', '0857'], ['322016', '松江市', '0852'],
    ['331007', '岡山市', '086'], ['341002', '広島市', '082'], ['352039', '山口市', '083'], ['362018', '徳島市', '088'],
    ['372013', '高松市', '087'], ['382019', '松山市', '089'], ['392014', '高知市', '088'], ['401307', '福岡市', '092'],
    ['412015', '佐賀市', '0952'], ['422011', '長崎市', '095'], ['431001', '熊本市', '096'], ['442011', '大分市', '097'],
    ['452017', '宮崎市', '0985'], ['462012', '鹿児島市', '099'], ['472018', '那覇市', '098'],
  ];

  it('samples one municipality in each of the 47 prefectures', () => {
    expect(new Set(CAPITALS.map(([code]) => code.slice(0, 2))).size).toBe(47);
    expect(allPrefectures().map((p) => p.code)).toEqual(CAPITALS.map(([code]) => code.slice(0, 2)));
  });

  it.each(CAPITALS)('%s %s: its own area\'s numbers serve it, the next capital\'s do not', (code, name, areaCode) => {
    const area = municipalityByCode(code);
    expect(area?.municipality).toBe(name);
    expect(area?.areaCodes[0]).toBe(areaCode);
    const [own] = numbersInArea(areaCode, 1);
    const parsed = parseJapaneseNumber(own!);
    expect(parsed.ok && parsed.areaCode).toBe(areaCode);
    expect(isNumberInArea(parsed.ok ? parsed.areaCode : null, area!.areaCodes)).toBe(true);
    // A neighbour's number is refused unless this municipality really dials that code too.
    const next = CAPITALS[(CAPITALS.findIndex(([c]) => c === code) + 1) % CAPITALS.length]!;
    const [theirs] = numbersInArea(next[2], 1);
    const theirArea = parseJapaneseNumber(theirs!);
    expect(isNumberInArea(theirArea.ok ? theirArea.areaCode : null, area!.areaCodes)).toBe(area!.areaCodes.includes(next[2]));
    // An IP phone number (050) belongs to no number area.
    const ip = parseJapaneseNumber(numbersInArea('050', 1)[0]!);
    expect(ip.ok && ip.kind).toBe('050');
    expect(isNumberInArea(ip.ok ? ip.areaCode : '050', area!.areaCodes)).toBe(false);
  });

  it('gives every area code of the table a number range libphonenumber groups under it, so lent numbers of every area are recognised', () => {
    for (const areaCode of knownAreaCodes()) {
      const [number] = numbersInArea(areaCode, 1);
      const parsed = parseJapaneseNumber(number!);
      expect(parsed.ok && parsed.kind === '0ABJ' && parsed.areaCode, areaCode).toBe(areaCode);
    }
  });

  // Municipalities MIC splits across number areas, outside the first table's Tokyo and Osaka too.
  const SPLIT: [code: string, name: string, areaCodes: string[]][] = [
    ['022012', '青森市', ['017', '0172']],
    ['121029', '千葉市花見川区', ['043', '047']],
    ['151084', '新潟市西蒲区', ['0256', '025']],
    ['261084', '京都市右京区', ['075', '0771']],
    ['341088', '広島市佐伯区', ['082', '0829']],
    ['431044', '熊本市南区', ['096', '0964']],
    ['132047', '三鷹市', ['0422', '03']],
    ['271217', '大阪市東住吉区', ['06', '072']],
  ];

  it.each(SPLIT)('%s %s is split: either area\'s numbers may serve it, a third may not', (code, name, areaCodes) => {
    const area = municipalityByCode(code)!;
    expect(area.municipality).toBe(name);
    expect(area.partial).toBe(true);
    expect(area.areaCodes).toEqual(areaCodes);
    for (const areaCode of areaCodes) {
      const parsed = parseJapaneseNumber(numbersInArea(areaCode, 1)[0]!);
      expect(isNumberInArea(parsed.ok ? parsed.areaCode : null, area.areaCodes), areaCode).toBe(true);
    }
    const elsewhere = parseJapaneseNumber(numbersInArea('0767', 1)[0]!);
    expect(isNumberInArea(elsewhere.ok ? elsewhere.areaCode : null, area.areaCodes)).toBe(false);
  });

  it('knows each designated city\'s wards, which may use fewer area codes than the whole city', () => {
    expect(designatedCityOf('151084')).toBe('151009');
    expect(wardsOf('151009').map((w) => w.municipality)).toEqual(['新潟市北区', '新潟市東区', '新潟市中央区', '新潟市江南区', '新潟市秋葉区', '新潟市南区', '新潟市西区', '新潟市西蒲区']);
    expect(areaCodesForMunicipality('151009')).toEqual(['025', '0250', '0256']);
    expect(areaCodesForMunicipality('151017')).toEqual(['025']);
    // Tokyo's special wards are municipalities of their own, not wards of a city.
    expect(designatedCityOf('131172')).toBeNull();
    expect(designatedCityOf('151009')).toBeNull();
    expect(wardsOf('172022')).toEqual([]);
  });

  it('finds a prefecture by its code or its name', () => {
    expect(findPrefecture('22')).toEqual({ code: '22', name: '静岡県', governmentCode: '220001' });
    expect(findPrefecture('静岡県')).toEqual({ code: '22', name: '静岡県', governmentCode: '220001' });
    expect(findPrefecture('北海道')?.governmentCode).toBe('010006');
    expect(isValidMunicipalityCode(findPrefecture('47')!.governmentCode)).toBe(true);
    expect(findPrefectureInAddress('北海道色丹郡色丹村斜古丹')?.code).toBe('01');
    expect(findPrefectureInAddress('色丹村')).toBeNull();
    for (const bad of ['2', '48', '静岡', '']) expect(findPrefecture(bad), bad).toBeNull();
  });
});

describe('finding the municipality at the start of an address', () => {
  it('reads 石川県七尾市一本杉町１２４ as 七尾市 (172022)', () => {
    expect(findMunicipalityInAddress('石川県七尾市一本杉町１２４')?.code).toBe('172022');
  });

  it('reads an address without the prefecture', () => {
    expect(findMunicipalityInAddress('七尾市一本杉町124')?.code).toBe('172022');
  });

  it('skips the 郡 name: 鹿島郡中能登町 and 石川県鹿島郡中能登町 are 中能登町', () => {
    expect(findMunicipalityInAddress('鹿島郡中能登町能登部下91部23')?.code).toBe('174076');
    expect(findMunicipalityInAddress('石川県鹿島郡中能登町能登部下91部23')?.code).toBe('174076');
  });

  it('prefers the designated-city ward over the city: 大阪市北区 is 271276, not 大阪市', () => {
    expect(findMunicipalityInAddress('大阪府大阪市北区扇町1丁目')?.code).toBe('271276');
    expect(findMunicipalityInAddress('大阪市北区扇町1丁目')?.code).toBe('271276');
  });

  it('keeps Tokyo 北区 and 大阪市北区 apart', () => {
    expect(findMunicipalityInAddress('東京都北区王子本町1-15-22')?.code).toBe('131172');
    expect(findMunicipalityInAddress('北区王子本町1-15-22')?.code).toBe('131172');
  });

  it('tolerates spaces and full-width forms', () => {
    expect(findMunicipalityInAddress('  石川県　七尾市 一本杉町')?.code).toBe('172022');
  });

  it('reads a ward of a designated city anywhere in Japan: 北海道札幌市中央区 is 011011', () => {
    expect(findMunicipalityInAddress('北海道札幌市中央区大通西7丁目')?.code).toBe('011011');
    expect(findMunicipalityInAddress('静岡県静岡市葵区追手町9-6')?.code).toBe('221015');
  });

  it('needs the prefecture when two prefectures have a municipality of that name: 府中市', () => {
    expect(findMunicipalityInAddress('府中市宮西町2丁目24')).toBeNull();
    expect(findMunicipalityInAddress('東京都府中市宮西町2丁目24')?.code).toBe('132063');
    expect(findMunicipalityInAddress('広島県府中市府川町315')?.code).toBe('342084');
  });

  it('finds a municipality by its whole name, alone or after its prefecture, and nothing longer or ambiguous', () => {
    expect(findMunicipalityByName('七尾市')?.code).toBe('172022');
    expect(findMunicipalityByName('東京都府中市')?.code).toBe('132063');
    expect(findMunicipalityByName('石川県鹿島郡中能登町')?.code).toBe('174076');
    expect(findMunicipalityByName('静岡市葵区')?.code).toBe('221015');
    expect(findMunicipalityByName('府中市')).toBeNull();
    expect(findMunicipalityByName('七尾市役所')).toBeNull();
    expect(findMunicipalityByName('')).toBeNull();
  });

  it('returns null for a place outside the data or text that is not an address', () => {
    expect(findMunicipalityInAddress('北海道色丹郡色丹村')).toBeNull();
    expect(findMunicipalityInAddress('一本杉町124')).toBeNull();
    expect(findMunicipalityInAddress('')).toBeNull();
  });
});

describe('whether a fixed-line number may serve a shelter', () => {
  it('lets a 0767 number serve a Nanao shelter but not a 0768 one', () => {
    expect(isNumberInArea('0767', ['0767'])).toBe(true);
    expect(isNumberInArea('0768', ['0767'])).toBe(false);
  });

  it('accepts either of a split municipality\'s area codes', () => {
    const mitaka = areaCodesForMunicipality('132047');
    expect(isNumberInArea('03', mitaka)).toBe(true);
    expect(isNumberInArea('0422', mitaka)).toBe(true);
    expect(isNumberInArea('042', mitaka)).toBe(false);
  });

  it('never counts a number without an area (050, mobile) as inside one', () => {
    expect(isNumberInArea(null, ['0767'])).toBe(false);
    expect(isNumberInArea('', ['0767'])).toBe(false);
  });

  it('never counts a number as inside an unknown area', () => {
    expect(isNumberInArea('0767', [])).toBe(false);
  });

  it('compares area codes written with or without the leading 0', () => {
    expect(isNumberInArea('767', ['0767'])).toBe(true);
  });
});

describe('MIC check digit of the municipality code', () => {
  it('accepts codes whose check digit is right', () => {
    for (const code of ['172022', '131016', '271004', '011002', '132047']) {
      expect(validateMunicipalityCode(code)).toEqual({ ok: true, code });
    }
  });

  it('rejects a wrong check digit and names the expected one', () => {
    const result = validateMunicipalityCode('172023');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('expected 2');
    expect(isValidMunicipalityCode('172023')).toBe(false);
  });

  it('rejects codes that are not 6 digits with a clear reason', () => {
    for (const code of ['17202', '1720222', 'ABCDEF', '']) {
      const result = validateMunicipalityCode(code);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/6 digits/);
    }
  });

  it('uses the last digit of 11 − remainder, so remainders 0 and 1 give 1 and 0', () => {
    // 17203: 6+35+8+0+6 = 55, remainder 0 → 11 → 1: 172031 小松市.
    expect(isValidMunicipalityCode('172031')).toBe(true);
    expect(isValidMunicipalityCode('172030')).toBe(false);
    // 17209: 6+35+8+0+18 = 67, remainder 1 → 10 → 0: 172090 かほく市.
    expect(isValidMunicipalityCode('172090')).toBe(true);
    expect(isValidMunicipalityCode('172091')).toBe(false);
    // 13101: 6+15+4+0+2 = 27, remainder 5 → 6: 131016 千代田区.
    expect(isValidMunicipalityCode('131016')).toBe(true);
  });
});
