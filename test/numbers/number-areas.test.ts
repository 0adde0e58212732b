import { describe, expect, it } from 'vitest';
import {
  allMunicipalityAreas,
  areaCodesForMunicipality,
  findMunicipalityInAddress,
  isNumberInArea,
  isValidMunicipalityCode,
  knownAreaCodes,
  municipalityByCode,
  validateMunicipalityCode,
} from '../../provisioning/numbers/number-areas.js';

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

  it('knows nothing of a municipality outside the data and says so with an empty list', () => {
    expect(areaCodesForMunicipality('011002')).toEqual([]);
    expect(municipalityByCode('011002')).toBeNull();
    expect(areaCodesForMunicipality('not a code')).toEqual([]);
  });

  it('lists every area code the data knows, and no other', () => {
    const known = knownAreaCodes();
    for (const code of ['0767', '0768', '076', '0761', '03', '0422', '042', '044', '06', '072', '052', '04992']) {
      expect(known.has(code)).toBe(true);
    }
    expect(known.has('011')).toBe(false);
    expect(known.has('0766')).toBe(false);
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

  it('loads all 123 rows of the shipped data, each with a valid code and area codes', () => {
    const all = allMunicipalityAreas();
    expect(all).toHaveLength(123);
    expect(new Set(all.map((a) => a.code)).size).toBe(123);
    for (const a of all) {
      expect(isValidMunicipalityCode(a.code)).toBe(true);
      expect(a.areaCodes.length).toBeGreaterThan(0);
    }
    // Coverage promised by the data README: all of Ishikawa and Tokyo, Osaka city + 24 wards, Nagoya + 16.
    const count = (pred: (a: (typeof all)[number]) => boolean) => all.filter(pred).length;
    expect(count((a) => a.prefecture === '石川県')).toBe(19);
    expect(count((a) => a.prefecture === '東京都')).toBe(62);
    expect(count((a) => a.municipality.startsWith('大阪市'))).toBe(25);
    expect(count((a) => a.municipality.startsWith('名古屋市'))).toBe(17);
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

  it('returns null for a place outside the data or text that is not an address', () => {
    expect(findMunicipalityInAddress('北海道札幌市中央区大通西7丁目')).toBeNull();
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
