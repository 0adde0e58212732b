import type { Carrier as CarrierDoc, PhoneNumber, Shelter } from '../model/index.js';
import { message } from '../model/messages.js';
import { allocateShelterLines, ensureShortCode, heldNumbers } from '../allocation/index.js';
import { applyTransition } from '../numbers/lifecycle.js';
import { RECONCILER, type EngineDeps } from './engine-deps.js';
import type { Transaction } from '../store/store.js';
import type { JobAttempt } from './job-attempt.js';
import type { ReconcileResult } from './reconcile-result.js';
import { raiseAlert } from '../alerts/alerts.js';
import { reconcileHandsetsOpen, reconcileHandsetsClosed } from './reconcile-handsets.js';
import { isNumberNotOnAccount } from '../carriers/carrier.js';
import { ensureCarrierSipDomain } from './carrier-sip-domain.js';
import { alertShelterService, readShelterHealth, writeShelterHealth } from '../carriers/shelter-health-sync.js';
import { bumpedAt } from '../store/versioned.js';

async function allCarriers(deps: EngineDeps): Promise<CarrierDoc[]> {
  return (await deps.store.query('carriers', { limit: 1000 })).items;
}

/** The shelter's allocation (allocation/allocate-shelter.ts), noted on the job; no line at all is a critical alert. */
async function allocate(deps: EngineDeps, run: JobAttempt, shelter: Shelter, carriers: CarrierDoc[], down: ReadonlySet<string>): Promise<PhoneNumber[]> {
  const { held, note, noLine } = await allocateShelterLines(deps.store, shelter, carriers, down, { clock: deps.clock, random: deps.random, actor: RECONCILER, agingDays: deps.agingDays, etocGraceDays: deps.etocGraceDays });
  if (noLine) await raiseAlert(deps.store, deps.clock.now(), { severity: 'critical', kind: 'no_line', shelterId: shelter.id, text: message('alert.shelter_no_line', { shelter: shelter.name }), detail: noLine });
  if (note) await run.note('allocate', note);
  return held;
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
 * (skipped when superseded meanwhile: that job sets the shelter's state); the alerts about that service follow it.
 */
function shelterEndState(deps: EngineDeps, run: JobAttempt, shelterId: string, patch: Partial<Shelter>): ReconcileResult {
  let shelter: Shelter | null = null;
  return {
    is: 'done',
    record: async (tx) => {
      const inputs = await readShelterHealth(tx, shelterId, deps.store);
      shelter = inputs && inputs.shelter.currentJobId === run.job.id ? writeShelterHealth(tx, inputs, deps.clock.now(), patch, { jobEnded: true }) : null;
    },
    afterwards: () => alertShelterService(deps.store, shelter, deps.clock.now()),
  };
}

/** Lines a failover added: kept until the shelter closes, so the board can tell them from an over-allocation. */
async function recordReplacements(deps: EngineDeps, shelterId: string, added: string[]): Promise<void> {
  if (added.length === 0) return;
  await deps.store.transaction(async (tx) => {
    const s = await tx.get('shelters', shelterId);
    if (!s) return;
    const replacementLines = [...new Set([...(s.replacementLines ?? []), ...added])];
    tx.put('shelters', bumpedAt(s, deps.clock.now(), { replacementLines }));
  });
}

/** Drives one shelter's carriers to its desired state; every step may run again safely. */
export async function reconcileShelter(deps: EngineDeps, run: JobAttempt): Promise<ReconcileResult> {
  const shelterId = run.job.shelterId!;
  const shelter = await deps.store.get('shelters', shelterId);
  if (!shelter || shelter.currentJobId !== run.job.id) return { is: 'superseded' };
  return shelter.desiredStatus === 'open' ? openShelter(deps, run, shelter) : closeShelter(deps, run, shelter);
}

/** How many times one attempt replaces lines whose numbers turned out not to be on their carrier's account. */
const SET_ASIDE_ROUNDS = 3;

async function openShelter(deps: EngineDeps, run: JobAttempt, shelter: Shelter): Promise<ReconcileResult> {
  const carriers = await allCarriers(deps);
  const down = new Set(carriers.filter((c) => c.health === 'down').map((c) => c.id));
  const before = await heldNumbers(deps.store, shelter.id);
  let shortCode = '';
  let healthy: PhoneNumber[] = [];
  const noDomain = new Set<string>();
  for (let round = 0; round < SET_ASIDE_ROUNDS; round++) {
    const held = await allocate(deps, run, shelter, carriers, down);
    if (before.some((n) => down.has(n.carrierId))) await recordReplacements(deps, shelter.id, held.filter((n) => !before.some((b) => b.e164 === n.e164)).map((n) => n.e164));
    const routable = held.filter((n) => n.state === 'reserved' || n.state === 'in_service' || n.state === 'error');
    await run.plan([...new Set(routable.map((n) => `sip-domain ${n.carrierId}`)), ...routable.map((n) => `route ${n.e164}`)], async (tx) => {
      shortCode = await ensureShortCode(tx, shelter.id, deps.clock);
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
  return shelterEndState(deps, run, shelter.id, {
    shortCode,
    openedAt: shelter.openedAt ?? deps.clock.now().toISOString(),
    closedAt: null,
  });
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

async function closeShelter(deps: EngineDeps, run: JobAttempt, shelter: Shelter): Promise<ReconcileResult> {
  const held = await heldNumbers(deps.store, shelter.id);
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
  return shelterEndState(deps, run, shelter.id, { actualStatus: 'closed', closedAt: deps.clock.now().toISOString(), replacementLines: [] });
}
