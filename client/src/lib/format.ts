import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** +81767520959 → 0767-52-0959, as people in Japan write it. */
export function nationalNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatNational() ?? e164;
}

export function dateTime(iso: string | null | undefined, lang: 'ja' | 'en'): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'short' });
}

export function daysUntil(iso: string, now: Date): number {
  return Math.floor((new Date(iso).getTime() - now.getTime()) / 86_400_000);
}
