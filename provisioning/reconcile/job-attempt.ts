import type { Job, JobStep } from '../model/index.js';
import type { Transaction } from '../store/store.js';
import { CarrierPending } from '../carriers/carrier.js';
import { describeError } from '../errors.js';
import type { EngineDeps } from './engine-deps.js';
import { saveJob } from '../jobs/job-queue.js';
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

  /** What the job's last save writes besides the job (its shelter's end state), and what follows it. */
  private finish: { write: (tx: Transaction) => Promise<void>; then: () => Promise<void> } | null = null;

  /**
   * Registers the job's end: `write` lands in the transaction that records the job as succeeded
   * (the job and what it achieved, together), `then` runs after it (alerts about the outcome).
   */
  finishWith(write: (tx: Transaction) => Promise<void>, then: () => Promise<void>): void {
    this.finish = { write, then };
  }

  /**
   * The job's last save, with what `finishWith` registered; then, once the caller has noted the job
   * finished, its follow-up. A failing follow-up (alerts) does not undo the job: it is logged.
   */
  async complete(status: 'succeeded' | 'cancelled' | 'failed', failure?: { step: string | null; message: string }): Promise<{ followUp: () => Promise<void> }> {
    const at = this.now().toISOString();
    const errors = failure ? [...this.job.errors, { at, ...failure }].slice(-20) : this.job.errors;
    this.job = { ...this.job, status, errors, finishedAt: at };
    const finish = status === 'succeeded' ? this.finish : null;
    await this.save(finish?.write);
    return {
      followUp: async () => {
        await finish?.then().catch((err) => this.deps.logger.error({ error: describeError(err) }, 'after the job succeeded, its follow-up failed'));
      },
    };
  }

  /** A job that comes back (a carrier's probe): queued again for `at`, a fresh count of attempts. */
  async again(at: Date): Promise<void> {
    this.job = { ...this.job, status: 'queued', attempts: 0, runAfter: at.toISOString(), finishedAt: null };
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
