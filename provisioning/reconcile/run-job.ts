import type { Job } from '../model/index.js';
import { message } from '../model/messages.js';
import { CarrierPending } from '../carriers/carrier.js';
import type { EngineDeps } from './engine-deps.js';
import type { Logger } from '../platform/logger.js';
import { JobAttempt } from './job-attempt.js';
import { describeError } from '../errors.js';
import { LeaseLostError, MAX_JOB_ATTEMPTS, saveJob } from '../jobs/job-queue.js';
import { fullJitterDelay } from './retry.js';
import { raiseAlert } from '../jobs/alerts.js';
import { reconcileShelter } from './reconcile-shelter.js';
import { reconcileSuspension } from './reconcile-suspension.js';
import { driftCheck, driftSummary, runMaintenance, unreachableCarriers, type DriftReport } from './maintenance.js';
import { runCarrierProbe } from './carrier-probe-job.js';

const JOB_BACKOFF = { attempts: MAX_JOB_ATTEMPTS, baseMs: 1000, capMs: 60_000 };

/** A logger whose every line also carries `fields` (the job, and the request that asked for it). */
function bindLogger(logger: Logger, fields: object): Logger {
  return {
    info: (o, m) => logger.info({ ...fields, ...o }, m),
    warn: (o, m) => logger.warn({ ...fields, ...o }, m),
    error: (o, m) => logger.error({ ...fields, ...o }, m),
  };
}

/** How a job's run ended, as a value: done, superseded, failed with a reason, or to run again at a time. */
type JobOutcome =
  | { status: 'succeeded' | 'cancelled' }
  | { status: 'failed'; failure: { step: string; message: string } }
  | { status: 'again'; at: Date };

const DONE: JobOutcome = { status: 'succeeded' };

/** A drift check's outcome: failed, never succeeded, when a carrier could not be reached. */
async function recordDrift(run: JobAttempt, report: DriftReport): Promise<JobOutcome> {
  const summary = driftSummary(report);
  if (report.unreachable.length === 0) {
    await run.note('drift check', summary);
    return DONE;
  }
  const message = `could not reach ${unreachableCarriers(report).join(', ')}: ${report.unreachable.length} item(s) not checked`;
  await run.noteFailed('drift check', summary, message);
  // Not retried: the next maintenance minute (or the next recovery) checks again.
  return { status: 'failed', failure: { step: 'drift check', message } };
}

/** Runs the reconciler of the job's kind; every kind ends in a value, none by throwing. */
async function reconcileJob(deps: EngineDeps, run: JobAttempt): Promise<JobOutcome> {
  switch (run.job.kind) {
    case 'open_shelter':
    case 'close_shelter':
    case 'failover':
    case 'handset':
      return { status: (await reconcileShelter(deps, run)) === 'done' ? 'succeeded' : 'cancelled' };
    case 'suspend_number':
      return { status: (await reconcileSuspension(deps, run)) === 'done' ? 'succeeded' : 'cancelled' };
    case 'routing_check':
      return recordDrift(run, await driftCheck(deps));
    case 'carrier_probe': {
      const { next } = await runCarrierProbe(deps, run);
      return next ? { status: 'again', at: next } : DONE;
    }
    case 'drift_repair': {
      const r = await runMaintenance(deps);
      await run.note('certifications', `${r.certifications.frozen.length} frozen, ${r.certifications.unfrozen.length} unfrozen`);
      await run.note('carrier probes', `${r.probesStarted} probe job(s) started again`);
      await run.note('aged numbers', `${r.settled.length} settled`);
      return recordDrift(run, r.drift);
    }
  }
}

/** Runs one claimed job to its end, or puts it back with a backoff; never throws. */
export async function runJob(engine: EngineDeps, claimed: Job, opts: { handedBack?: AbortSignal } = {}): Promise<Job> {
  const logger = bindLogger(engine.logger, { jobId: claimed.id, kind: claimed.kind, ...(claimed.requestId ? { requestId: claimed.requestId } : {}) });
  const deps: EngineDeps = { ...engine, logger };
  logger.info({ attempt: claimed.attempts, shelterId: claimed.shelterId }, 'job attempt started');
  const run = new JobAttempt(deps, claimed, opts.handedBack);
  try {
    const outcome = await reconcileJob(deps, run);
    if (outcome.status === 'again') {
      await run.again(outcome.at);
      return run.job;
    }
    const { followUp } = await run.complete(outcome.status, outcome.status === 'failed' ? outcome.failure : undefined);
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
