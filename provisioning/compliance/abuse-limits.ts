import { DEFAULT_MAX_CALL_SECONDS, type CallRecord } from '../model/index.js';
import type { Reader } from '../store/store.js';

/** Outbound limits: a free shelter line must not become a fraud caller's free line. */
export interface AbuseLimits {
  perHandset: { concurrent: number; callsPerHour: number };
  perShelter: { concurrent: number; callsPerHour: number; minutesPerDay: number };
  /** 0570 costs the caller's line (the shelter's), so it has its own per-handset budget. */
  naviDial?: { minutesPerHandsetPerDay: number };
}

/** An hour a day per phone: enough for a bank or insurer's queue, not for running up a line's bill. */
export const DEFAULT_NAVI_DIAL_MINUTES_PER_HANDSET_PER_DAY = 60;

/** Generous for a shelter's real needs (families calling out all day), tight for an autodialler. */
export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  perHandset: { concurrent: 2, callsPerHour: 40 },
  perShelter: { concurrent: 10, callsPerHour: 200, minutesPerDay: 1500 },
};

export interface OutboundUsage {
  handset: { active: number; lastHour: number };
  shelter: { active: number; lastHour: number; minutesToday: number };
}

export type Allowance = { ok: true } | { ok: false; limit: string; detail: string };

const ENDED = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
/** Japan-time midnight: "today" is the shelter's day, not UTC's. */
function jstDayStart(now: Date): number {
  const jst = now.getTime() + 9 * 3600_000;
  return jst - (jst % 86_400_000) - 9 * 3600_000;
}

/**
 * Whose calls a decision counts: the asking member's own. A handset's credentials exist on every
 * carrier of its shelter, so counting every member's reports let one member's `answered` without
 * `completed` refuse the handset on another (issue 29). Each member's count is its own account's,
 * and a call it never ended stops counting after its own longest call.
 */
export interface MemberScope {
  carrierId: string;
  /** The member's longest call (Carrier.maxCallSeconds), in ms. */
  maxCallMs: number;
}

/** The asking member's scope, with its declared longest call (4 h when it declared none). */
export async function memberScope(store: Reader, carrierId: string): Promise<MemberScope> {
  const carrier = await store.get('carriers', carrierId);
  return { carrierId, maxCallMs: (carrier?.maxCallSeconds ?? DEFAULT_MAX_CALL_SECONDS) * 1000 };
}

/** The member's outbound calls of one shelter, newest first (an indexed query on shelter and member). */
async function memberCalls(store: Reader, member: MemberScope, shelterId: string): Promise<CallRecord[]> {
  const { items } = await store.query('calls', { where: { shelterId, carrierId: member.carrierId }, orderBy: { field: 'startedAt', direction: 'desc' }, limit: 1000 });
  return items;
}

/** What one shelter and one of its handsets have used on one member, from that member's call events. */
export async function outboundUsage(store: Reader, member: MemberScope, shelterId: string, handsetId: string | null, now: Date): Promise<OutboundUsage> {
  const items = await memberCalls(store, member, shelterId);
  const t = now.getTime();
  const dayStart = jstDayStart(now);
  const usage: OutboundUsage = { handset: { active: 0, lastHour: 0 }, shelter: { active: 0, lastHour: 0, minutesToday: 0 } };
  for (const c of items) {
    // Counted from the carrier's own status events only; a just-routed call has none yet.
    if (c.direction !== 'outbound' || c.status === 'routed') continue;
    const started = Date.parse(c.startedAt);
    const active = !ENDED.has(c.status) && c.endedAt === null && t - started < member.maxCallMs;
    const recent = t - started < 3600_000;
    const mine = handsetId !== null && c.handsetId === handsetId;
    if (active) {
      usage.shelter.active++;
      if (mine) usage.handset.active++;
    }
    if (recent) {
      usage.shelter.lastHour++;
      if (mine) usage.handset.lastHour++;
    }
    if (started >= dayStart) usage.shelter.minutesToday += Math.ceil(c.durationSeconds / 60);
  }
  return usage;
}

/** Pure: may one more outbound call start? Emergency calls are never asked. */
export function checkOutboundAllowance(usage: OutboundUsage, limits: AbuseLimits = DEFAULT_ABUSE_LIMITS): Allowance {
  const over = (limit: string, used: number, max: number): Allowance | null => (used >= max ? { ok: false, limit, detail: `${used} of ${max}` } : null);
  return (
    over('handset-concurrent', usage.handset.active, limits.perHandset.concurrent) ??
    over('handset-calls-per-hour', usage.handset.lastHour, limits.perHandset.callsPerHour) ??
    over('shelter-concurrent', usage.shelter.active, limits.perShelter.concurrent) ??
    over('shelter-calls-per-hour', usage.shelter.lastHour, limits.perShelter.callsPerHour) ??
    over('shelter-minutes-per-day', usage.shelter.minutesToday, limits.perShelter.minutesPerDay) ?? { ok: true }
  );
}

/** Minutes one handset spent today (Japan time) on 0570 calls on one member, from that member's call events. */
export async function naviDialMinutesToday(store: Reader, member: MemberScope, shelterId: string, handsetId: string, now: Date): Promise<number> {
  const items = await memberCalls(store, member, shelterId);
  const dayStart = jstDayStart(now);
  let minutes = 0;
  for (const c of items) {
    if (c.handsetId !== handsetId || c.purpose !== 'navi-dial' || Date.parse(c.startedAt) < dayStart) continue;
    minutes += Math.ceil(c.durationSeconds / 60);
  }
  return minutes;
}

/** Pure: may one more 0570 call start from this handset today? */
export function checkNaviDialAllowance(minutesToday: number, limits: AbuseLimits = DEFAULT_ABUSE_LIMITS): Allowance {
  const max = limits.naviDial?.minutesPerHandsetPerDay ?? DEFAULT_NAVI_DIAL_MINUTES_PER_HANDSET_PER_DAY;
  return minutesToday >= max ? { ok: false, limit: 'handset-navi-dial-minutes-per-day', detail: `${minutesToday} of ${max}` } : { ok: true };
}
