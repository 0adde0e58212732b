import { parse as parseCsv } from 'csv-parse/sync';
import type { Actor, PhoneNumber } from '../model/index.js';
import type { Store } from '../store/store.js';
import { appendAudit } from '../audit/audit-log.js';
import { conflict, forbidden, invalid, notFound } from '../errors.js';
import { lendingEligibility } from '../compliance/certification.js';
import { parseJapaneseNumber, toE164OrThrow } from './japanese-number.js';
import { knownAreaCodes } from './number-areas.js';
import { pageInArea, type Scoped } from '../access/area-scope.js';
import { applyTransition } from './lifecycle.js';

export interface LendRow {
  number: string;
  emergencyCapable?: boolean;
}

export type LendOutcome =
  | { row: number; input: string; status: 'accepted' | 'unchanged'; e164: string; kind: string; areaCode: string | null }
  | { row: number; input: string; status: 'rejected'; reasons: string[]; e164?: string };

const LENDABLE_KINDS = new Set(['0ABJ', '050']);
/** Rows per transaction: well under Firestore's 500 writes (a number and its audit event each). */
const CHUNK = 200;

/** Reads a carrier's CSV of numbers: a `number` column (or e164/phone_number) and optional `emergency_capable`. */
export function parseNumbersCsv(text: string): CsvLendRow[] {
  let records: Record<string, string>[];
  try {
    records = parseCsv(text.replace(/^\uFEFF/, ''), { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (err) {
    throw invalid(`the CSV could not be read: ${(err as Error).message}`);
  }
  if (records.length === 0) throw invalid('the CSV has no rows');
  const first = records[0]!;
  const numberCol = ['number', 'e164', 'phone_number', '電話番号'].find((c) => c in first);
  if (!numberCol) throw invalid('the CSV needs a `number` column (or e164 / phone_number / 電話番号)');
  const emergencyCol = ['emergency_capable', 'emergencycapable', 'emergency'].find((c) => c in first);
  return records.map((r) => {
    const raw = emergencyCol ? (r[emergencyCol] ?? '').trim() : '';
    const row: CsvLendRow = { number: r[numberCol] ?? '' };
    if (raw === '') return row;
    const value = CSV_BOOLEANS.get(raw.toLowerCase());
    // A guess here would put a shelter on a line that cannot call 119: an unclear value rejects the row.
    if (value === undefined) row.invalid = `${emergencyCol}: ${JSON.stringify(raw)} is not one of true, false, 1, 0, はい, いいえ`;
    else row.emergencyCapable = value;
    return row;
  });
}

const CSV_BOOLEANS = new Map<string, boolean>([['true', true], ['false', false], ['1', true], ['0', false], ['はい', true], ['いいえ', false]]);

/** A CSV row: a value the CSV could not state clearly makes the row rejected, with this reason. */
export type CsvLendRow = LendRow & { invalid?: string };

/**
 * A member lends numbers: each row is normalised to E.164 and accepted or rejected with its
 * reasons. Sending the same rows again changes nothing.
 */
export async function lendNumbers(store: Store, carrierId: string, rows: CsvLendRow[], ctx: { actor: Actor; at: Date; etocGraceDays: number }): Promise<{ outcomes: LendOutcome[]; accepted: number; unchanged: number; rejected: number }> {
  const carrier = await store.get('carriers', carrierId);
  if (!carrier) throw notFound('carrier', carrierId);
  const eligibility = lendingEligibility(carrier, ctx.at, { etocGraceDays: ctx.etocGraceDays });
  const areas = knownAreaCodes();
  const outcomes: LendOutcome[] = [];
  const candidates: { row: number; input: string; doc: PhoneNumber }[] = [];
  const seen = new Set<string>();

  rows.forEach((r, i) => {
    const row = i + 1;
    if (r.invalid) return outcomes.push({ row, input: r.number, status: 'rejected', reasons: [r.invalid] });
    const parsed = parseJapaneseNumber(r.number);
    if (!parsed.ok) return outcomes.push({ row, input: r.number, status: 'rejected', reasons: [`malformed: ${parsed.reason}`] });
    const reasons: string[] = [];
    if (!eligibility.canLend) reasons.push(...eligibility.reasons);
    if (!LENDABLE_KINDS.has(parsed.kind)) reasons.push(`a ${parsed.kind} number cannot be lent to shelters: only 0AB-J and 050 numbers`);
    if (parsed.kind === '0ABJ') {
      if (!parsed.areaCode || !areas.has(parsed.areaCode)) reasons.push(`unknown area code ${parsed.areaCode ?? '?'}: no municipality in our number-area data uses it`);
      if (eligibility.canLend && !eligibility.canLend0ABJ) reasons.push('0AB-J lending needs a valid number-use-plan certification (番号使用計画の認定)');
    }
    if (parsed.kind === '050' && r.emergencyCapable) reasons.push('050 numbers cannot carry emergency calls (110/118/119)');
    if (seen.has(parsed.e164)) reasons.push('the same number appears twice in this request');
    seen.add(parsed.e164);
    if (reasons.length) return outcomes.push({ row, input: r.number, status: 'rejected', reasons, e164: parsed.e164 });
    const at = ctx.at.toISOString();
    candidates.push({
      row,
      input: r.number,
      doc: {
        id: parsed.e164, version: 0, e164: parsed.e164, kind: parsed.kind, areaCode: parsed.areaCode,
        numberArea: parsed.kind === '0ABJ' ? parsed.areaCode : null,
        emergencyCapable: parsed.kind === '0ABJ' ? (r.emergencyCapable ?? true) : false, routingConfirmedAt: null,
        carrierId, state: 'available', shelterId: null, previousShelterId: null, agingUntil: null, reasons: [], lentAt: at, updatedAt: at,
      },
    });
  });

  for (let i = 0; i < candidates.length; i += CHUNK) {
    const chunk = candidates.slice(i, i + CHUNK);
    const results = await store.transaction(async (tx) => {
      const existing = await Promise.all(chunk.map((c) => tx.get('numbers', c.doc.id)));
      return chunk.map((c, j): LendOutcome => {
        const prior = existing[j];
        const base = { row: c.row, input: c.input, e164: c.doc.e164 };
        if (prior && prior.carrierId !== carrierId) return { ...base, status: 'rejected', reasons: ['already lent by another carrier'] };
        if (prior && prior.state !== 'withdrawn') return { ...base, status: 'unchanged', kind: prior.kind, areaCode: prior.areaCode };
        if (prior) {
          const { number, event } = applyTransition(prior, 'available', { at: ctx.at, actor: ctx.actor, reason: 'lent again by its carrier' });
          tx.put('numbers', { ...number, emergencyCapable: c.doc.emergencyCapable, lentAt: c.doc.lentAt });
          tx.put('audit', event);
        } else {
          tx.put('numbers', c.doc);
          appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'number.lend', entity: { collection: 'numbers', id: c.doc.id }, to: 'available', after: { carrierId, kind: c.doc.kind, areaCode: c.doc.areaCode, emergencyCapable: c.doc.emergencyCapable } });
        }
        return { ...base, status: 'accepted', kind: c.doc.kind, areaCode: c.doc.areaCode };
      });
    });
    outcomes.push(...results);
  }
  outcomes.sort((a, b) => a.row - b.row);
  const count = (s: string) => outcomes.filter((o) => o.status === s).length;
  return { outcomes, accepted: count('accepted'), unchanged: count('unchanged'), rejected: count('rejected') };
}

const IN_SERVICE = new Set(['reserved', 'in_service', 'releasing']);

/** The carrier takes a number back; one in service (or suspended) is refused with the reason. */
export async function withdrawNumber(store: Store, carrierId: string, rawNumber: string, ctx: { actor: Actor; at: Date }) {
  const e164 = toE164OrThrow(rawNumber);
  return store.transaction(async (tx) => {
    const n = await tx.get('numbers', e164);
    if (!n || n.carrierId !== carrierId) throw notFound('number', e164);
    if (IN_SERVICE.has(n.state)) throw conflict(`the number is ${n.state} for shelter ${n.shelterId}: close the shelter first, then withdraw it`, { state: n.state, shelterId: n.shelterId });
    if (n.state === 'suspended') throw forbidden('the number is suspended at an authority\'s request; only an admin can lift that');
    if (n.state === 'withdrawn') return n;
    const { number, event } = applyTransition(n, 'withdrawn', { at: ctx.at, actor: ctx.actor, reason: 'withdrawn by its carrier' });
    tx.put('numbers', number);
    tx.put('audit', event);
    return number;
  });
}

/** Numbers by state, carrier, shelter; a caller limited to an area sees its shelters' numbers and the shared pool. */
export async function listNumbers(store: Store, q: { state?: string; carrierId?: string; shelterId?: string; limit?: number; cursor?: string | null }, who: Scoped = {}) {
  const where: Record<string, string> = {};
  if (q.state) where.state = q.state;
  if (q.carrierId) where.carrierId = q.carrierId;
  if (q.shelterId) where.shelterId = q.shelterId;
  return pageInArea(store, who, 'numbers', { where, limit: q.limit, cursor: q.cursor ?? null });
}
