import { allDocuments } from '../store/paging.js';
import type { Handset } from '../model/index.js';
import type { CarrierAdapter } from '../carriers/carrier.js';
import { appendAudit } from '../audit/audit-log.js';
import { resolveAlerts } from '../alerts/alerts.js';
import { RECONCILER, type EngineDeps } from './engine-deps.js';
import { asked, putBackCredential, takeAwayCredential } from './reconcile-handsets.js';
import { ensureCarrierSipDomain } from './carrier-sip-domain.js';
import { audited, isCarrierTrouble, type DriftReport } from './drift-report.js';

/**
 * Every active handset, read once per drift check (not once per carrier: 5,000 handsets and 12
 * carriers would be 60,000 reads a minute). A handset that changes meanwhile is safe: each put-back
 * and take-away is checked against the store as it is when recorded (reconcile-handsets.ts).
 */
export async function activeHandsets(deps: EngineDeps): Promise<Handset[]> {
  return allDocuments(deps.store, 'handsets', { where: { status: 'active' }, limit: 1000 });
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
export async function driftCredentials(deps: EngineDeps, carrier: CarrierAdapter, handsets: readonly Handset[], report: DriftReport): Promise<void> {
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
