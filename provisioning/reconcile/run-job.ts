import type { Job } from '../model/index.js';
import { message } from '../model/messages.js';
import { CarrierPending } from '../carriers/carrier.js';
import type { EngineDeps } from './engine-deps.js';
import type { Logger } from '../platform/logger.js';
import { JobAttempt } from './job-attempt.js';
import { describeError } from '../errors.js';
import { LeaseLostError, MAX_JOB_ATTEMPTS, saveJob } from '../jobs/job-queue.js';
import { fullJitterDelay } from './retry.js';
import { raiseAlert } from '../alerts/alerts.js';
import { JOB_KINDS } from './job-kinds.js';
import type { ReconcileResult } from './reconcile-result.js';

const JOB_BACKOFF = { attempts: MAX_JOB_ATTEMPTS, baseMs: 1000, capMs: 60_000 };

/** A logger whose every line also carries `fields` (the job, and the request that asked for it). */
function bindLogger(logger: Logger, fields: object): Logger {
  return {
    info: (o, m) => logger.info({ ...fields, ...o }, m),
    warn: (o, m) => logger.warn({ ...fields, ...o }, m),
    error: (o, m) => logger.error({ ...fields, ...o }, m),
  };
}

/**
 * What an attempt came to: its reconciler's result, or what the engine makes of an exception out of
 * it: a failed attempt (`error`), or the job no longer this process's to record (`not_ours`).
 */
type AttemptEnd = ReconcileResult | { is: 'error'; error: unknown } | { is: 'not_ours' };

/** Runs the reconciler of the job's kind (one table, job-kinds.ts); never throws. */
async function attempt(deps: EngineDeps, run: JobAttempt, handedBack: AbortSignal | undefined): Promise<AttemptEnd> {
  try {
    return await JOB_KINDS[run.job.kind].reconcile(deps, run);
  } catch (err) {
    return endOf(deps, err, handedBack);
  }
}

/** An exception as the end of an attempt: a member's open work order is a wait, anything else a failed attempt. */
function endOf(deps: EngineDeps, err: unknown, handedBack: AbortSignal | undefined): AttemptEnd {
  // Another process has the job now, or this one handed it back: its outcome is theirs to record.
  if (err instanceof LeaseLostError || handedBack?.aborted) return { is: 'not_ours' };
  // Waiting on a member's own engineers is not a failure: look again later.
  if (err instanceof CarrierPending) return { is: 'wait', until: new Date(deps.clock.now().getTime() + err.retryAfterMs) };
  return { is: 'error', error: err };
}

/**
 * The one place an attempt's end is recorded, every status through the job lifecycle
 * (jobs/job-lifecycle.ts). A failure to record an end (its last save) is a failed attempt.
 */
async function record(deps: EngineDeps, run: JobAttempt, end: AttemptEnd, handedBack: AbortSignal | undefined): Promise<Job> {
  switch (end.is) {
    case 'not_ours':
      return run.job;
    case 'wait':
    case 'error':
      await putBack(deps, run, end);
      return run.job;
    case 'again':
    case 'done':
    case 'superseded':
    case 'failed':
      try {
        if (end.is === 'again') {
          await run.again(end.at);
          return run.job;
        }
        const { followUp } = await run.complete(end);
        // Logged as soon as the job is recorded finished: its follow-up (alerts) may take a while on a busy store.
        deps.logger.info({ status: run.job.status }, 'job finished');
        await followUp();
        return run.job;
      } catch (err) {
        return record(deps, run, endOf(deps, err, handedBack), handedBack);
      }
  }
}

/** Queued again (a wait, a backoff), or failed for good once its attempts are spent; never throws. */
async function putBack(deps: EngineDeps, run: JobAttempt, end: { is: 'wait'; until: Date } | { is: 'error'; error: unknown }): Promise<void> {
  const now = deps.clock.now();
  try {
    if (end.is === 'wait') run.move({ move: 'wait', runAfter: end.until });
    else {
      const error = { at: now.toISOString(), step: run.job.steps.find((s) => s.status === 'failed')?.name ?? null, message: describeError(end.error) };
      if (run.job.attempts >= MAX_JOB_ATTEMPTS) {
        run.move({ move: 'fail', at: now, error });
        await raiseAlert(deps.store, now, { severity: 'critical', kind: 'job_failed', shelterId: run.job.shelterId, carrierId: run.job.carrierId, text: message('alert.job_failed', { kind: run.job.kind, attempts: run.job.attempts }), detail: describeError(end.error) });
      } else {
        run.move({ move: 'backoff', error, runAfter: new Date(now.getTime() + fullJitterDelay(run.job.attempts, { ...JOB_BACKOFF, random: deps.random }) + 250) });
      }
      deps.logger.warn({ attempt: run.job.attempts, error: describeError(end.error) }, 'job attempt failed');
    }
    run.job = await saveJob(deps.store, run.job, deps.owner, now, deps.leaseMs);
  } catch (saveErr) {
    if (!(saveErr instanceof LeaseLostError)) deps.logger.error({ error: describeError(saveErr) }, 'could not record job failure');
  }
}

/** Runs one claimed job to its end, or puts it back with a backoff; never throws. */
export async function runJob(engine: EngineDeps, claimed: Job, opts: { handedBack?: AbortSignal } = {}): Promise<Job> {
  const logger = bindLogger(engine.logger, { jobId: claimed.id, kind: claimed.kind, ...(claimed.requestId ? { requestId: claimed.requestId } : {}) });
  const deps: EngineDeps = { ...engine, logger };
  logger.info({ attempt: claimed.attempts, shelterId: claimed.shelterId }, 'job attempt started');
  const run = new JobAttempt(deps, claimed, opts.handedBack);
  return record(deps, run, await attempt(deps, run, opts.handedBack), opts.handedBack);
}
