import type { AreaScopeView } from '../../../provisioning/model/index.js';

let formatNational: ((e164: string) => string) | null = null;
/**
 * libphonenumber-js (its metadata is a quarter of the board's code) is fetched beside the first API
 * call instead of inside the first script; the board renders once it is here (app.tsx).
 */
export const phoneFormatReady: Promise<void> = import('./phone-format.js').then(
  (m) => void (formatNational = m.formatNational),
  () => undefined,
);

/** +81767520959 → 0767-52-0959, as people in Japan write it. */
export function nationalNumber(e164: string): string {
  return formatNational ? formatNational(e164) : e164;
}

/** An area a token is limited to, as people say it: 石川県、静岡市 (a municipality with its prefecture when the prefecture is not listed). */
export function areaScopeText(scope: AreaScopeView): string {
  const prefectures = new Set(scope.prefectures.map((p) => p.name));
  return [...scope.prefectures.map((p) => p.name), ...scope.municipalities.map((m) => (prefectures.has(m.prefecture) ? m.name : `${m.prefecture}${m.name}`))].join('、');
}

export function dateTime(iso: string | null | undefined, lang: 'ja' | 'en'): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'short' });
}

export function daysUntil(iso: string, now: Date): number {
  return Math.floor((new Date(iso).getTime() - now.getTime()) / 86_400_000);
}

/** How long ago, in the unit a person would say it: under a minute, minutes, hours, then days. */
export function ageOf(ms: number): { unit: 'justNow' | 'minutes' | 'hours' | 'days'; n: number } {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return { unit: 'justNow', n: 0 };
  if (minutes < 60) return { unit: 'minutes', n: minutes };
  if (minutes < 48 * 60) return { unit: 'hours', n: Math.floor(minutes / 60) };
  return { unit: 'days', n: Math.floor(minutes / 1440) };
}
