import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { RefusalReason } from './speech.js';
import { parseShortCode } from '../numbers/short-code-scheme.js';

export type EmergencyService = '110' | '118' | '119';

/** What a handset dialled, as the dial plan sees it. */
export type DialledNumber =
  | { kind: 'short-code'; code: string; prefecture: string | null }
  | { kind: 'emergency'; service: EmergencyService }
  | { kind: 'domestic'; e164: string; type: 'fixed' | 'mobile' | 'ip' | 'toll-free' }
  | { kind: 'refused'; reason: Exclude<RefusalReason, 'unknown-handset' | 'shelter-closed' | 'no-line' | 'unknown-short-code' | 'outbound-restricted'> };

/** libphonenumber types we let through; everything else (0570, 020, 060, …) is refused. */
const ALLOWED_TYPES = {
  FIXED_LINE: 'fixed',
  FIXED_LINE_OR_MOBILE: 'fixed',
  MOBILE: 'mobile',
  VOIP: 'ip',
  TOLL_FREE: 'toll-free',
} as const;

/** Classifies the digits a handset sent (the user part of the SIP To URI). */
export function classifyDialled(raw: string): DialledNumber {
  // Handsets and softphones may send visual separators; they are not part of the number.
  let digits = raw.trim().replace(/[\s\-().]/g, '');
  if (digits.startsWith('+81')) digits = `0${digits.slice(3)}`;
  if (digits.startsWith('+')) return { kind: 'refused', reason: 'international' };
  if (!/^\d+$/.test(digits)) return { kind: 'refused', reason: 'invalid' };

  if (digits === '110' || digits === '118' || digits === '119') return { kind: 'emergency', service: digits };
  // 4 digits 2000–8999 (own prefecture) or 9 + prefecture + code: see numbers/short-code-scheme.
  const short = parseShortCode(digits);
  if (short) return { kind: 'short-code', ...short };
  if (/^\d{4}$/.test(digits) && !digits.startsWith('0')) return { kind: 'short-code', code: digits, prefecture: null };
  if (digits.startsWith('010')) return { kind: 'refused', reason: 'international' };
  // 00XY selects another carrier (0033, 0041, 0088, …), and 00XY-010 is the old international form.
  if (digits.startsWith('00')) return { kind: 'refused', reason: 'carrier-prefix' };
  if (digits.startsWith('0990')) return { kind: 'refused', reason: 'premium' };
  if (digits.startsWith('0180')) return { kind: 'refused', reason: 'information-service' };
  if (!digits.startsWith('0')) return { kind: 'refused', reason: 'not-allowed' };

  const parsed = parsePhoneNumberFromString(digits, 'JP');
  if (!parsed || !parsed.isValid()) return { kind: 'refused', reason: 'invalid' };
  const type = parsed.getType();
  if (type === 'PREMIUM_RATE') return { kind: 'refused', reason: 'premium' };
  const allowed = type ? ALLOWED_TYPES[type as keyof typeof ALLOWED_TYPES] : undefined;
  if (!allowed) return { kind: 'refused', reason: 'not-allowed' };
  return { kind: 'domestic', e164: parsed.number, type: allowed };
}
