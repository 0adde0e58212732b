import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** One municipality and the fixed-line area codes (市外局番) used inside it. */
export interface MunicipalityArea {
  /** 6-digit 全国地方公共団体コード with check digit, e.g. 172022. */
  code: string;
  prefecture: string;
  /** Without the 郡 prefix; designated-city wards carry the city name (大阪市北区). */
  municipality: string;
  /** With the leading 0; when several, the "remainder" area's code comes first. */
  areaCodes: string[];
  /** MIC splits this municipality across more than one 番号区画: the street address decides. */
  partial: boolean;
}

export type MunicipalityCodeCheck = { ok: true; code: string } | { ok: false; reason: string };

const DATA_FILE = fileURLToPath(new URL('./data/municipality-area-codes.csv', import.meta.url));

interface AreaTable {
  byCode: Map<string, MunicipalityArea>;
  all: MunicipalityArea[];
}

let table: AreaTable | undefined;

// Loaded on first use so importing this module costs nothing; adding the country is a data change.
function areaTable(): AreaTable {
  if (table) return table;
  const records = parse(readFileSync(DATA_FILE), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
    bom: true,
  }) as Record<string, string>[];
  const all: MunicipalityArea[] = records.map((r, i) => toArea(r, i + 2));
  table = { byCode: new Map(all.map((a) => [a.code, a])), all };
  return table;
}

function toArea(r: Record<string, string>, line: number): MunicipalityArea {
  const code = r.municipality_code ?? '';
  const check = validateMunicipalityCode(code);
  if (!check.ok) throw new Error(`municipality-area-codes.csv line ${line}: ${check.reason}`);
  const areaCodes = (r.area_codes ?? '').split('|').map((c) => c.trim()).filter(Boolean);
  if (areaCodes.length === 0 || areaCodes.some((c) => !/^0\d{1,4}$/.test(c))) {
    throw new Error(`municipality-area-codes.csv line ${line}: area_codes "${r.area_codes}" is not like 0767 or 0422|03`);
  }
  return {
    code,
    prefecture: r.prefecture ?? '',
    municipality: r.municipality ?? '',
    areaCodes,
    partial: r.partial === 'yes',
  };
}

/** MIC's check digit: digits 1–5 × 6,5,4,3,2, sum mod 11, last digit of 11 − remainder. */
export function municipalityCheckDigit(first5: string): number {
  const weights = [6, 5, 4, 3, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(first5[i]), 0);
  return (11 - (sum % 11)) % 10;
}

/** Checks a 6-digit 全国地方公共団体コード, including its check digit. */
export function validateMunicipalityCode(code: string): MunicipalityCodeCheck {
  if (!/^\d{6}$/.test(code)) {
    return { ok: false, reason: `municipality code "${code}" must be 6 digits, such as 172022` };
  }
  const expected = municipalityCheckDigit(code.slice(0, 5));
  if (Number(code[5]) !== expected) {
    return { ok: false, reason: `municipality code "${code}" has check digit ${code[5]}, expected ${expected}` };
  }
  return { ok: true, code };
}

export function isValidMunicipalityCode(code: string): boolean {
  return validateMunicipalityCode(code).ok;
}

/** Every municipality in the shipped data, in file order. */
export function allMunicipalityAreas(): MunicipalityArea[] {
  return areaTable().all.map((a) => ({ ...a, areaCodes: [...a.areaCodes] }));
}

/** Every area code some municipality in the data uses, e.g. to reject a lent number of an unknown area. */
export function knownAreaCodes(): Set<string> {
  return new Set(areaTable().all.flatMap((a) => a.areaCodes));
}

/** Accepts the 6-digit code, or the 5-digit form without check digit that some lists use. */
export function municipalityByCode(code: string): MunicipalityArea | null {
  const trimmed = code.trim();
  const full = /^\d{5}$/.test(trimmed) ? trimmed + municipalityCheckDigit(trimmed) : trimmed;
  const area = areaTable().byCode.get(full);
  return area ? { ...area, areaCodes: [...area.areaCodes] } : null;
}

export function areaCodesForMunicipality(code: string): string[] {
  return municipalityByCode(code)?.areaCodes ?? [];
}

// Written forms vary: full-width digits, spaces, ヶ/ケ.
function normalizeAddress(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').replace(/[ヶヵ]/g, 'ケ');
}

const GUN_PREFIX = /^[^都道府県市区町村郡]{1,8}郡/;

/**
 * The municipality an address starts with: 「石川県七尾市…」, 「石川県鹿島郡中能登町…」,
 * 「大阪市北区…」 or 「七尾市…」. Longest match wins, so 大阪市北区 beats 大阪市; a tie is null.
 */
export function findMunicipalityInAddress(address: string): MunicipalityArea | null {
  const text = normalizeAddress(address);
  if (!text) return null;
  let best: MunicipalityArea | null = null;
  let bestLength = 0;
  // Two places matching equally well (a bare 府中市 once all Japan is loaded) is no answer.
  let tied = false;
  for (const area of areaTable().all) {
    const prefecture = normalizeAddress(area.prefecture);
    const name = normalizeAddress(area.municipality);
    const rests = text.startsWith(prefecture) ? [text.slice(prefecture.length)] : [];
    // Without a prefecture, only a match on the bare municipality name counts.
    rests.push(text);
    for (const rest of rests) {
      const withoutGun = rest.replace(GUN_PREFIX, '');
      for (const candidate of new Set([rest, withoutGun])) {
        if (candidate.startsWith(name)) {
          const length = text.length - candidate.length + name.length;
          if (length > bestLength) {
            best = area;
            bestLength = length;
            tied = false;
          } else if (length === bestLength && best?.code !== area.code) {
            tied = true;
          }
        }
      }
    }
  }
  if (tied || !best) return null;
  return { ...best, areaCodes: [...best.areaCodes] };
}

function withLeadingZero(areaCode: string): string {
  const digits = areaCode.replace(/\D/g, '');
  return digits.startsWith('0') ? digits : `0${digits}`;
}

/**
 * Whether a fixed-line number's area code lies in the shelter's number area.
 * A null area code (050, mobile, toll-free) belongs to no area, so it is never "in" one.
 */
export function isNumberInArea(areaCode: string | null, shelterAreaCodes: string[]): boolean {
  if (areaCode === null || areaCode.trim() === '') return false;
  const wanted = withLeadingZero(areaCode);
  return shelterAreaCodes.some((c) => withLeadingZero(c) === wanted);
}
