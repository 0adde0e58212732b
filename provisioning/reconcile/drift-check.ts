import { refreshShelterHealth } from '../carriers/shelter-health-sync.js';
import type { EngineDeps } from './engine-deps.js';
import type { JobAttempt } from './job-attempt.js';
import { DONE, type ReconcileResult } from './reconcile-result.js';
import { driftSummary, unreachableCarriers, type DriftReport } from './drift-report.js';
import { driftNumbers } from './drift-numbers.js';
import { activeHandsets, driftCredentials } from './drift-credentials.js';

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


/** A drift check's outcome as its job's: failed, never succeeded, when a carrier could not be reached. */
export async function recordDrift(run: JobAttempt, report: DriftReport): Promise<ReconcileResult> {
  const summary = driftSummary(report);
  if (report.unreachable.length === 0) {
    await run.note('drift check', summary);
    return DONE;
  }
  const reason = `could not reach ${unreachableCarriers(report).join(', ')}: ${report.unreachable.length} item(s) not checked`;
  await run.noteFailed('drift check', summary, reason);
  // Not retried: the next maintenance minute (or the next recovery) checks again.
  return { is: 'failed', step: 'drift check', reason };
}

/** The `routing_check` job: a drift check (after a carrier's recovery), recorded on the job. */
export async function driftCheckJob(deps: EngineDeps, run: JobAttempt): Promise<ReconcileResult> {
  return recordDrift(run, await driftCheck(deps));
}
