/**
 * The national short-code scheme (see README "Short codes"): each open shelter holds a 4-digit
 * code 2000–8999 unique within its prefecture (JIS X 0401, the municipality code's first two
 * digits). Inside the prefecture a handset dials the 4 digits; from anywhere it dials the long form
 * 9 + prefecture + code (7 digits, e.g. 927 2345 for Osaka's 2345).
 *
 * Why these digits: nothing starts with 0 (0AB-J, 050, 0120, 00XY carrier prefixes, 010
 * international) or 1 (110/118/119, 171, 177, 188, 189 and every other 1XY service), and no
 * 4-digit code is a prefix of a long form (those alone start with 9), so a handset digit map
 * `[2-8]xxx|9xxxxxx` completes every code without waiting for a timeout.
 */

export const LOCAL_CODE = /^[2-8]\d{3}$/;
export const LONG_FORM = /^9(\d{2})([2-8]\d{3})$/;
export const LONG_FORM_PREFIX = '9';
export const FIRST_LOCAL_CODE = 2000;
/** Codes per prefecture: 2000–8999. */
export const CODES_PER_PREFECTURE = 7000;
/**
 * The directory line (避難所案内) from any shelter phone, on every member: the 7-digit form with
 * prefecture 00 (none) and code 0000 (no shelter's), so it fits the digit map and names no shelter.
 */
export const DIRECTORY_CODE = '9000000';
/** The scope of a shelter whose municipality code names no prefecture (test data, foreign codes). */
export const NO_PREFECTURE = '00';

/** The prefecture (JIS X 0401, 01–47) of a 6-digit municipality code, or NO_PREFECTURE. */
export function prefectureOf(municipalityCode: string): string {
  const pp = /^(\d{2})\d{4}$/.exec(municipalityCode)?.[1];
  if (!pp) return NO_PREFECTURE;
  const n = Number(pp);
  return n >= 1 && n <= 47 ? pp : NO_PREFECTURE;
}

/** The 7-digit form that reaches a shelter from any prefecture. */
export function longForm(prefecture: string, code: string): string {
  return `${LONG_FORM_PREFIX}${prefecture}${code}`;
}

/** A short code as dialled: the long form names its prefecture, 4 digits mean the caller's own. */
export type DialledShortCode = { code: string; prefecture: string | null };

/** Parses dialled digits as a short code in either form, or null when they are not one. */
export function parseShortCode(digits: string): DialledShortCode | null {
  if (LOCAL_CODE.test(digits)) return { code: digits, prefecture: null };
  const long = LONG_FORM.exec(digits);
  if (long && prefectureOf(`${long[1]}0000`) === long[1]) return { code: long[2]!, prefecture: long[1]! };
  return null;
}

/**
 * Whether a dialled code names this shelter: the long form must match its prefecture; 4 digits
 * match within the caller's prefecture, or (caller's prefecture unknown, e.g. the national
 * directory line) when no other open shelter holds those 4 digits (`unique`).
 */
export function dialledReaches(
  dialled: DialledShortCode,
  shelter: { shortCode: string | null; prefecture: string },
  callerPrefecture: string | null,
  unique = false,
): boolean {
  if (shelter.shortCode !== dialled.code) return false;
  if (dialled.prefecture !== null) return dialled.prefecture === shelter.prefecture;
  return callerPrefecture !== null ? callerPrefecture === shelter.prefecture : unique;
}
