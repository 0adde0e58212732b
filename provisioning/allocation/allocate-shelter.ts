import { bumpedAt } from '../store/versioned.js';
import type { Actor, Carrier as CarrierDoc, PhoneNumber, Shelter } from '../model/index.js';
import type { Store, Transaction } from '../store/store.js';
import type { Clock } from '../platform/clock.js';
import type { Random } from '../platform/random.js';
import { LOCAL_CODE, longForm, prefectureOf } from '../numbers/short-code-scheme.js';
import { planAllocation } from './plan-allocation.js';
import { commitAllocation } from './commit-allocation.js';
import { planShortCodes } from './short-codes.js';

/**
 * One shelter's allocation (its job's), beside a mass opening's (shelters/open-close.ts): both plan
 * with planAllocation and commit with commitAllocation; this one reads a bounded pool of its own.
 */

/** Numbers that belong to a shelter right now, in any state that still ties them to it. */
const HELD = new Set(['reserved', 'in_service', 'error', 'releasing']);

export async function heldNumbers(store: Store, shelterId: string): Promise<PhoneNumber[]> {
  const { items } = await store.query('numbers', { where: { shelterId }, limit: 50 });
  return items.filter((n) => HELD.has(n.state));
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** A bounded candidate pool for one shelter: its area's free numbers, 050s, and its own aging ones. */
async function candidatePool(store: Store, random: Random, shelter: Shelter): Promise<PhoneNumber[]> {
  const queries = [
    ...shelter.areaCodes.map((areaCode) => store.query('numbers', { where: { state: 'available', areaCode }, limit: 150 })),
    store.query('numbers', { where: { state: 'available', kind: '050' }, limit: 150 }),
    store.query('numbers', { where: { state: 'aging', previousShelterId: shelter.id }, limit: 20 }),
  ];
  const pages = await Promise.all(queries);
  // The planner takes numbers in E.164 order: shelters allocated in parallel would all reach for
  // the same first number. Offer a few random numbers of every kind of choice instead (carrier,
  // area or 050, emergency-capable), so every preference stays possible and collisions are rare.
  const byChoice = new Map<string, PhoneNumber[]>();
  for (const n of shuffle(pages.flatMap((p) => p.items), random)) {
    const key = n.state === 'aging' ? `reclaim:${n.e164}` : `${n.carrierId}|${n.areaCode ?? n.kind}|${n.emergencyCapable}`;
    const list = byChoice.get(key) ?? [];
    if (list.length < 3) list.push(n);
    byChoice.set(key, list);
  }
  return [...byChoice.values()].flat();
}

/** Lines in service per carrier, for the least-loaded preference (a count, not a scan). */
async function carrierLoad(store: Store, carriers: CarrierDoc[]): Promise<Record<string, number>> {
  const counts = await Promise.all(carriers.map((c) => store.count('numbers', { carrierId: c.id, state: 'in_service' })));
  return Object.fromEntries(carriers.map((c, i) => [c.id, counts[i]!]));
}

export function working(n: PhoneNumber, down: ReadonlySet<string>): boolean {
  return (n.state === 'reserved' || n.state === 'in_service') && !down.has(n.carrierId);
}

/**
 * Where emergency-capable numbers are kept for shelters without one: everywhere while a carrier is
 * down (failovers run one shelter at a time, and a shelter whose service is not yet rewritten must
 * not lose its share to the first job that runs); otherwise the areas of open shelters that lack one.
 */
async function emergencyReserved(store: Store, shelterId: string, down: ReadonlySet<string>): Promise<'all' | string[]> {
  if (down.size > 0) return 'all';
  const lacking = await store.query('shelters', { where: { desiredStatus: 'open', noEmergencyLine: true }, limit: 1000 });
  return [...new Set(lacking.items.filter((s) => s.id !== shelterId).flatMap((s) => s.areaCodes))];
}

export interface ShelterAllocationContext {
  clock: Clock;
  random: Random;
  actor: Actor;
  agingDays: number;
  etocGraceDays: number;
}

/**
 * What one shelter's allocation came to: the lines it holds, what to note about it, and, when it
 * has no working line and none could be found, why (its job raises the no-line alert).
 */
export interface ShelterAllocation {
  held: PhoneNumber[];
  note: string | null;
  noLine: string | null;
}

/** Allocates lines until the shelter has `lines` working ones (replacing lines on carriers that are down). */
export async function allocateShelterLines(store: Store, shelter: Shelter, carriers: CarrierDoc[], down: ReadonlySet<string>, ctx: ShelterAllocationContext): Promise<ShelterAllocation> {
  for (let round = 0; round < 6; round++) {
    // The shelter before its lines: the commit lands only if no other allocation bumped it since.
    const current = (await store.get('shelters', shelter.id)) ?? shelter;
    const held = await heldNumbers(store, shelter.id);
    const workingHeld = held.filter((n) => working(n, down));
    if (workingHeld.length >= current.lines) return { held, note: null, noLine: null };
    // 新たな番号の提供拒否: after a fraud suspension, no new line until an admin reviews; the lines it has keep taking calls.
    const refusal = (await store.get('fraudHolds', shelter.id))?.refusal;
    if (refusal) return { held, note: `new lines refused until an admin review: ${refusal.e164} was suspended for fraud`, noLine: null };
    const plan = planAllocation({
      shelters: [{ id: shelter.id, areaCodes: current.areaCodes, lines: current.lines, held: workingHeld }],
      pool: await candidatePool(store, ctx.random, shelter),
      carriers,
      load: await carrierLoad(store, carriers),
      now: ctx.clock.now(),
      etocGraceDays: ctx.etocGraceDays,
      excludeCarriers: [...down],
      emergencyReserved: await emergencyReserved(store, shelter.id, down),
    });
    if (plan.assignments.length === 0) {
      const reasons = plan.shortfalls.flatMap((s) => s.reasons);
      return {
        held,
        note: `short of ${current.lines - workingHeld.length} line(s): ${reasons.join('; ')}`,
        noLine: workingHeld.length === 0 ? reasons.join('; ') || 'no number available' : null,
      };
    }
    const result = await commitAllocation(store, plan, { at: ctx.clock.now(), actor: ctx.actor, agingDays: ctx.agingDays, shelters: new Map([[current.id, current]]) });
    if (result.conflicts.length === 0) {
      const after = await heldNumbers(store, shelter.id);
      return { held: after, note: `${after.filter((n) => working(n, down)).length} of ${current.lines} line(s): ${after.map((n) => n.e164).join(', ')}`, noLine: null };
    }
  }
  // Other shelters kept taking the numbers planned for this one: try the whole job again later.
  throw new Error(`allocation for shelter ${shelter.id} kept colliding with parallel openings; will retry`);
}

/**
 * Inside the job's plan save: keeps the shelter's previous short code when free; unique among
 * open shelters of its prefecture. Each candidate is checked with one indexed query (at most one holder per
 * prefecture), so this costs the same with ten or ten thousand shelters open.
 */
export async function ensureShortCode(tx: Transaction, shelterId: string, clock: Clock): Promise<string> {
  const shelter = await tx.get('shelters', shelterId);
  if (!shelter) throw new Error(`shelter ${shelterId} vanished`);
  const pp = prefectureOf(shelter.municipalityCode);
  const taken = new Set<string>();
  let wanted = shelter.shortCode && LOCAL_CODE.test(shelter.shortCode) ? shelter.shortCode : null;
  for (let probe = 0; probe < 50; probe++) {
    const code = wanted ?? planShortCodes([{ id: shelter.id, shortCode: null, municipalityCode: shelter.municipalityCode }], taken).get(shelter.id)!;
    const holders = await tx.query('shelters', { where: { shortCode: code, desiredStatus: 'open' }, limit: 100 });
    if (!holders.items.some((s) => s.id !== shelterId && prefectureOf(s.municipalityCode) === pp)) {
      if (code !== shelter.shortCode) tx.put('shelters', bumpedAt(shelter, clock.now(), { shortCode: code }));
      return code;
    }
    taken.add(longForm(pp, code));
    wanted = null;
  }
  throw new Error(`no free short code found for shelter ${shelterId}`);
}
