import { parsePhoneNumberWithError, ParseError, validatePhoneNumberLength } from 'libphonenumber-js/max';
import type { NumberType, PhoneNumber as LibNumber } from 'libphonenumber-js/max';
import type { NumberKind } from '../model/phone-number.js';

export type ParsedJapaneseNumber = {
  ok: true;
  /** Stored form: `+81767520959`. */
  e164: string;
  kind: NumberKind;
  /** 市外局番 with its leading 0 for 0AB-J numbers (`0767`); null for non-geographic kinds. */
  areaCode: string | null;
  /** National digits with the trunk 0 and no separators: `0767520959`. */
  national: string;
  /** National written form: `0767-52-0959`. */
  formatted: string;
  /** libphonenumber's own type (`FIXED_LINE`, `UAN`, …) or `UNKNOWN`, for the board and logs. */
  libType: string;
};
export type JapaneseNumberResult = ParsedJapaneseNumber | { ok: false; reason: string };

/** A number we refuse to store or dial; `reason` says why in words a coordinator understands. */
export class InvalidNumberError extends Error {
  override readonly name = 'InvalidNumberError';
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`invalid phone number ${JSON.stringify(input)}: ${reason}`);
  }
}

// Everything people type for a hyphen in Japanese documents; NFKC leaves these alone.
const DASHES = /[\u2010-\u2015\u2212\u30FC\uFF70\u2E3A\u2E3B\uFE58\u02D7\u2043\u207B\u208B\u301C\uFF5E]/g;
const ALLOWED = /^\+?[0-9\s\-().]+$/;

/** Libphonenumber types that name a geographic 0AB-J number; only these carry an area code. */
const KIND_BY_TYPE: Record<NumberType & string, NumberKind> = {
  FIXED_LINE: '0ABJ',
  VOIP: '050',
  MOBILE: 'mobile',
  TOLL_FREE: 'tollfree',
  // 0570 navi-dial, 0990 premium, 020 pager, 060 personal: not lendable kinds, so named `other`.
  UAN: 'other',
  PREMIUM_RATE: 'other',
  SHARED_COST: 'other',
  PAGER: 'other',
  PERSONAL_NUMBER: 'other',
  VOICEMAIL: 'other',
  // Ambiguous between fixed and mobile: never guess a number area, so not 0AB-J.
  FIXED_LINE_OR_MOBILE: 'other',
};

const LENGTH_REASONS: Record<string, string> = {
  TOO_SHORT: 'too short for a Japanese phone number',
  TOO_LONG: 'too long for a Japanese phone number',
  INVALID_LENGTH: 'has a length no Japanese number range uses',
  INVALID_COUNTRY: 'starts with an unknown country code',
  NOT_A_NUMBER: 'is not a phone number',
};

/** Full-width digits, ideographic spaces and the many Japanese dashes become plain ASCII. */
export function normaliseWritten(input: string): string {
  return input.normalize('NFKC').replace(DASHES, '-').trim();
}

/** Parse any common written form of a Japanese number; malformed input gets a reason, never a guess. */
export function parseJapaneseNumber(input: string): JapaneseNumberResult {
  if (typeof input !== 'string') return { ok: false, reason: 'expected the number as text' };
  const text = normaliseWritten(input);
  if (text === '') return { ok: false, reason: 'is empty; expected a number such as 0767-52-0959' };
  if (!ALLOWED.test(text)) {
    const bad = [...text].find((c) => !/[0-9\s\-().+]/.test(c)) ?? '+';
    return {
      ok: false,
      reason: `contains ${JSON.stringify(bad)}; only digits, a leading +, spaces, hyphens, dots and parentheses are allowed`,
    };
  }
  const lengthProblem = validatePhoneNumberLength(text, 'JP');
  if (lengthProblem) return { ok: false, reason: LENGTH_REASONS[lengthProblem] ?? `rejected (${lengthProblem})` };

  let parsed: LibNumber;
  try {
    parsed = parsePhoneNumberWithError(text, 'JP');
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, reason: LENGTH_REASONS[e.message] ?? `rejected (${e.message})` };
    throw e;
  }
  if (parsed.country !== 'JP' || parsed.countryCallingCode !== '81') {
    return { ok: false, reason: `is not a Japanese number (country ${parsed.country ?? '+' + parsed.countryCallingCode})` };
  }
  if (!parsed.isValid()) return { ok: false, reason: 'is not in any number range in use in Japan' };

  const libType = parsed.getType();
  const kind: NumberKind = libType ? KIND_BY_TYPE[libType] : 'other';
  const formatted = parsed.formatNational();
  return {
    ok: true,
    e164: parsed.number,
    kind,
    areaCode: kind === '0ABJ' ? areaCodeOf(formatted) : null,
    national: `0${parsed.nationalNumber}`,
    formatted,
    libType: libType ?? 'UNKNOWN',
  };
}

/** The 市外局番 is the first group of the national grouping: `0767-52-0959` → `0767`. */
function areaCodeOf(formatted: string): string | null {
  const first = formatted.split('-')[0];
  return first && /^0\d{1,4}$/.test(first) ? first : null;
}

/** E.164 of a valid Japanese number, or an InvalidNumberError with the reason. */
export function toE164OrThrow(input: string): string {
  const result = parseJapaneseNumber(input);
  if (!result.ok) throw new InvalidNumberError(input, result.reason);
  return result.e164;
}

/** `+81767520959` → `0767-52-0959`, for posters and the board. */
export function formatNational(e164: string): string {
  const result = parseJapaneseNumber(e164);
  if (!result.ok) throw new InvalidNumberError(e164, result.reason);
  return result.formatted;
}
