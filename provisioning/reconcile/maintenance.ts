import { sweepExpiredIdempotency } from '../access/idempotency-records.js';
import type { Handset, PhoneNumber } from '../model/index.js';
import type { Page } from '../store/store.js';
import { settleAging } from '../numbers/lifecycle.js';
import { CarrierError, CarrierPending, type Carrier, type VoiceRouting } from '../carriers/carrier.js';
import { checkCertifications, type CertificationCheckReport } from '../compliance/certification-check.js';
import { appendAudit } from '../audit/audit-log.js';
import { describeError } from '../errors.js';
import type { EngineDeps } from './engine-deps.js';
import { RECONCILER } from './reconcile-shelter.js';
import { asked, putBackCredential, takeAwayCredential } from './reconcile-handsets.js';
import { refreshShelterHealth } from '../carriers/shelter-health-sync.js';
import { ensureCarrierProbes } from '../carriers/carrier-probe.js';
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
  /** What could not be checked because its carrier did not answer: a number (e164) or a carrier's SIP side (`sip`). */
  unreachable: Array<{ carrierId: string; item: string }>;
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
    report.unreachable.push(...wanted.map((n) => ({ carrierId: carrier.carrierId, item: n.e164 })));
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
      // An api member was asked (its work order is the record): a later check sees it done. Not out of reach.
      if (err instanceof CarrierPending) continue;
      if (!(err instanceof CarrierError)) throw err;
      report.unreachable.push({ carrierId: n.carrierId, item: n.e164 });
      continue;
    }
    report.repaired.push({ e164: n.e164, carrierId: n.carrierId, expected, found: actual });
    await audited(deps, { collection: 'numbers', id: n.e164 }, actual, expected, `carrier ${n.carrierId} routing differed from the desired state (${n.state})`);
    if (n.state === 'in_service') await confirmRouting(deps, n.e164, touched, report);
  }
}

/**
 * Every active handset, read once per drift check (not once per carrier: 5,000 handsets and 12
 * carriers would be 60,000 reads a minute). A handset that changes meanwhile is safe: each put-back
 * and take-away is checked against the store as it is when recorded (reconcile-handsets.ts).
 */
async function activeHandsets(deps: EngineDeps): Promise<Handset[]> {
  const handsets: Handset[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Handset> = await deps.store.query('handsets', { where: { status: 'active' }, limit: 1000, cursor });
    handsets.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return handsets;
}

/** Active handsets' active credentials on one carrier, by shelter: username → handset. */
function wantedCredentials(handsets: readonly Handset[], carrierId: string): Map<string, Map<string, Handset>> {
  const byShelter = new Map<string, Map<string, Handset>>();
  for (const h of handsets) {
    for (const c of h.credentials) {
      if (c.carrierId !== carrierId || c.state !== 'active') continue;
      byShelter.set(h.shelterId, (byShelter.get(h.shelterId) ?? new Map()).set(c.username, h));
    }
  }
  return byShelter;
}

/**
 * One carrier's SIP side: its domain calls us; each open shelter's list holds exactly its active
 * handsets; a closed shelter has no list at all. Every decision to put back or take away a
 * credential is checked against the handset as it is when the step is recorded (reconcile-handsets.ts).
 */
async function driftCredentials(deps: EngineDeps, carrier: Carrier, handsets: readonly Handset[], report: DriftReport): Promise<void> {
  const carrierId = carrier.carrierId;
  const wanted = wantedCredentials(handsets, carrierId);
  const credential = (shelterId: string, username: string, action: 'created' | 'deleted') => report.credentials.push({ carrierId, shelterId, username, action });
  try {
    const onCarrier = new Set(await carrier.credentialShelters());
    if (wanted.size > 0) {
      const domain = await ensureCarrierSipDomain(deps, carrier);
      // Held elsewhere: the alert says what to set; the lists wait for a domain to be mapped onto.
      if (domain === 'held_elsewhere') return;
      if (domain.domain) report.domains.push(domain.domain);
      // Drift (not each opening, which would query alerts once per job) is what sees a held name come free.
      await resolveAlerts(deps.store, deps.clock.now(), { kind: 'sip_domain_held_elsewhere', carrierId, shelterId: null });
    }
    for (const shelterId of new Set([...wanted.keys(), ...onCarrier])) {
      const shelter = await deps.store.get('shelters', shelterId);
      if (shelter?.desiredStatus !== 'open') {
        if (!onCarrier.has(shelterId)) continue;
        // A closed shelter leaves nothing behind: whatever a late step put back goes, list and all.
        const usernames = await carrier.listCredentials(shelterId);
        await asked(() => carrier.deleteShelterCredentials(shelterId));
        for (const username of usernames) credential(shelterId, username, 'deleted');
        await audited(deps, { collection: 'shelters', id: shelterId }, usernames.join(' ') || '(empty list)', '(none)', `carrier ${carrierId} still held the credentials of a closed shelter`);
        continue;
      }
      const mine = wanted.get(shelterId) ?? new Map<string, Handset>();
      const present = new Set(onCarrier.has(shelterId) ? await carrier.listCredentials(shelterId) : []);
      for (const [username, handset] of mine) {
        if (present.has(username)) continue;
        const entity = { collection: 'shelters', id: shelterId };
        const put = await putBackCredential(deps, carrier, handset.id, (tx) =>
          appendAudit(tx, { at: deps.clock.now(), actor: RECONCILER, action: 'drift.repaired', entity, from: null, to: username, reason: `carrier ${carrierId} had lost the credential of an active handset` }));
        if (put === 'skipped') continue;
        credential(shelterId, username, 'created');
        if (put === 'withdrawn') {
          credential(shelterId, username, 'deleted');
          await audited(deps, entity, username, '(none)', `carrier ${carrierId}: the handset was revoked while its credential was put back; removed again`);
        }
      }
      for (const username of present) {
        if (mine.has(username)) continue;
        if (!(await takeAwayCredential(deps, carrier, shelterId, username))) continue;
        credential(shelterId, username, 'deleted');
        await audited(deps, { collection: 'shelters', id: shelterId }, username, '(none)', `carrier ${carrierId} held a credential no active handset has`);
      }
    }
  } catch (err) {
    if (!isCarrierTrouble(err)) throw err;
    report.unreachable.push({ carrierId, item: 'sip' });
  }
}

/**
 * Compares each carrier's actual state with the desired one — number routing, the SIP domain and
 * the handset credentials (open shelters' active handsets, nothing of closed shelters) — repairs
 * what drifted and audits it. Carriers that are down are skipped (failover covers them; their
 * probe job brings them back). An in-service number
 * whose routing it saw (or repaired) is confirmed: that is when a recovered carrier's lines count as
 * working again, and their shelters' service is recomputed.
 */
export async function driftCheck(deps: EngineDeps): Promise<DriftReport> {
  const report: DriftReport = { checked: 0, confirmed: [], repaired: [], credentials: [], domains: [], unreachable: [] };
  const touched = new Set<string>();
  const carriers = (await deps.store.query('carriers', { limit: 1000 })).items.filter((c) => c.health !== 'down');
  const handsets = await activeHandsets(deps);
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

/** What the drift check did, in one line for its job step. */
export function driftSummary(r: DriftReport): string {
  return `${r.checked} checked, ${r.confirmed.length} confirmed, ${r.repaired.length} repaired, ${r.credentials.length} credential(s) put back or removed, ${r.domains.length} domain(s) checked, ${r.unreachable.length} unreachable`;
}

/** The carriers a drift check could not reach. */
export function unreachableCarriers(r: DriftReport): string[] {
  return [...new Set(r.unreachable.map((u) => u.carrierId))];
}

export interface MaintenanceReport {
  certifications: CertificationCheckReport;
  /** Carrier probe jobs started again (a carrier from before probes, or a probe that failed for good). */
  probesStarted: number;
  settled: string[];
  drift: DriftReport;
  /** Idempotency records past their 24 h (Firestore's TTL policy also drops them; SQLite has none). */
  expiredIdempotency: number;
}

/**
 * The scheduled maintenance, in order: certifications, carrier probes, aged numbers, then drift.
 * Carrier health is not probed here: every carrier has a probe job of its own, every few seconds
 * (carrier-probe-job.ts); this only starts one again where it is missing.
 */
export async function runMaintenance(deps: EngineDeps): Promise<MaintenanceReport> {
  const certifications = await checkCertifications(deps.store, deps.clock.now(), { etocGraceDays: deps.etocGraceDays });
  const probesStarted = await ensureCarrierProbes(deps.store, deps.clock.now());
  const { settled } = await settleAgedNumbers(deps);
  const drift = await driftCheck(deps);
  const expiredIdempotency = await sweepExpiredIdempotency(deps.store, deps.clock.now());
  return { certifications, probesStarted, settled, drift, expiredIdempotency };
}
