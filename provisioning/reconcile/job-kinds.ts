import type { JobKind } from '../model/index.js';
import type { EngineDeps } from './engine-deps.js';
import type { JobAttempt } from './job-attempt.js';
import type { ReconcileResult } from './reconcile-result.js';
import { reconcileShelter } from './reconcile-shelter.js';
import { reconcileSuspension } from './reconcile-suspension.js';
import { runCarrierProbe } from './carrier-probe-job.js';
import { maintenanceJob } from './maintenance.js';
import { driftCheckJob } from './drift-check.js';

/** Drives a job's subject one step nearer to what is wanted; every step may run again safely. */
export type Reconciler = (deps: EngineDeps, run: JobAttempt) => Promise<ReconcileResult>;

/**
 * The one table of job kinds: what each does, and the reconciler that does it. The kind strings are
 * stored on jobs and shown on the API and the board, so two keep their first names:
 * `drift_repair` is the scheduled maintenance run, `routing_check` a drift check.
 */
export const JOB_KINDS: Readonly<Record<JobKind, { does: string; reconcile: Reconciler }>> = {
  open_shelter: { does: "a shelter's lines allocated and routed, its handsets credentialed", reconcile: reconcileShelter },
  close_shelter: { does: "a closed shelter's lines intercepted and released, its handsets revoked", reconcile: reconcileShelter },
  failover: { does: "a shelter's lines on a carrier that went down replaced on healthy ones", reconcile: reconcileShelter },
  handset: { does: "a shelter's handsets given their credentials on its carriers", reconcile: reconcileShelter },
  suspend_number: { does: "a suspended number's routing replaced by the intercept", reconcile: reconcileSuspension },
  drift_repair: { does: 'the maintenance run: certifications, probes ensured, aged numbers settled, drift checked', reconcile: maintenanceJob },
  routing_check: { does: "a drift check: every carrier's routing and credentials read back and repaired", reconcile: driftCheckJob },
  carrier_probe: { does: "one carrier's health probe, queued again for its next interval", reconcile: runCarrierProbe },
};
