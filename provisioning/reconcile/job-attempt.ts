import type { Job, JobStep } from '../model/index.js';
import type { Transaction } from '../store/store.js';
import { CarrierPending } from '../carriers/carrier.js';
import { describeError } from '../errors.js';
import type { EngineDeps } from './engine-deps.js';
import { saveJob } from '../jobs/job-queue.js';
import { moveJob, type JobMove } from '../jobs/job-lifecycle.js';
import type { ReconcileResult } from './reconcile-result.js';
import { withRetry } from './retry.js';

/**
 * One attempt at a job: runs named, idempotent steps and records each on the job document, so
 * the board shows progress and a restarted process skips what is already done.
 */
export class JobAttempt {
  constructor(
    private readonly deps: EngineDeps,
    public job: Job,
    /** Aborted when this process hands its jobs back (shutdown): the attempt stops at its next save. */
    private readonly handedBack?: AbortSignal,
  ) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  private upsertStep(name: string, patch: Partial<JobStep>): JobStep {
    const steps = [...this.job.steps];
    const i = steps.findIndex((s) => s.name === name);
    const base: JobStep = i >= 0 ? steps[i]! : { name, status: 'pending', attempts: 0, lastError: null, startedAt: null, finishedAt: null };
    const step = { ...base, ...patch };
    if (i >= 0) steps[i] = step;
    else steps.push(step);
    this.job = { ...this.job, steps };
    return step;
  }

  /** Moves the job through its lifecycle (jobs/job-lifecycle.ts), in memory: the next save records it. */
  move(m: JobMove): void {
    this.job = moveJob(this.job, m);
  }

  /**
   * The job's last save. A job that is done records what it achieved (`record`) in the same
   * transaction; its follow-up (`afterwards`: alerts about the outcome) runs once the caller has noted the
   * job finished, and a failing follow-up does not undo the job: it is logged.
   */
  async complete(end: Extract<ReconcileResult, { is: 'done' | 'superseded' | 'failed' }>): Promise<{ followUp: () => Promise<void> }> {
    const at = this.now();
    if (end.is === 'failed') this.move({ move: 'fail', at, error: { at: at.toISOString(), step: end.step, message: end.reason } });
    else this.move({ move: end.is === 'done' ? 'succeed' : 'cancel', at });
    const done = end.is === 'done' ? end : null;
    await this.save(done?.record);
    return {
      followUp: async () => {
        await done?.afterwards?.().catch((err) => this.deps.logger.error({ error: describeError(err) }, 'after the job succeeded, its follow-up failed'));
      },
    };
  }

  /** A job that comes back (a carrier's probe): queued again for `at`, a fresh count of attempts. */
  async again(at: Date): Promise<void> {
    this.move({ move: 'again', runAfter: at });
    await this.save();
  }

  async save(alongside?: (tx: Transaction) => Promise<void>): Promise<void> {
    this.job = await saveJob(this.deps.store, this.job, this.deps.owner, this.now(), this.deps.leaseMs, alongside, this.handedBack);
  }

  /**
   * Declares steps up front so progress has a denominator. `alongside` (a write the job needs before
   * its steps, such as the shelter's short code) lands in the same transaction, or in its own when
   * the plan is already saved (a later attempt).
   */
  async plan(names: string[], alongside?: (tx: Transaction) => Promise<void>): Promise<void> {
    const before = this.job.steps.length;
    for (const n of names) if (!this.job.steps.some((s) => s.name === n)) this.upsertStep(n, {});
    if (this.job.steps.length !== before) await this.save(alongside);
    else if (alongside) await this.deps.store.transaction(alongside);
  }

  isDone(name: string): boolean {
    return this.job.steps.some((s) => s.name === name && (s.status === 'done' || s.status === 'skipped'));
  }

  /**
   * Runs a carrier-facing step with retries (429/5xx/timeouts), recording the outcome. `onDone`
   * writes what the step's success changes (a number now in service) in the transaction that
   * records the step: one transaction, and never one without the other.
   */
  async step<T>(name: string, fn: () => Promise<T>, opts: { detail?: (r: T) => string; retry?: boolean; onDone?: (tx: Transaction) => Promise<void> } = {}): Promise<T | undefined> {
    if (this.isDone(name)) return undefined;
    const startedAt = this.now().toISOString();
    let attempts = this.job.steps.find((s) => s.name === name)?.attempts ?? 0;
    this.upsertStep(name, { status: 'running', startedAt });
    try {
      const run = () => {
        attempts++;
        return fn();
      };
      const result = opts.retry === false ? await run() : await withRetry(run, { ...this.deps.retry, random: this.deps.random, sleep: (ms) => this.deps.clock.sleep(ms) });
      this.upsertStep(name, { status: 'done', attempts, lastError: null, finishedAt: this.now().toISOString(), ...(opts.detail ? { detail: opts.detail(result) } : {}) });
      await this.save(opts.onDone);
      this.deps.logger.info({ step: name, attempts }, 'job step done');
      return result;
    } catch (err) {
      const waiting = err instanceof CarrierPending;
      this.upsertStep(name, { status: waiting ? 'pending' : 'failed', attempts, lastError: waiting ? null : describeError(err), ...(waiting ? { detail: err.message } : {}) });
      await this.save();
      if (!waiting) this.deps.logger.warn({ step: name, attempts, error: describeError(err) }, 'job step failed');
      throw err;
    }
  }

  async skip(name: string, detail: string): Promise<void> {
    if (this.isDone(name)) return;
    this.upsertStep(name, { status: 'skipped', detail, finishedAt: this.now().toISOString() });
    await this.save();
  }

  async note(name: string, detail: string): Promise<void> {
    this.upsertStep(name, { status: 'done', detail, finishedAt: this.now().toISOString() });
    await this.save();
  }

  /** A step that could not do its work (a carrier out of reach): shown failed, with why. */
  async noteFailed(name: string, detail: string, error: string): Promise<void> {
    this.upsertStep(name, { status: 'failed', detail, lastError: error, finishedAt: this.now().toISOString() });
    await this.save();
  }
}
