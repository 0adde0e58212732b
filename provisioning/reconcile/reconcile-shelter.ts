import type { Actor, Carrier as CarrierDoc, PhoneNumber, Shelter } from '../model/index.js';
import { message } from '../model/messages.js';
import { planAllocation, commitAllocation, planShortCodes } from '../allocation/index.js';
import { applyTransition } from '../numbers/lifecycle.js';
import { LOCAL_CODE, longForm, prefectureOf } from '../numbers/short-code-scheme.js';
import type { EngineDeps } from './engine-deps.js';
import type { Transaction } from '../store/store.js';
import type { JobAttempt } from './job-attempt.js';
import { raiseAlert } from '../jobs/alerts.js';
import { reconcileHandsetsOpen, reconcileHandsetsClosed } from './reconcile-handsets.js';
import { isNumberNotOnAccount } from '../carriers/carrier.js';
import { ensureCarrierSipDomain } from './carrier-sip-domain.js';
import { alertShelterService, readShelterHealth, writeShelterHealth } from '../carriers/shelter-health-sync.js';

export const RECONCILER: Actor = { id: 'reconciler', role: 'system', label: 'shelter reconciler' };

/** Numbers that belong to a shelter right now, in any state that still ties them to it. */
const HELD = new Set(['reserved', 'in_service', 'error', 'releasing']);

export async function heldNumbers(deps: EngineDeps, shelterId: string): Promise<PhoneNumber[]> {
  const { items } = await deps.store.query('numbers', { where: { shelterId }, limit: 50 });
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
async function candidatePool(deps: EngineDeps, shelter: Shelter): Promise<PhoneNumber[]> {
  const queries = [
    ...shelter.areaCodes.map((areaCode) => deps.store.query('numbers', { where: { state: 'available', areaCode }, limit: 150 })),
    deps.store.query('numbers', { where: { state: 'available', kind: '050' }, limit: 150 }),
    deps.store.query('numbers', { where: { state: 'aging', previousShelterId: shelter.id }, limit: 20 }),
  ];
  const pages = await Promise.all(queries);
  // The planner takes numbers in E.164 order: shelters allocated in parallel would all reach for
  // the same first number. Offer a few random numbers of every kind of choice instead (carrier,
  // area or 050, emergency-capable), so every preference stays possible and collisions are rare.
  const byChoice = new Map<string, PhoneNumber[]>();
  for (const n of shuffle(pages.flatMap((p) => p.items), deps.random)) {
    const key = n.state === 'aging' ? `reclaim:${n.e164}` : `${n.carrierId}|${n.areaCode ?? n.kind}|${n.emergencyCapable}`;
    const list = byChoice.get(key) ?? [];
    if (list.length < 3) list.push(n);
    byChoice.set(key, list);
  }
  return [...byChoice.values()].flat();
}

/** Lines in service per carrier, for the least-loaded preference (a count, not a scan). */
async function carrierLoad(deps: EngineDeps, carriers: CarrierDoc[]): Promise<Record<string, number>> {
  const counts = await Promise.all(carriers.map((c) => deps.store.count('numbers', { carrierId: c.id, state: 'in_service' })));
  return Object.fromEntries(carriers.map((c, i) => [c.id, counts[i]!]));
}

async function allCarriers(deps: EngineDeps): Promise<CarrierDoc[]> {
  return (await deps.store.query('carriers', { limit: 1000 })).items;
}

function working(n: PhoneNumber, down: ReadonlySet<string>): boolean {
  return (n.state === 'reserved' || n.state === 'in_service') && !down.has(n.carrierId);
}

/**
 * Where emergency-capable numbers are kept for shelters without one: everywhere while a carrier is
 * down (failovers run one shelter at a time, and a shelter whose service is not yet rewritten must
 * not lose its share to the first job that runs); otherwise the areas of open shelters that lack one.
 */
async function emergencyReserved(deps: EngineDeps, shelterId: string, down: ReadonlySet<string>): Promise<'all' | string[]> {
  if (down.size > 0) return 'all';
  const lacking = await deps.store.query('shelters', { where: { desiredStatus: 'open', noEmergencyLine: true }, limit: 1000 });
  return [...new Set(lacking.items.filter((s) => s.id !== shelterId).flatMap((s) => s.areaCodes))];
}

/** Allocates lines until the shelter has `lines` working ones (replacing lines on carriers that are down). */
async function allocate(deps: EngineDeps, run: JobAttempt, shelter: Shelter, carriers: CarrierDoc[], down: ReadonlySet<string>): Promise<PhoneNumber[]> {
  for (let round = 0; round < 6; round++) {
    // The shelter before its lines: the commit lands only if no other allocation bumped it since.
    const current = (await deps.store.get('shelters', shelter.id)) ?? shelter;
    const held = await heldNumbers(deps, shelter.id);
    const workingHeld = held.filter((n) => working(n, down));
    if (workingHeld.length >= current.lines) return held;
    // 新たな番号の提供拒否: after a fraud suspension, no new line until an admin reviews; the lines it has keep taking calls.
    const refusal = (await deps.store.get('fraudHolds', shelter.id))?.refusal;
    if (refusal) {
      await run.note('allocate', `new lines refused until an admin review: ${refusal.e164} was suspended for fraud`);
      return held;
    }
    const plan = planAllocation({
      shelters: [{ id: shelter.id, areaCodes: current.areaCodes, lines: current.lines, held: workingHeld }],
      pool: await candidatePool(deps, shelter),
      carriers,
      load: await carrierLoad(deps, carriers),
      now: deps.clock.now(),
      etocGraceDays: deps.etocGraceDays,
      excludeCarriers: [...down],
      emergencyReserved: await emergencyReserved(deps, shelter.id, down),
    });
    if (plan.assignments.length === 0) {
      const reasons = plan.shortfalls.flatMap((s) => s.reasons);
      if (workingHeld.length === 0) {
        await raiseAlert(deps.store, deps.clock.now(), { severity: 'critical', kind: 'no_line', shelterId: shelter.id, text: message('alert.shelter_no_line', { shelter: shelter.name }), detail: reasons.join('; ') || 'no number available' });
      }
      await run.note('allocate', `short of ${current.lines - workingHeld.length} line(s): ${reasons.join('; ')}`);
      return held;
    }
    const result = await commitAllocation(deps.store, plan, { at: deps.clock.now(), actor: RECONCILER, agingDays: deps.agingDays, shelters: new Map([[current.id, current]]) });
    if (result.conflicts.length === 0) {
      const after = await heldNumbers(deps, shelter.id);
      await run.note('allocate', `${after.filter((n) => working(n, down)).length} of ${current.lines} line(s): ${after.map((n) => n.e164).join(', ')}`);
      return after;
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
async function ensureShortCode(tx: Transaction, deps: EngineDeps, shelterId: string): Promise<string> {
  const shelter = await tx.get('shelters', shelterId);
  if (!shelter) throw new Error(`shelter ${shelterId} vanished`);
  const pp = prefectureOf(shelter.municipalityCode);
  const taken = new Set<string>();
  let wanted = shelter.shortCode && LOCAL_CODE.test(shelter.shortCode) ? shelter.shortCode : null;
  for (let probe = 0; probe < 50; probe++) {
    const code = wanted ?? planShortCodes([{ id: shelter.id, shortCode: null, municipalityCode: shelter.municipalityCode }], taken).get(shelter.id)!;
    const holders = await tx.query('shelters', { where: { shortCode: code, desiredStatus: 'open' }, limit: 100 });
    if (!holders.items.some((s) => s.id !== shelterId && prefectureOf(s.municipalityCode) === pp)) {
      if (code !== shelter.shortCode) tx.put('shelters', { ...shelter, shortCode: code, version: shelter.version + 1, updatedAt: deps.clock.now().toISOString() });
      return code;
    }
    taken.add(longForm(pp, code));
    wanted = null;
  }
  throw new Error(`no free short code found for shelter ${shelterId}`);
}

async function transition(deps: EngineDeps, e164: string, to: PhoneNumber['state'], reason: string, onlyFrom: PhoneNumber['state'][]): Promise<void> {
  await deps.store.transaction((tx) => transitionIn(tx, deps, e164, to, reason, onlyFrom));
}

type NumberMove = { e164: string; to: PhoneNumber['state']; reason: string; onlyFrom: PhoneNumber['state'][] };

/**
 * A carrier step whose success moves a number on (routed: in service; intercepted: aging), both
 * recorded in one transaction. A step an earlier attempt did is skipped, and the number is brought
 * along on its own, as it may have been set to error since.
 */
async function stepMovingNumber(deps: EngineDeps, run: JobAttempt, step: string, call: () => Promise<unknown>, move: NumberMove): Promise<void> {
  const doneBefore = run.isDone(step);
  await run.step(step, call, { onDone: (tx) => transitionIn(tx, deps, move.e164, move.to, move.reason, move.onlyFrom) });
  if (doneBefore) await transition(deps, move.e164, move.to, move.reason, move.onlyFrom);
}

/** A number's lifecycle step inside a transaction, if it is in one of `onlyFrom`; audited. */
async function transitionIn(tx: Transaction, deps: EngineDeps, e164: string, to: PhoneNumber['state'], reason: string, onlyFrom: PhoneNumber['state'][]): Promise<void> {
  const n = await tx.get('numbers', e164);
  if (!n || !onlyFrom.includes(n.state)) return;
  const { number, event } = applyTransition(n, to, { at: deps.clock.now(), actor: RECONCILER, reason, agingDays: deps.agingDays });
  tx.put('numbers', number);
  tx.put('audit', event);
}

/**
 * The job's end: its patch and the service its lines give now, written with the job's own last save
 * (skipped when superseded); the alerts about that service follow it.
 */
function setActualAtEnd(deps: EngineDeps, run: JobAttempt, shelterId: string, patch: Partial<Shelter>): void {
  let shelter: Shelter | null = null;
  run.finishWith(
    async (tx) => {
      const inputs = await readShelterHealth(tx, shelterId, deps.store);
      // Superseded by a newer request: that job sets the shelter's state.
      shelter = inputs && inputs.shelter.currentJobId === run.job.id ? writeShelterHealth(tx, inputs, deps.clock.now(), patch, { jobEnded: true }) : null;
    },
    () => alertShelterService(deps.store, shelter, deps.clock.now()),
  );
}

/** Lines a failover added: kept until the shelter closes, so the board can tell them from an over-allocation. */
async function recordReplacements(deps: EngineDeps, shelterId: string, added: string[]): Promise<void> {
  if (added.length === 0) return;
  await deps.store.transaction(async (tx) => {
    const s = await tx.get('shelters', shelterId);
    if (!s) return;
    const replacementLines = [...new Set([...(s.replacementLines ?? []), ...added])];
    tx.put('shelters', { ...s, replacementLines, version: s.version + 1, updatedAt: deps.clock.now().toISOString() });
  });
}

/** Drives one shelter's carriers to its desired state; every step may run again safely. */
export async function reconcileShelter(deps: EngineDeps, run: JobAttempt): Promise<'done' | 'superseded'> {
  const shelterId = run.job.shelterId!;
  const shelter = await deps.store.get('shelters', shelterId);
  if (!shelter || shelter.currentJobId !== run.job.id) return 'superseded';
  return shelter.desiredStatus === 'open' ? openShelter(deps, run, shelter) : closeShelter(deps, run, shelter);
}

/** How many times one attempt replaces lines whose numbers turned out not to be on their carrier's account. */
const SET_ASIDE_ROUNDS = 3;

async function openShelter(deps: EngineDeps, run: JobAttempt, shelter: Shelter): Promise<'done'> {
  const carriers = await allCarriers(deps);
  const down = new Set(carriers.filter((c) => c.health === 'down').map((c) => c.id));
  const before = await heldNumbers(deps, shelter.id);
  let shortCode = '';
  let healthy: PhoneNumber[] = [];
  const noDomain = new Set<string>();
  for (let round = 0; round < SET_ASIDE_ROUNDS; round++) {
    const held = await allocate(deps, run, shelter, carriers, down);
    if (before.some((n) => down.has(n.carrierId))) await recordReplacements(deps, shelter.id, held.filter((n) => !before.some((b) => b.e164 === n.e164)).map((n) => n.e164));
    const routable = held.filter((n) => n.state === 'reserved' || n.state === 'in_service' || n.state === 'error');
    await run.plan([...new Set(routable.map((n) => `sip-domain ${n.carrierId}`)), ...routable.map((n) => `route ${n.e164}`)], async (tx) => {
      shortCode = await ensureShortCode(tx, deps, shelter.id);
    });
    healthy = routable.filter((n) => !down.has(n.carrierId));
    for (const carrierId of new Set(healthy.map((n) => n.carrierId))) {
      const carrier = await deps.carriers.get(carrierId);
      const domain = await ensureCarrierSipDomain(deps, carrier, (make) => run.step(`sip-domain ${carrierId}`, make, { detail: (d) => d.domain }));
      if (domain === 'held_elsewhere') noDomain.add(carrierId);
    }
    const setAside: PhoneNumber[] = [];
    for (const n of healthy) {
      if ((await routeLine(deps, run, shelter, n)) === 'not_on_account') setAside.push(n);
    }
    for (const n of routable.filter((x) => down.has(x.carrierId))) await run.skip(`route ${n.e164}`, `carrier ${n.carrierId} is down; a line on another carrier replaces it`);
    healthy = healthy.filter((n) => !setAside.includes(n));
    // Numbers set aside left the shelter: the next round allocates their replacements.
    if (setAside.length === 0) break;
  }
  // Lines still ring where the SIP domain is held elsewhere; only handsets cannot register there.
  await reconcileHandsetsOpen(deps, run, shelter.id, healthy.filter((n) => !noDomain.has(n.carrierId)));
  setActualAtEnd(deps, run, shelter.id, {
    shortCode,
    openedAt: shelter.openedAt ?? deps.clock.now().toISOString(),
    closedAt: null,
  });
  return 'done';
}

/**
 * Routes one line. A number its carrier's account does not hold is no failure of the job: no retry
 * can route it, so it is set aside (withdrawn, with a critical alert naming it and its carrier) and
 * the caller allocates another.
 */
async function routeLine(deps: EngineDeps, run: JobAttempt, shelter: Shelter, n: PhoneNumber): Promise<'routed' | 'not_on_account'> {
  const carrier = await deps.carriers.get(n.carrierId);
  try {
    await stepMovingNumber(deps, run, `route ${n.e164}`, () => carrier.routeNumber(n.e164, { voiceUrl: deps.urls.voiceUrl, voiceFallbackUrl: deps.urls.voiceFallbackUrl, statusCallback: deps.urls.statusCallback }), {
      e164: n.e164, to: 'in_service', reason: `routed to shelter ${shelter.id} on its carrier`, onlyFrom: ['reserved', 'error'],
    });
    return 'routed';
  } catch (err) {
    if (!isNumberNotOnAccount(err)) throw err;
    // Through `error` (its configuration failed) to `withdrawn`: the lifecycle lets only a number out of service be withdrawn.
    await deps.store.transaction(async (tx) => {
      await transitionIn(tx, deps, n.e164, 'error', `carrier ${n.carrierId} does not hold it: ${err.message}`, ['reserved', 'in_service']);
    });
    await transition(deps, n.e164, 'withdrawn', `not on the account of carrier ${n.carrierId}; set aside until the member lends it again`, ['error']);
    await raiseAlert(deps.store, deps.clock.now(), {
      severity: 'critical', kind: 'number_not_on_account', carrierId: n.carrierId, shelterId: shelter.id,
      // Named, not by id: a viewer's board does not hold the carriers to look a name up.
      text: message('alert.number_not_on_account', { number: n.e164, carrier: (await deps.store.get('carriers', n.carrierId))?.name ?? n.carrierId }), detail: err.message,
    });
    return 'not_on_account';
  }
}

async function closeShelter(deps: EngineDeps, run: JobAttempt, shelter: Shelter): Promise<'done'> {
  const held = await heldNumbers(deps, shelter.id);
  await run.plan(held.flatMap((n) => [`intercept ${n.e164}`]));
  for (const n of held) await transition(deps, n.e164, 'releasing', `shelter ${shelter.id} closed`, ['reserved', 'in_service', 'error']);
  for (const n of held) {
    const carrier = await deps.carriers.get(n.carrierId);
    // Callers who dial a closed shelter hear that it closed, until the number ages out and is cleared.
    await stepMovingNumber(deps, run, `intercept ${n.e164}`, () => carrier.interceptNumber(n.e164, deps.urls.intercept('closed')), {
      e164: n.e164, to: 'aging', reason: `released by shelter ${shelter.id}`, onlyFrom: ['releasing'],
    });
  }
  await reconcileHandsetsClosed(deps, run, shelter.id, held);
  setActualAtEnd(deps, run, shelter.id, { actualStatus: 'closed', closedAt: deps.clock.now().toISOString(), replacementLines: [] });
  return 'done';
}
