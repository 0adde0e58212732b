import { sweepExpiredIdempotency } from '../access/idempotency-records.js';
import type { Carrier as CarrierDoc, Handset, PhoneNumber } from '../model/index.js';
import type { Page } from '../store/store.js';
import { settleAging } from '../numbers/lifecycle.js';
import { CarrierError, CarrierPending, type Carrier, type VoiceRouting } from '../carriers/carrier.js';
import { carrierHealthChanged, nextProbeInMs } from '../carriers/carrier-health.js';
import { checkCertifications, type CertificationCheckReport } from '../compliance/certification-check.js';
import { appendAudit } from '../audit/audit-log.js';
import { describeError } from '../errors.js';
import type { EngineDeps } from './engine.js';
import { RECONCILER } from './reconcile-shelter.js';
import { refreshShelterHealth } from '../carriers/shelter-health-sync.js';
import { ensureCarrierSipDomain } from './carrier-sip-domain.js';
import { resolveAlerts } from '../jobs/alerts.js';

async function pagesOf(deps: EngineDeps, where: { state?: PhoneNumber['state']; carrierId?: string }, fn: (n: PhoneNumber) => Promise<void>): Promise<void> {
  let cursor: string | null = null;
  do {
    const page: Page<PhoneNumber> = await deps.store.query('numbers', { where, limit: 500, cursor });
    for (const n of page.items) await fn(n);
    cursor = page.nextCursor;
  } while (cursor);
}

const agingDue = (n: PhoneNumber, now: Date) => n.state === 'aging' && (!n.agingUntil || n.agingUntil <= now.toISOString());

/** Numbers whose quarantine ended: routing cleared on the carrier, then `available`. */
export async function settleAgedNumbers(deps: EngineDeps): Promise<{ settled: string[] }> {
  const now = deps.clock.now();
  const settled: string[] = [];
  await pagesOf(deps, { state: 'aging' }, async (n) => {
    if (!agingDue(n, now)) return;
    try {
      await (await deps.carriers.get(n.carrierId)).resetNumber(n.e164);
    } catch (err) {
      deps.logger.warn({ e164: n.e164, error: describeError(err) }, 'could not clear an aged number yet');
      return;
    }
    await deps.store.transaction(async (tx) => {
      const cur = await tx.get('numbers', n.e164);
      const moved = cur ? settleAging(cur, now, RECONCILER) : null;
      if (!moved) return;
      tx.put('numbers', moved.number);
      tx.put('audit', moved.event);
      settled.push(n.e164);
    });
  });
  return { settled };
}

export interface DriftReport {
  checked: number;
  /** In-service numbers whose routing was seen (or repaired) and so count as working again. */
  confirmed: string[];
  repaired: Array<{ e164: string; carrierId: string; expected: string; found: string | null }>;
  /** Handset credentials created again or removed, and SIP domains put back, per carrier. */
  credentials: Array<{ carrierId: string; shelterId: string; username: string; action: 'created' | 'deleted' }>;
  domains: string[];
  unreachable: string[];
}

const isCarrierTrouble = (err: unknown) => err instanceof CarrierError || err instanceof CarrierPending;

async function audited(deps: EngineDeps, entity: { collection: string; id: string }, from: string | null, to: string, reason: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    appendAudit(tx, { at: deps.clock.now(), actor: RECONCILER, action: 'drift.repaired', entity, from, to, reason });
  });
}

/** One carrier's numbers: observed in one listing, repaired where the routing differs from what the state wants. */
async function driftNumbers(deps: EngineDeps, carrier: Carrier, report: DriftReport, touched: Set<string>): Promise<void> {
  const now = deps.clock.now();
  const wanted: PhoneNumber[] = [];
  await pagesOf(deps, { carrierId: carrier.carrierId }, async (n) => {
    // A due aging number belongs to settleAgedNumbers, which resets it: intercepting it again would undo that.
    if (n.state === 'in_service' || n.state === 'suspended' || (n.state === 'aging' && !agingDue(n, now))) wanted.push(n);
  });
  if (wanted.length === 0) return;
  let observed: Map<string, VoiceRouting | null>;
  try {
    observed = new Map((await carrier.discoverNumbers()).map((d) => [d.e164, d.routing]));
  } catch (err) {
    if (!isCarrierTrouble(err)) throw err;
    report.unreachable.push(...wanted.map((n) => n.e164));
    return;
  }
  for (const n of wanted) {
    report.checked++;
    const expected = n.state === 'in_service' ? deps.urls.voiceUrl : deps.urls.intercept(n.state === 'suspended' ? 'suspended' : 'closed');
    const actual = observed.get(n.e164)?.voiceUrl ?? null;
    if (actual === expected) {
      if (n.state === 'in_service') await confirmRouting(deps, n.e164, touched, report);
      continue;
    }
    try {
      if (n.state === 'in_service') await carrier.routeNumber(n.e164, { voiceUrl: deps.urls.voiceUrl, voiceFallbackUrl: deps.urls.voiceFallbackUrl, statusCallback: deps.urls.statusCallback });
      else await carrier.interceptNumber(n.e164, expected);
    } catch (err) {
      if (!isCarrierTrouble(err)) throw err;
      report.unreachable.push(n.e164);
      continue;
    }
    report.repaired.push({ e164: n.e164, carrierId: n.carrierId, expected, found: actual });
    await audited(deps, { collection: 'numbers', id: n.e164 }, actual, expected, `carrier ${n.carrierId} routing differed from the desired state (${n.state})`);
    if (n.state === 'in_service') await confirmRouting(deps, n.e164, touched, report);
  }
}

/** One carrier's SIP side: its domain calls us, and each open shelter's list holds exactly its active handsets. */
async function driftCredentials(deps: EngineDeps, carrier: Carrier, handsets: Handset[], report: DriftReport): Promise<void> {
  const byShelter = new Map<string, Array<{ username: string; passwordEncrypted: string }>>();
  for (const h of handsets) {
    for (const c of h.credentials) {
      if (c.carrierId !== carrier.carrierId || c.state !== 'active' || h.status !== 'active') continue;
      byShelter.set(h.shelterId, [...(byShelter.get(h.shelterId) ?? []), { username: c.username, passwordEncrypted: c.passwordEncrypted }]);
    }
  }
  if (byShelter.size === 0) return;
  try {
    const domain = await ensureCarrierSipDomain(deps, carrier);
    // Held elsewhere: the alert says what to set; the lists wait for a domain to be mapped onto.
    if (domain === 'held_elsewhere') return;
    if (domain.domain) report.domains.push(domain.domain);
    // Drift (not each opening, which would query alerts once per job) is what sees a held name come free.
    await resolveAlerts(deps.store, deps.clock.now(), { kind: 'sip_domain_held_elsewhere', carrierId: carrier.carrierId, shelterId: null });
    for (const [shelterId, wanted] of byShelter) {
      const present = new Set(await carrier.listCredentials(shelterId));
      for (const w of wanted) {
        if (present.has(w.username)) continue;
        await carrier.ensureCredential({ shelterId, username: w.username, password: deps.secrets.open(w.passwordEncrypted) });
        report.credentials.push({ carrierId: carrier.carrierId, shelterId, username: w.username, action: 'created' });
        await audited(deps, { collection: 'shelters', id: shelterId }, null, w.username, `carrier ${carrier.carrierId} had lost the credential of an active handset`);
      }
      const known = new Set(wanted.map((w) => w.username));
      for (const username of present) {
        if (known.has(username)) continue;
        await carrier.deleteCredential(shelterId, username);
        report.credentials.push({ carrierId: carrier.carrierId, shelterId, username, action: 'deleted' });
        await audited(deps, { collection: 'shelters', id: shelterId }, username, '(none)', `carrier ${carrier.carrierId} held a credential no active handset has`);
      }
    }
  } catch (err) {
    if (!isCarrierTrouble(err)) throw err;
    report.unreachable.push(`${carrier.carrierId}:sip`);
  }
}

/**
 * Compares each carrier's actual state with the desired one — number routing, the SIP domain and
 * the handset credentials of open shelters — repairs what drifted and audits it. Carriers that are
 * down are skipped (failover covers them; the health probe brings them back). An in-service number
 * whose routing it saw (or repaired) is confirmed: that is when a recovered carrier's lines count as
 * working again, and their shelters' service is recomputed.
 */
export async function driftCheck(deps: EngineDeps): Promise<DriftReport> {
  const report: DriftReport = { checked: 0, confirmed: [], repaired: [], credentials: [], domains: [], unreachable: [] };
  const touched = new Set<string>();
  const carriers = (await deps.store.query('carriers', { limit: 1000 })).items.filter((c) => c.health !== 'down');
  const handsets = (await deps.store.query('handsets', { where: { status: 'active' }, limit: 10_000 })).items;
  for (const doc of carriers) {
    const carrier = await deps.carriers.get(doc.id);
    await driftNumbers(deps, carrier, report, touched);
    await driftCredentials(deps, carrier, handsets, report);
  }
  for (const shelterId of touched) await refreshShelterHealth(deps.store, shelterId, deps.clock.now());
  return report;
}

/** Marks an in-service number's routing as seen now, if it was not; notes its shelter for a service refresh. */
async function confirmRouting(deps: EngineDeps, e164: string, touched: Set<string>, report: DriftReport): Promise<void> {
  const at = deps.clock.now().toISOString();
  const confirmed = await deps.store.transaction(async (tx) => {
    const cur = await tx.get('numbers', e164);
    if (!cur || cur.state !== 'in_service' || cur.routingConfirmedAt) return null;
    tx.put('numbers', { ...cur, routingConfirmedAt: at, version: cur.version + 1, updatedAt: at });
    return { shelterId: cur.shelterId };
  });
  if (!confirmed) return;
  report.confirmed.push(e164);
  if (confirmed.shelterId) touched.add(confirmed.shelterId);
}

/**
 * A carrier the adapter marked down (not a coordinator) is asked a cheap health question; when it
 * answers, it is up again and its shelters are reconciled, without anyone marking it by hand.
 */
export async function probeDownCarriers(deps: EngineDeps): Promise<{ recovered: string[] }> {
  const recovered: string[] = [];
  const down = (await deps.store.query('carriers', { where: { health: 'down' }, limit: 1000 })).items.filter((c: CarrierDoc) => !c.manualDown);
  for (const doc of down) {
    const health = await (await deps.carriers.get(doc.id)).health();
    if (!health.ok) continue;
    deps.carriers.invalidate(doc.id);
    await carrierHealthChanged(deps.store, doc.id, 'up', { at: deps.clock.now(), actor: RECONCILER, reason: `health probe: ${health.detail}` });
    recovered.push(doc.id);
  }
  return { recovered };
}

/**
 * The health probe job of one carrier the adapter marked down: up again when it answers; else the
 * next probe, waiting as long as it has been down (seconds at first, the maintenance minute later).
 */
export async function probeCarrier(deps: EngineDeps, carrierId: string): Promise<{ up: boolean; nextProbeInMs: number | null }> {
  const doc = await deps.store.get('carriers', carrierId);
  if (!doc || doc.health !== 'down' || doc.manualDown) return { up: doc?.health === 'up', nextProbeInMs: null };
  const health = await (await deps.carriers.get(carrierId)).health();
  const now = deps.clock.now();
  if (!health.ok) return { up: false, nextProbeInMs: nextProbeInMs(new Date(doc.healthChangedAt ?? now.toISOString()), now) };
  deps.carriers.invalidate(carrierId);
  await carrierHealthChanged(deps.store, carrierId, 'up', { at: now, actor: RECONCILER, reason: `health probe: ${health.detail}` });
  return { up: true, nextProbeInMs: null };
}

export interface MaintenanceReport {
  certifications: CertificationCheckReport;
  settled: string[];
  recovered: string[];
  drift: DriftReport;
  /** Idempotency records past their 24 h (Firestore's TTL policy also drops them; SQLite has none). */
  expiredIdempotency: number;
}

/** The scheduled maintenance, in order: certifications, recovered carriers, aged numbers, then drift. */
export async function runMaintenance(deps: EngineDeps): Promise<MaintenanceReport> {
  const certifications = await checkCertifications(deps.store, deps.clock.now(), { etocGraceDays: deps.etocGraceDays });
  const { recovered } = await probeDownCarriers(deps);
  const { settled } = await settleAgedNumbers(deps);
  const drift = await driftCheck(deps);
  const expiredIdempotency = await sweepExpiredIdempotency(deps.store, deps.clock.now());
  return { certifications, settled, recovered, drift, expiredIdempotency };
}
