import { sweepExpiredIdempotency } from '../access/idempotency-records.js';
import { checkCertifications, type CertificationCheckReport } from '../compliance/certification-check.js';
import { ensureCarrierProbes } from '../carriers/carrier-probe.js';
import type { EngineDeps } from './engine-deps.js';
import type { JobAttempt } from './job-attempt.js';
import type { ReconcileResult } from './reconcile-result.js';
import type { DriftReport } from './drift-report.js';
import { driftCheck, recordDrift } from './drift-check.js';
import { settleAgedNumbers } from './settle-aged-numbers.js';

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


/** The `drift_repair` job: the scheduled maintenance run, each part's outcome a step of the job. */
export async function maintenanceJob(deps: EngineDeps, run: JobAttempt): Promise<ReconcileResult> {
  const r = await runMaintenance(deps);
  await run.note('certifications', `${r.certifications.frozen.length} frozen, ${r.certifications.unfrozen.length} unfrozen`);
  await run.note('carrier probes', `${r.probesStarted} probe job(s) started again`);
  await run.note('aged numbers', `${r.settled.length} settled`);
  return recordDrift(run, r.drift);
}
