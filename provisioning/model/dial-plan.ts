import { z } from 'zod';
import { E164, Id, Instant } from './common.js';

/**
 * Public-service numbers an evacuee dials that a cloud member's platform may not reach: a carrier
 * declares which of them its lines can dial; otherwise we translate or give spoken guidance.
 */
export const SpecialNumber = z.enum(['171', '188', '189', '#7119', '#8000', '#9110'])
  .describe('171 災害用伝言ダイヤル, 188 消費者ホットライン, 189 児童相談所虐待対応ダイヤル, #7119 救急安心センター, #8000 子ども医療電話相談, #9110 警察相談専用電話');
export type SpecialNumber = z.infer<typeof SpecialNumber>;

/** The `#` services: answered by regional centres that also have ordinary numbers, so they can be translated. */
export const TranslatableSpecialNumber = z.enum(['#7119', '#8000', '#9110']);
export type TranslatableSpecialNumber = z.infer<typeof TranslatableSpecialNumber>;

/** JIS X 0401 prefecture code, 01–47: the scope of a translation. */
export const PrefectureCode = z.string().regex(/^(0[1-9]|[1-3]\d|4[0-7])$/, 'expected a JIS X 0401 prefecture code 01–47').meta({ examples: ['17'] });

/** The document id of a translation row: one per service and prefecture (`#7119` × 17 → `7119-17`). */
export function translationId(service: TranslatableSpecialNumber, prefecture: string): string {
  return `${service.replace('#', '')}-${prefecture}`;
}

/** special number × prefecture → the ordinary number of that region's centre, with where it was read and when. */
export const SpecialNumberTranslation = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  service: TranslatableSpecialNumber,
  prefecture: PrefectureCode,
  e164: E164,
  /** Where an operator read the number (a prefecture page, a leaflet): we never ship one as fact. */
  source: z.string().min(1).max(500),
  sourceDate: z.iso.date().meta({ examples: ['2026-11-30'] }),
  /** A drill's illustrative row, not a real centre's number. */
  example: z.boolean().default(false),
  updatedAt: Instant,
});
export type SpecialNumberTranslation = z.infer<typeof SpecialNumberTranslation>;

/** Coordinators' national dial-plan settings: one document, id `national`. */
export const DialPlanSettings = z.object({
  id: z.literal('national'),
  version: z.number().int().nonnegative().default(0),
  /** 0570 prefixes (national digits, e.g. 0570000) no shelter phone may call. */
  naviDialRefusedPrefixes: z.array(z.string().regex(/^0570\d{0,6}$/)).max(500).default([]),
  updatedAt: Instant,
});
export type DialPlanSettings = z.infer<typeof DialPlanSettings>;
export const DIAL_PLAN_SETTINGS_ID = 'national';
