import type { Carrier, PhoneNumber } from '../model/index.js';
import { message, messageText, type Message } from '../model/messages.js';
import { carrierGates, type CarrierGate } from './carrier-gate.js';
import { areaKey, indexPool, type PoolIndex } from './pool-index.js';

export type ShelterDemand = {
  id: string;
  areaCodes: string[];
  lines: number;
  /** Numbers already reserved or in service for it: they count towards `lines`. */
  held: PhoneNumber[];
};

export type AllocationInput = {
  shelters: ShelterDemand[];
  /** Candidate numbers: state available or aging (others are ignored). */
  pool: PhoneNumber[];
  carriers: Carrier[];
  /** Numbers in service per carrier id. */
  load: Record<string, number>;
  now: Date;
  etocGraceDays: number;
  excludeCarriers?: string[];
  /**
   * Emergency-capable numbers kept for shelters that have no working one: a shelter that has one
   * takes no second from these areas ('all': from anywhere, as during an outage). Shelters of the
   * same plan that still lack one hold their areas back too.
   */
  emergencyReserved?: 'all' | readonly string[];
};

/** `why` is each reason as a code the board words; `reasons` the same in English for the API and audit. */
export type Assignment = { shelterId: string; e164: string; carrierId: string; reclaim: boolean; reasons: string[]; why: Message[] };
export type Shortfall = { shelterId: string; missing: number; reasons: string[] };
export type AllocationPlan = { assignments: Assignment[]; shortfalls: Shortfall[] };

export class AllocationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AllocationInputError';
  }
}

/** One shelter while the plan is being made. */
type Need = {
  demand: ShelterDemand;
  areas: string[];
  missing: number;
  carriers: Set<string>;
  hasEmergency: boolean;
  stuck: boolean;
};

type Kind = 'emergency' | '0ABJ' | '050';

/** Preference order of a pick: a carrier the shelter lacks before the same one, 0AB-J before 050. */
const TIERS: ReadonlyArray<readonly [Kind, boolean]> = [['0ABJ', true], ['050', true], ['0ABJ', false], ['050', false]];
/** Until the shelter has an emergency-capable 0AB-J of its area, that comes first (from any carrier). */
const TIERS_WITH_EMERGENCY: ReadonlyArray<readonly [Kind, boolean]> = [['emergency', true], ['emergency', false], ...TIERS];
type Pick = { number: PhoneNumber; candidates: number };

function validate(input: AllocationInput): void {
  if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime())) throw new AllocationInputError('now is not a valid date');
  const ids = new Set<string>();
  for (const s of input.shelters) {
    if (!s.id) throw new AllocationInputError('a shelter has no id');
    if (ids.has(s.id)) throw new AllocationInputError(`shelter ${s.id} appears twice in one allocation`);
    ids.add(s.id);
    if (!Number.isInteger(s.lines) || s.lines < 0 || s.lines > 10) {
      throw new AllocationInputError(`shelter ${s.id}: lines must be a whole number from 0 to 10, got ${s.lines}`);
    }
  }
  for (const [carrierId, n] of Object.entries(input.load)) {
    if (!Number.isFinite(n) || n < 0) throw new AllocationInputError(`load of carrier ${carrierId} must be a count ≥ 0, got ${n}`);
  }
}

function inArea(n: PhoneNumber, areas: readonly string[]): boolean {
  return n.kind === '0ABJ' && n.areaCode !== null && areas.includes(areaKey(n.areaCode));
}

/**
 * Plans numbers for many shelters in one pass: hard constraints first (state, carrier eligibility
 * and health, number area, one shelter per number), then the preferences of DESIGN.md
 * "Allocation", each pick with its reasons. Pure: the store is not touched.
 */
export function planAllocation(input: AllocationInput): AllocationPlan {
  validate(input);
  const gates = carrierGates(input.carriers, input);
  const index = indexPool(input.pool, gates, input.now);
  const order = [...gates.values()].filter((g) => g.open).sort((a, b) => (a.carrier.id < b.carrier.id ? -1 : 1));
  const load = new Map<string, number>(order.map((g) => [g.carrier.id, input.load[g.carrier.id] ?? 0]));
  const used = new Set<string>();
  for (const s of input.shelters) for (const h of s.held) used.add(h.e164);

  const needs: Need[] = input.shelters.map((demand) => {
    const areas = demand.areaCodes.map(areaKey);
    return {
      demand,
      areas,
      missing: Math.max(0, demand.lines - demand.held.length),
      carriers: new Set(demand.held.map((h) => h.carrierId)),
      hasEmergency: demand.held.some((h) => h.emergencyCapable && inArea(h, areas)),
      stuck: false,
    };
  });
  const assignments: Assignment[] = [];
  const carrierName = (id: string): string => gates.get(id)?.carrier.name ?? id;

  // Fair shares of scarce emergency lines: per area, how many shelters of this plan still want one.
  const reservedAreas = input.emergencyReserved === 'all' ? null : new Set((input.emergencyReserved ?? []).map(areaKey));
  const lacking = new Map<string, number>();
  const countLacking = (need: Need, by: 1 | -1) => {
    for (const a of need.areas) lacking.set(a, (lacking.get(a) ?? 0) + by);
  };
  const wantsEmergency = (need: Need) => !need.hasEmergency && need.missing > 0 && !need.stuck;
  for (const need of needs) if (wantsEmergency(need)) countLacking(need, 1);
  /** A shelter with an emergency line leaves this area's emergency numbers to shelters without one. */
  const heldBack = (need: Need, area: string): boolean =>
    need.hasEmergency && (reservedAreas === null || reservedAreas.has(area) || (lacking.get(area) ?? 0) > 0);
  const settle = (need: Need, wanted: boolean) => {
    if (wanted && !wantsEmergency(need)) countLacking(need, -1);
  };

  const record = (need: Need, n: PhoneNumber, why: Message[], reclaim: boolean): void => {
    const wanted = wantsEmergency(need);
    used.add(n.e164);
    load.set(n.carrierId, (load.get(n.carrierId) ?? 0) + 1);
    need.carriers.add(n.carrierId);
    if (n.emergencyCapable && inArea(n, need.areas)) need.hasEmergency = true;
    need.missing--;
    settle(need, wanted);
    assignments.push({ shelterId: need.demand.id, e164: n.e164, carrierId: n.carrierId, reclaim, reasons: why.map(messageText), why });
  };

  const diversityReason = (need: Need, carrierId: string, forEmergency = false): Message | null => {
    if (need.carriers.size === 0) return null;
    const carriers = [...need.carriers].map(carrierName).join(', ');
    if (!need.carriers.has(carrierId)) return message('reason.other_carrier', { carriers });
    return message(forEmergency ? 'reason.same_carrier_emergency' : 'reason.same_carrier_only', { carriers });
  };

  const kindReason = (need: Need, n: PhoneNumber): Message =>
    n.kind === '050'
      ? message('reason.ip050_fallback')
      : message(n.emergencyCapable ? 'reason.area_emergency' : 'reason.area_plain', { area: areaKey(n.areaCode!) });

  // 1. Previous numbers first: callers already know them.
  for (const need of needs) {
    const own = (index.reclaim.get(need.demand.id) ?? []).filter((n) => !used.has(n.e164) && (n.kind === '050' || inArea(n, need.areas)));
    while (need.missing > 0 && own.length > 0) {
      own.sort((a, b) => reclaimRank(need, a) - reclaimRank(need, b) || (a.e164 < b.e164 ? -1 : 1));
      const n = own.shift()!;
      if (used.has(n.e164) || (load.get(n.carrierId) ?? 0) >= gates.get(n.carrierId)!.maxLines) continue;
      const reclaimed = n.state === 'aging' && n.agingUntil && Date.parse(n.agingUntil) > input.now.getTime()
        ? message('reason.reclaimed_aging', { until: n.agingUntil })
        : message('reason.reclaimed');
      const reasons = [reclaimed, kindReason(need, n)];
      const div = diversityReason(need, n.carrierId);
      if (div) reasons.push(div);
      record(need, n, reasons, true);
    }
  }

  const peek = (need: Need, carrierId: string, kind: Kind): PhoneNumber | null => {
    if (kind === '050') return index.ip050.get(carrierId)?.peek(used) ?? null;
    for (const area of need.areas) {
      const b = index.area.get(area)?.get(carrierId);
      if (!b) continue;
      const emergency = heldBack(need, area) ? null : b.emergency.peek(used);
      const n = emergency ?? (kind === '0ABJ' ? b.plain.peek(used) : null);
      if (n) return n;
    }
    return null;
  };

  /** The least-loaded carrier offering a number of this kind (optionally one the shelter lacks). */
  const pickFrom = (need: Need, kind: Kind, newCarrierOnly: boolean): Pick | null => {
    let best: PhoneNumber | null = null;
    let bestLoad = Number.POSITIVE_INFINITY;
    let candidates = 0;
    for (const g of order) {
      const id = g.carrier.id;
      if (newCarrierOnly && need.carriers.has(id)) continue;
      const l = load.get(id) ?? 0;
      if (l >= g.maxLines) continue;
      const n = peek(need, id, kind);
      if (!n) continue;
      candidates++;
      if (l < bestLoad) {
        best = n;
        bestLoad = l;
      }
    }
    return best ? { number: best, candidates } : null;
  };

  const pickOne = (need: Need): boolean => {
    for (const [kind, newOnly] of need.hasEmergency ? TIERS : TIERS_WITH_EMERGENCY) {
      const pick = pickFrom(need, kind, newOnly);
      if (!pick) continue;
      const n = pick.number;
      const reasons = [kindReason(need, n)];
      const div = diversityReason(need, n.carrierId, kind === 'emergency');
      if (div) reasons.push(div);
      const l = load.get(n.carrierId) ?? 0;
      reasons.push(message(pick.candidates > 1 ? 'reason.least_loaded' : 'reason.only_carrier', { lines: l }));
      record(need, n, reasons, false);
      return true;
    }
    return false;
  };

  // 2. Round-robin: every shelter gets its first line before any gets its second.
  let active = needs.filter((n) => n.missing > 0);
  while (active.length > 0) {
    for (const need of active) {
      if (pickOne(need)) continue;
      const wanted = wantsEmergency(need);
      need.stuck = true;
      settle(need, wanted);
    }
    active = active.filter((n) => n.missing > 0 && !n.stuck);
  }

  const shortfalls: Shortfall[] = needs
    .filter((n) => n.missing > 0)
    .map((need) => ({ shelterId: need.demand.id, missing: need.missing, reasons: explainShortfall(need, index, gates, order, load, used) }));
  return { assignments, shortfalls };
}

function reclaimRank(need: Need, n: PhoneNumber): number {
  const emergency = !need.hasEmergency && n.emergencyCapable && inArea(n, need.areas) ? 0 : 2;
  return emergency + (need.carriers.has(n.carrierId) ? 1 : 0);
}

/** Why a shelter could not get all its lines, in words a coordinator can act on. */
function explainShortfall(
  need: Need,
  index: PoolIndex,
  gates: ReadonlyMap<string, CarrierGate>,
  order: readonly CarrierGate[],
  load: ReadonlyMap<string, number>,
  used: ReadonlySet<string>,
): string[] {
  const reasons: string[] = [];
  const name = (id: string): string => gates.get(id)?.carrier.name ?? id;
  if (order.length === 0) {
    const why = [...gates.values()].map((g) => `${g.carrier.name}: ${g.reasons.join('; ') || 'no reason recorded'}`);
    reasons.push(`no carrier may lend now (all frozen, uncertified, down or excluded)${why.length ? ` — ${why.join(' | ')}` : ''}`);
    return reasons;
  }
  const full = order.filter((g) => (load.get(g.carrier.id) ?? 0) >= g.maxLines).map((g) => `${g.carrier.name} (${g.maxLines})`);
  if (full.length > 0) reasons.push(`carriers at their line limit: ${full.join(', ')}`);

  if (need.areas.length === 0) reasons.push("the shelter's number area is unknown, so no 0AB-J number can serve it");
  for (const area of need.areas) {
    const byCarrier = index.area.get(area);
    let total = 0;
    let left = 0;
    for (const [carrierId, b] of byCarrier ?? []) {
      total += b.emergency.items.length + b.plain.items.length;
      const g = gates.get(carrierId)!;
      if ((load.get(carrierId) ?? 0) < g.maxLines) left += b.emergency.remaining(used) + b.plain.remaining(used);
    }
    if (total > 0 && left === 0) reasons.push(`every 0AB-J number of area ${area} is taken (${total} in the pool)`);
    const blocked = index.stats.blockedArea.get(area);
    if (blocked && blocked.size > 0) {
      const who = [...blocked].map(([id, n]) => `${name(id)} ×${n} (${gates.get(id)!.reasons.join('; ')})`);
      reasons.push(`0AB-J numbers of area ${area} from carriers that may not lend them now: ${who.join(', ')}`);
    }
    const quarantined = index.stats.quarantinedArea.get(area) ?? 0;
    if (quarantined > 0) reasons.push(`${quarantined} 0AB-J numbers of area ${area} are ageing for the shelters that released them`);
    if (total === 0 && !blocked && quarantined === 0) reasons.push(`no 0AB-J number of area ${area} in the pool`);
  }
  let total050 = 0;
  let left050 = 0;
  for (const [carrierId, b] of index.ip050) {
    total050 += b.items.length;
    if ((load.get(carrierId) ?? 0) < gates.get(carrierId)!.maxLines) left050 += b.remaining(used);
  }
  if (total050 === 0) {
    reasons.push(index.stats.blocked050.size > 0
      ? `050 numbers only from carriers that may not lend now: ${[...index.stats.blocked050.keys()].map(name).join(', ')}`
      : 'no 050 number in the pool to fall back on');
  } else if (left050 === 0) {
    reasons.push(`every 050 number is taken (${total050} in the pool)`);
  }
  return reasons;
}

