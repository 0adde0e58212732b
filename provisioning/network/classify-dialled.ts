import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { RefusalReason } from './speech.js';
import { DIRECTORY_CODE, parseShortCode } from '../numbers/short-code-scheme.js';
import { normaliseWritten } from '../numbers/japanese-number.js';
import { SpecialNumber } from '../model/index.js';

export type EmergencyService = '110' | '118' | '119';

/** What a handset dialled, as the dial plan sees it. */
export type DialledNumber =
  /** `orService`: the `#` service these digits also name without their `#` (7119, 8000), reached when no shelter holds the code. */
  | { kind: 'short-code'; code: string; prefecture: string | null; orService?: SpecialNumber }
  /** The directory line (避難所案内), the same code on every member: see numbers/short-code-scheme. */
  | { kind: 'directory' }
  | { kind: 'emergency'; service: EmergencyService }
  /** A public-service number (171, 188, 189, #7119, #8000, #9110): routed by capability, translated or explained, never refused generically. */
  | { kind: 'special'; service: SpecialNumber }
  /** A `#` number we know nothing of: told so specifically. */
  | { kind: 'unknown-service'; dialled: string }
  /** ナビダイヤル 0570: allowed, on its own daily minutes, unless a coordinator refused its prefix. */
  | { kind: 'navi-dial'; e164: string; national: string }
  | { kind: 'domestic'; e164: string; type: 'fixed' | 'mobile' | 'ip' | 'toll-free' }
  | { kind: 'refused'; reason: Exclude<RefusalReason, 'unknown-handset' | 'shelter-closed' | 'no-line' | 'unknown-short-code' | 'own-short-code' | 'withhold-unavailable' | 'directory-unavailable' | 'navi-dial-refused' | 'navi-dial-limit' | 'outbound-restricted'> };

/** libphonenumber types we let through; everything else (020, 060, …) is refused. */
const ALLOWED_TYPES = {
  FIXED_LINE: 'fixed',
  FIXED_LINE_OR_MOBILE: 'fixed',
  MOBILE: 'mobile',
  VOIP: 'ip',
  TOLL_FREE: 'toll-free',
} as const;

const SPECIAL = new Set<string>(SpecialNumber.options);

/**
 * `#` services people also dial without the `#`. 7119 and 8000 are valid short codes too (a shelter
 * holding one keeps it); 9110 never is (a 9 starts the 7-digit form).
 */
const BARE_SERVICE: Readonly<Record<string, SpecialNumber>> = { '7119': '#7119', '8000': '#8000', '9110': '#9110' };

/** Whether the caller's number goes with the call: sent unless this call was dialled with 184. */
export type CallerIdPresentation = 'sent' | 'withheld';

/**
 * The per-call prefixes of Japanese carriers (MIC's FAQ on 発信電話番号通知): 184 withholds the
 * caller's number for this call, 186 sends it. What follows is dialled as usual, 110/118/119 included.
 */
export function splitPresentationPrefix(raw: string): { presentation: CallerIdPresentation | null; number: string } {
  const digits = normaliseDialled(raw);
  const m = /^(184|186)(.+)$/.exec(digits);
  if (!m) return { presentation: null, number: digits };
  return { presentation: m[1] === '184' ? 'withheld' : 'sent', number: m[2]! };
}

/**
 * What a phone sent, as plain digits with `#`/`*`: full-width digits, ＃ and ＊ (NFKC), SIP
 * percent-escapes and every visual separator a softphone or a person may add are not the number.
 */
export function normaliseDialled(raw: string): string {
  let text = raw;
  try {
    text = decodeURIComponent(raw);
  } catch {
    // A stray % is just a character: the checks below refuse it.
  }
  const plain = normaliseWritten(text).replace(/[\s\-().・／/ー]/g, '');
  // Desk phones send a trailing # as "dial now"; it is not part of 171 or 0312345678.
  return /^[#+]?\d+#$/.test(plain) ? plain.slice(0, -1) : plain;
}

/** Classifies the digits a handset sent (the user part of the SIP To URI). */
export function classifyDialled(raw: string): DialledNumber {
  let digits = normaliseDialled(raw);
  if (SPECIAL.has(digits)) return { kind: 'special', service: digits as SpecialNumber };
  if (/^#\d{3,4}$/.test(digits)) return { kind: 'unknown-service', dialled: digits };
  if (digits.startsWith('+81')) digits = `0${digits.slice(3)}`;
  if (digits.startsWith('+')) return { kind: 'refused', reason: 'international' };
  if (!/^\d+$/.test(digits)) return { kind: 'refused', reason: 'invalid' };

  if (digits === '110' || digits === '118' || digits === '119') return { kind: 'emergency', service: digits };
  if (digits === DIRECTORY_CODE) return { kind: 'directory' };
  // 4 digits 2000–8999 (own prefecture) or 9 + prefecture + code: see numbers/short-code-scheme.
  const short = parseShortCode(digits);
  const bare = BARE_SERVICE[digits];
  if (short) return bare ? { kind: 'short-code', ...short, orService: bare } : { kind: 'short-code', ...short };
  if (bare) return { kind: 'special', service: bare };
  if (/^\d{4}$/.test(digits) && !digits.startsWith('0')) return { kind: 'short-code', code: digits, prefecture: null };
  if (digits.startsWith('010')) return { kind: 'refused', reason: 'international' };
  // 00XY selects another carrier (0033, 0041, 0088, …), and 00XY-010 is the old international form.
  if (digits.startsWith('00')) return { kind: 'refused', reason: 'carrier-prefix' };
  if (digits.startsWith('0990')) return { kind: 'refused', reason: 'premium' };
  if (digits.startsWith('0180')) return { kind: 'refused', reason: 'information-service' };
  if (digits.startsWith('0570')) return /^0570\d{6}$/.test(digits) ? { kind: 'navi-dial', e164: `+81${digits.slice(1)}`, national: digits } : { kind: 'refused', reason: 'invalid' };
  if (!digits.startsWith('0')) return { kind: 'refused', reason: 'not-allowed' };

  const parsed = parsePhoneNumberFromString(digits, 'JP');
  if (!parsed || !parsed.isValid()) return { kind: 'refused', reason: 'invalid' };
  const type = parsed.getType();
  if (type === 'PREMIUM_RATE') return { kind: 'refused', reason: 'premium' };
  const allowed = type ? ALLOWED_TYPES[type as keyof typeof ALLOWED_TYPES] : undefined;
  if (!allowed) return { kind: 'refused', reason: 'not-allowed' };
  return { kind: 'domestic', e164: parsed.number, type: allowed };
}
