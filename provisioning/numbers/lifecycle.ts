import { actorOf, auditFilterFields, type Actor, type AuditEvent } from '../model/audit-event.js';
import type { NumberState, PhoneNumber } from '../model/phone-number.js';
import { DAY_MS, addMs, iso } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { bumpedAt } from '../store/versioned.js';

/**
 * The one table of the number lifecycle: for each state, the states it may go to.
 * Conditions that depend on the document (who may reclaim an aging number, who may lift a
 * suspension) are checked by `guard` below; the table alone says which pairs exist at all.
 */
export const TRANSITIONS: Readonly<Record<NumberState, readonly NumberState[]>> = {
  //           lent by its carrier, free to assign
  available: ['reserved', 'suspended', 'withdrawn'],
  //           allocation chose it: carrier routing comes next; rolled back → available (or aging for a reclaim)
  reserved: ['in_service', 'available', 'aging', 'releasing', 'suspended', 'error'],
  //           ringing the shelter's handsets
  in_service: ['releasing', 'suspended', 'error'],
  //           shelter closed: carrier routing being reset
  releasing: ['aging', 'suspended', 'error'],
  //           quarantine: the previous shelter may reclaim it; anyone once agingUntil has passed
  aging: ['available', 'reserved', 'suspended', 'withdrawn'],
  //           番号の利用停止: only an admin lift leaves it
  suspended: ['aging', 'available'],
  //           the carrier took it back; it may lend it again
  withdrawn: ['available'],
  //           carrier configuration failed: retry, tear down, or hand back
  error: ['in_service', 'releasing', 'suspended', 'withdrawn'],
};

export const DEFAULT_AGING_DAYS = 90;

export type TransitionContext = {
  at: Date;
  actor: Actor;
  reason: string;
  /** Required when entering `reserved`. */
  shelterId?: string | null;
  /** Quarantine length when entering `aging`. */
  agingDays?: number;
  auditId?: string;
};

export type IllegalTransitionCode =
  | 'not_in_table' // the pair is not in TRANSITIONS
  | 'not_assignable' // reserving a number this shelter may not take
  | 'needs_shelter' // entering `reserved` without a shelterId
  | 'needs_admin' // lifting a suspension is an admin act
  | 'still_aging' // leaving quarantine for everyone before agingUntil
  | 'bad_context'; // a missing reason, a bad date or aging length

/** A transition the lifecycle forbids; `code` says which rule, `message` says it in words. */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly e164: string,
    readonly from: NumberState,
    readonly to: NumberState,
    readonly code: IllegalTransitionCode,
    readonly detail: string,
  ) {
    super(`number ${e164}: ${from} → ${to} refused: ${detail}`);
  }
}

export function canTransition(from: NumberState, to: NumberState): boolean {
  return TRANSITIONS[from].includes(to);
}

export type Assignability = { ok: true; reclaim: boolean } | { ok: false; reason: string };

/** May `shelterId` be given this number now? Aging numbers go back to the shelter that held them. */
export function assignability(number: PhoneNumber, shelterId: string, now: Date): Assignability {
  switch (number.state) {
    case 'available':
      return { ok: true, reclaim: number.previousShelterId === shelterId };
    case 'aging': {
      if (number.previousShelterId === shelterId) return { ok: true, reclaim: true };
      if (agingOver(number, now)) return { ok: true, reclaim: false };
      return {
        ok: false,
        reason: `ageing until ${number.agingUntil} after shelter ${number.previousShelterId ?? '(unknown)'} released it; only that shelter may reclaim it before then`,
      };
    }
    case 'suspended':
      return { ok: false, reason: 'suspended on an authority request (番号の利用停止)' };
    case 'withdrawn':
      return { ok: false, reason: 'withdrawn by its carrier' };
    case 'error':
      return { ok: false, reason: 'in error: its carrier configuration failed' };
    case 'reserved':
    case 'in_service':
    case 'releasing':
      return { ok: false, reason: `already ${number.state.replace('_', ' ')} for shelter ${number.shelterId ?? '(unknown)'}` };
  }
}

function agingOver(number: PhoneNumber, now: Date): boolean {
  // An aging number without an end date is treated as due rather than locked for ever.
  return number.agingUntil === null || new Date(number.agingUntil).getTime() <= now.getTime();
}

/** Conditions beyond the table; returns the refusal, or null when the transition may proceed. */
function guard(number: PhoneNumber, to: NumberState, ctx: TransitionContext): [IllegalTransitionCode, string] | null {
  const from = number.state;
  if (!canTransition(from, to)) {
    const allowed = TRANSITIONS[from];
    return ['not_in_table', `a ${from} number may only become ${allowed.length ? allowed.join(', ') : 'nothing'}`];
  }
  if (!(ctx.at instanceof Date) || Number.isNaN(ctx.at.getTime())) return ['bad_context', 'ctx.at is not a valid date'];
  if (typeof ctx.reason !== 'string' || ctx.reason.trim() === '') return ['bad_context', 'every transition needs a reason for the audit log'];
  if (ctx.agingDays !== undefined && !(Number.isInteger(ctx.agingDays) && ctx.agingDays >= 0)) {
    return ['bad_context', `agingDays must be a whole number of days ≥ 0, got ${ctx.agingDays}`];
  }
  if (from === 'suspended' && ctx.actor.role !== 'admin') return ['needs_admin', 'only an admin may lift a suspension'];
  if (to === 'reserved') {
    if (!ctx.shelterId) return ['needs_shelter', 'reserving a number needs the shelterId it is reserved for'];
    const verdict = assignability(number, ctx.shelterId, ctx.at);
    if (!verdict.ok) return ['not_assignable', verdict.reason];
  }
  if (from === 'aging' && to === 'available' && !agingOver(number, ctx.at)) {
    return ['still_aging', `ageing until ${number.agingUntil}`];
  }
  // A reclaimed number keeps its quarantine end while reserved; rolling it back must not skip it.
  if (from === 'reserved' && to === 'available' && number.agingUntil && !agingOver(number, ctx.at)) {
    return ['still_aging', `reclaimed while ageing until ${number.agingUntil}; roll it back to aging instead`];
  }
  return null;
}

/** The document after entering `to`: who holds it and until when. */
function enter(number: PhoneNumber, to: NumberState, ctx: TransitionContext): PhoneNumber {
  // agingUntil only means something while aging, or while a reclaimed number is reserved.
  // Entering in_service follows a successful route step, so its routing is confirmed now; any other state unconfirms it.
  const base = bumpedAt(number, iso(ctx.at), { state: to, agingUntil: null, routingConfirmedAt: to === 'in_service' ? iso(ctx.at) : null });
  switch (to) {
    case 'available': {
      const { suspension: _lifted, ...rest } = base;
      return { ...rest, shelterId: null, agingUntil: null, reasons: [], why: [] };
    }
    case 'reserved': {
      // A reclaim keeps its quarantine end, so a rollback returns to the rest of it.
      const pending = number.state === 'aging' && !agingOver(number, ctx.at) ? number.agingUntil : null;
      return { ...base, shelterId: ctx.shelterId ?? null, agingUntil: pending };
    }
    case 'in_service':
    case 'releasing':
    case 'error':
      return base;
    case 'aging': {
      const { suspension: _lifted, ...rest } = base;
      const resumed = number.state === 'reserved' && number.agingUntil ? number.agingUntil : null;
      const days = ctx.agingDays ?? DEFAULT_AGING_DAYS;
      return {
        ...rest,
        previousShelterId: number.shelterId ?? number.previousShelterId,
        shelterId: null,
        agingUntil: resumed ?? iso(addMs(ctx.at, days * DAY_MS)),
      };
    }
    case 'suspended':
      // The shelter stays named so the suspension report can show who held it.
      return base;
    case 'withdrawn':
      return {
        ...base,
        previousShelterId: number.shelterId ?? number.previousShelterId,
        shelterId: null,
        reasons: [],
        why: [],
      };
  }
}

function summary(n: PhoneNumber): Record<string, unknown> {
  return { state: n.state, shelterId: n.shelterId, previousShelterId: n.previousShelterId, agingUntil: n.agingUntil };
}

/** Apply one lifecycle transition: the new document and its one audit event. Pure: time comes from ctx. */
export function applyTransition(
  number: PhoneNumber,
  to: NumberState,
  ctx: TransitionContext,
): { number: PhoneNumber; event: AuditEvent } {
  const refusal = guard(number, to, ctx);
  if (refusal) throw new IllegalTransitionError(number.e164, number.state, to, refusal[0], refusal[1]);
  const next = enter(number, to, ctx);
  const event: AuditEvent = {
    id: ctx.auditId ?? newId('aud', ctx.at),
    version: 0,
    at: iso(ctx.at),
    actor: actorOf(ctx.actor),
    action: `number.${to}`,
    entity: { collection: 'numbers', id: number.e164 },
    from: number.state,
    to,
    reason: ctx.reason,
    before: summary(number),
    after: summary(next),
    // A number's events belong to the shelter that held it (or holds it now).
    ...auditFilterFields(ctx.actor, { collection: 'numbers', id: number.e164 }, next.shelterId ?? number.shelterId),
  };
  return { number: next, event };
}

/** Move an aging number whose quarantine has ended to `available`; null when nothing is due. */
export function settleAging(
  number: PhoneNumber,
  now: Date,
  actor: Actor,
): { number: PhoneNumber; event: AuditEvent } | null {
  if (number.state !== 'aging' || !agingOver(number, now)) return null;
  return applyTransition(number, 'available', { at: now, actor, reason: 'ageing period ended' });
}
