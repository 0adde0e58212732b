import type { Job } from '../model/index.js';
import { message } from '../model/messages.js';
import { CarrierPending } from '../carriers/carrier.js';
import type { EngineDeps } from './engine.js';
import type { Logger } from '../platform/logger.js';
import { JobRun } from './job-run.js';
import { describeError } from '../errors.js';
import { LeaseLostError, MAX_JOB_ATTEMPTS, saveJob } from '../jobs/job-queue.js';
import { fullJitterDelay } from './retry.js';
import { raiseAlert } from '../jobs/alerts.js';
import { reconcileShelter } from './reconcile-shelter.js';
import { reconcileSuspension } from './reconcile-suspension.js';
import { driftCheck, probeCarrier, runMaintenance } from './maintenance.js';

const JOB_BACKOFF = { attempts: MAX_JOB_ATTEMPTS, baseMs: 1000, capMs: 60_000 };

/** A logger whose every line also carries `fields` (the job, and the request that asked for it). */
function bindLogger(logger: Logger, fields: object): Logger {
  return {
    info: (o, m) => logger.info({ ...fields, ...o }, m),
    warn: (o, m) => logger.warn({ ...fields, ...o }, m),
    error: (o, m) => logger.error({ ...fields, ...o }, m),
  };
}

/** Runs one claimed job to its end, or puts it back with a backoff; never throws. */
export async function runJob(engine: EngineDeps, claimed: Job, opts: { handedBack?: AbortSignal } = {}): Promise<Job> {
  const logger = bindLogger(engine.logger, { jobId: claimed.id, kind: claimed.kind, ...(claimed.requestId ? { requestId: claimed.requestId } : {}) });
  const deps: EngineDeps = { ...engine, logger };
  logger.info({ attempt: claimed.attempts, shelterId: claimed.shelterId }, 'job attempt started');
  const run = new JobRun(deps, claimed, opts.handedBack);
  try {
    let outcome: 'done' | 'superseded';
    switch (claimed.kind) {
      case 'open_shelter':
      case 'close_shelter':
      case 'failover':
      case 'handset':
        outcome = await reconcileShelter(deps, run);
        break;
      case 'suspend_number':
        outcome = await reconcileSuspension(deps, run);
        break;
      case 'routing_check': {
        const report = await driftCheck(deps);
        await run.note('drift check', `${report.checked} checked, ${report.confirmed.length} confirmed, ${report.repaired.length} repaired, ${report.unreachable.length} unreachable`);
        outcome = 'done';
        break;
      }
      case 'carrier_probe': {
        const r = await probeCarrier(deps, claimed.carrierId!);
        if (r.nextProbeInMs !== null) throw new CarrierPending(claimed.id, r.nextProbeInMs, `carrier ${claimed.carrierId} still does not answer; next probe in ${r.nextProbeInMs / 1000} s`);
        await run.note('health probe', r.up ? 'the carrier answers: up again' : 'not probed again here: the maintenance minute takes over');
        outcome = 'done';
        break;
      }
      case 'drift_repair': {
        const r = await runMaintenance(deps);
        await run.note('certifications', `${r.certifications.frozen.length} frozen, ${r.certifications.unfrozen.length} unfrozen`);
        await run.note('health probes', `${r.recovered.length} carrier(s) back up`);
        await run.note('aged numbers', `${r.settled.length} settled`);
        await run.note('drift check', `${r.drift.checked} checked, ${r.drift.confirmed.length} confirmed, ${r.drift.repaired.length} repaired, ${r.drift.credentials.length} credential(s) and ${r.drift.domains.length} domain(s) checked, ${r.drift.unreachable.length} unreachable`);
        outcome = 'done';
        break;
      }
    }
    const { followUp } = await run.complete(outcome === 'done' ? 'succeeded' : 'cancelled');
    // Logged as soon as the job is recorded finished: its follow-up (alerts) may take a while on a busy store.
    logger.info({ status: run.job.status }, 'job finished');
    await followUp();
    return run.job;
  } catch (err) {
    // Another process has the job now, or this one handed it back: its outcome is theirs to record.
    if (err instanceof LeaseLostError || opts.handedBack?.aborted) return run.job;
    const now = deps.clock.now();
    try {
      if (err instanceof CarrierPending) {
        // Waiting on a member's own engineers is not a failure: look again later.
        run.job = { ...run.job, status: 'queued', attempts: Math.max(0, run.job.attempts - 1), runAfter: new Date(now.getTime() + err.retryAfterMs).toISOString() };
      } else {
        const errors = [...run.job.errors, { at: now.toISOString(), step: run.job.steps.find((s) => s.status === 'failed')?.name ?? null, message: describeError(err) }].slice(-20);
        if (run.job.attempts >= MAX_JOB_ATTEMPTS) {
          run.job = { ...run.job, errors, status: 'failed', finishedAt: now.toISOString() };
          await raiseAlert(deps.store, now, { severity: 'critical', kind: 'job_failed', shelterId: run.job.shelterId, carrierId: run.job.carrierId, text: message('alert.job_failed', { kind: run.job.kind, attempts: run.job.attempts }), detail: describeError(err) });
        } else {
          run.job = { ...run.job, errors, status: 'queued', runAfter: new Date(now.getTime() + fullJitterDelay(run.job.attempts, { ...JOB_BACKOFF, random: deps.random }) + 250).toISOString() };
        }
        deps.logger.warn({ attempt: run.job.attempts, error: describeError(err) }, 'job attempt failed');
      }
      run.job = await saveJob(deps.store, run.job, deps.owner, now, deps.leaseMs);
    } catch (saveErr) {
      if (!(saveErr instanceof LeaseLostError)) deps.logger.error({ error: describeError(saveErr) }, 'could not record job failure');
    }
    return run.job;
  }
}
