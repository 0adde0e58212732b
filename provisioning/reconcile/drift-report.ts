import { CarrierError, CarrierPending } from '../carriers/carrier.js';
import { appendAudit } from '../audit/audit-log.js';
import { RECONCILER, type EngineDeps } from './engine-deps.js';

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


/** A carrier that did not answer, or answered with a work order: what it was asked is not checked this time. */
export const isCarrierTrouble = (err: unknown) => err instanceof CarrierError || err instanceof CarrierPending;

/** A repair the drift check made, audited. */
export async function audited(deps: EngineDeps, entity: { collection: string; id: string }, from: string | null, to: string, reason: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    appendAudit(tx, { at: deps.clock.now(), actor: RECONCILER, action: 'drift.repaired', entity, from, to, reason });
  });
}


/** What the drift check did, in one line for its job step. */
export function driftSummary(r: DriftReport): string {
  return `${r.checked} checked, ${r.confirmed.length} confirmed, ${r.repaired.length} repaired, ${r.credentials.length} credential(s) put back or removed, ${r.domains.length} domain(s) checked, ${r.unreachable.length} unreachable`;
}

/** The carriers a drift check could not reach. */
export function unreachableCarriers(r: DriftReport): string[] {
  return [...new Set(r.unreachable.map((u) => u.carrierId))];
}
