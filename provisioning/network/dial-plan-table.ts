import {
  DIAL_PLAN_SETTINGS_ID,
  translationId,
  type Actor,
  type DialPlanSettings,
  type NaviDialSettingsInput,
  type PutSpecialNumberTranslationInput,
  type SpecialNumberTranslation,
} from '../model/index.js';
import type { Store } from '../store/store.js';
import { appendAudit } from '../audit/audit-log.js';
import { invalid, notFound } from '../errors.js';
import { normaliseWritten } from '../numbers/japanese-number.js';
import { classifyDialled } from './classify-dialled.js';
import { bumpedAt } from '../store/versioned.js';

/**
 * The operator-kept parts of the dial plan: the special-number translation table (shipped empty:
 * nothing invented is shipped as fact) and the coordinators' list of refused 0570 prefixes.
 */

const digitsOf = (text: string) => normaliseWritten(text).replace(/[\s\-().]/g, '');

export async function listTranslations(store: Store, q: { limit?: number; cursor?: string | null; prefecture?: string }) {
  return store.query('specialNumberTranslations', { where: q.prefecture ? { prefecture: q.prefecture } : {}, orderBy: { field: 'id', direction: 'asc' }, limit: q.limit, cursor: q.cursor ?? null });
}

/** Creates or replaces one row; the number must be one a shelter phone may dial as a domestic call. */
export async function putTranslation(store: Store, input: PutSpecialNumberTranslationInput, ctx: { actor: Actor; at: Date }): Promise<SpecialNumberTranslation> {
  const dialled = classifyDialled(input.number);
  if (dialled.kind !== 'domestic') throw invalid(`${input.number} is not an ordinary domestic number a shelter phone may dial (fixed, mobile, 050 or toll-free)`, { fields: ['number'] });
  const id = translationId(input.service, input.prefecture);
  return store.transaction(async (tx) => {
    const before = await tx.get('specialNumberTranslations', id);
    const row: SpecialNumberTranslation = {
      id, version: (before?.version ?? -1) + 1, service: input.service, prefecture: input.prefecture, e164: dialled.e164,
      source: input.source, sourceDate: input.sourceDate, example: input.example ?? false, updatedAt: ctx.at.toISOString(),
    };
    tx.put('specialNumberTranslations', row);
    const summary = (r: SpecialNumberTranslation) => ({ e164: r.e164, source: r.source, sourceDate: r.sourceDate, example: r.example });
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'dial_plan.translation_put', entity: { collection: 'specialNumberTranslations', id }, before: before ? summary(before) : null, after: summary(row) });
    return row;
  });
}

/** Removes one row by its id (`7119-17`); calls from that prefecture then get guidance again. */
export async function deleteTranslation(store: Store, id: string, ctx: { actor: Actor; at: Date }): Promise<SpecialNumberTranslation> {
  return store.transaction(async (tx) => {
    const before = await tx.get('specialNumberTranslations', id);
    if (!before) throw notFound('translation', id);
    tx.delete('specialNumberTranslations', id);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'dial_plan.translation_delete', entity: { collection: 'specialNumberTranslations', id }, before: { e164: before.e164, source: before.source, sourceDate: before.sourceDate } });
    return before;
  });
}

export function defaultDialPlanSettings(at: Date): DialPlanSettings {
  return { id: DIAL_PLAN_SETTINGS_ID, version: 0, naviDialRefusedPrefixes: [], updatedAt: at.toISOString() };
}

export async function getDialPlanSettings(store: Store, at: Date): Promise<DialPlanSettings> {
  return (await store.get('dialPlanSettings', DIAL_PLAN_SETTINGS_ID)) ?? defaultDialPlanSettings(at);
}

/** Replaces the refused 0570 prefixes; each must be 0570 and at most 6 more digits (separators ignored). */
export async function setNaviDialRefusedPrefixes(store: Store, input: NaviDialSettingsInput, ctx: { actor: Actor; at: Date }): Promise<DialPlanSettings> {
  const prefixes = input.refusedPrefixes.map(digitsOf);
  const bad = prefixes.map((p, i) => ({ p, i })).filter(({ p }) => !/^0570\d{0,6}$/.test(p));
  if (bad.length) {
    throw invalid(`each refused prefix must be 0570 followed by at most 6 digits: ${bad.map(({ i }) => JSON.stringify(input.refusedPrefixes[i])).join(', ')}`, { fields: bad.map(({ i }) => `refusedPrefixes.${i}`) });
  }
  const unique = [...new Set(prefixes)].sort();
  return store.transaction(async (tx) => {
    const before = (await tx.get('dialPlanSettings', DIAL_PLAN_SETTINGS_ID)) ?? defaultDialPlanSettings(ctx.at);
    const next = bumpedAt(before, ctx.at, { naviDialRefusedPrefixes: unique });
    tx.put('dialPlanSettings', next);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'dial_plan.navi_dial_prefixes', entity: { collection: 'dialPlanSettings', id: next.id }, before: { refusedPrefixes: before.naviDialRefusedPrefixes }, after: { refusedPrefixes: unique } });
    return next;
  });
}
