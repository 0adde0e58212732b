import type { EngineDeps } from './engine.js';
import { claimJobs, newJob, PRIORITY, releaseJobs } from '../jobs/job-queue.js';
import { runJob } from './run-job.js';
import { describeError } from '../errors.js';
import { ManualClock } from '../platform/clock.js';

export interface Worker {
  /**
   * Runs until every runnable job is done (tests, drills, replays). On a ManualClock it moves the
   * clock to the next job that is backing off instead of waiting; `timeoutMs` of real time is only
   * a safety net against a job that never ends.
   */
  drain(opts?: { timeoutMs?: number }): Promise<void>;
  start(): void;
  /**
   * Stops claiming and waits for running jobs; with `graceMs`, jobs still running after it are
   * handed back to the queue for another instance (their next save here fails, so they stop).
   */
  stop(opts?: { graceMs?: number }): Promise<{ released: number }>;
  readonly running: number;
}

export const DEFAULT_MAINTENANCE_EVERY_MS = 60_000;

/**
 * The scheduled maintenance (certification check, aged numbers, drift check) is a `drift_repair`
 * job like any other, so it is claimed under a lease and never blocks claiming. One id per time
 * slot: every instance may try to enqueue it, only one job exists.
 */
export async function scheduleMaintenance(deps: EngineDeps, everyMs: number): Promise<boolean> {
  const now = deps.clock.now();
  const slot = Math.floor(now.getTime() / everyMs);
  const id = `job_drift_${slot.toString(36)}`;
  return deps.store.transaction(async (tx) => {
    if (await tx.get('jobs', id)) return false;
    tx.put('jobs', newJob('drift_repair', now, { type: 'network' }, { id, priority: PRIORITY.drift, requestedBy: 'schedule' }));
    return true;
  });
}

/**
 * Claims jobs under leases and runs up to `concurrency` at once; carriers throttle themselves,
 * so many shelters progress in parallel as fast as their carriers allow.
 */
export function createWorker(deps: EngineDeps, opts: { concurrency?: number; pollMs?: number; maintenanceEveryMs?: number } = {}): Worker {
  const concurrency = opts.concurrency ?? 32;
  const pollMs = opts.pollMs ?? 250;
  const maintenanceEveryMs = opts.maintenanceEveryMs ?? DEFAULT_MAINTENANCE_EVERY_MS;
  const active = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  /** Set by stop(): unlike `stopped` (also true before start, when tests drain by hand) it means shutting down. */
  let halting = false;
  let filling: Promise<number> | null = null;
  let lastStaleCheck = -Infinity;
  let scheduledSlot: number | null = null;
  /** Aborted once stop() hands the running jobs back: their attempts end at their next save. */
  let handBack = new AbortController();

  /** Claims what it can; a call while a claim is under way waits for that one instead of racing it. */
  function fill(): Promise<number> {
    filling ??= claimAndRun().finally(() => (filling = null));
    return filling;
  }

  async function claimAndRun(): Promise<number> {
    let started = 0;
    for (;;) {
      // Looking for jobs of dead processes reads every running job: do it a few times per lease, not per claim.
      const now = deps.clock.now();
      const takeOverStale = now.getTime() - lastStaleCheck >= deps.leaseMs / 3;
      if (takeOverStale) lastStaleCheck = now.getTime();
      const jobs = await claimJobs(deps.store, deps.owner, now, deps.leaseMs, concurrency - active.size, new Set(active.keys()), { takeOverStale, random: deps.random });
      if (halting && jobs.length > 0) {
        // stop() came while this claim was in flight: these jobs were never started here.
        await releaseJobs(deps.store, deps.owner, jobs.map((j) => j.id), deps.clock.now());
        break;
      }
      if (jobs.length === 0) break;
      for (const job of jobs) {
        started++;
        const p = runJob(deps, job, { handedBack: handBack.signal })
          .then(() => undefined)
          .catch((err) => deps.logger.error({ jobId: job.id, error: describeError(err) }, 'job crashed'))
          .finally(() => {
            active.delete(job.id);
            if (!stopped) void fill();
          });
        active.set(job.id, p);
      }
      if (active.size >= concurrency) break;
    }
    return started;
  }

  /** Running jobs whose lease ran out: a dead process's work, runnable by us now. */
  async function staleJobs(): Promise<number> {
    const now = deps.clock.now().toISOString();
    const running = await deps.store.query('jobs', { where: { status: 'running' }, limit: 200 });
    return running.items.filter((j) => !active.has(j.id) && (!j.lease || j.lease.until <= now)).length;
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    try {
      // One look at the store per slot and instance, not one per poll.
      const slot = Math.floor(deps.clock.now().getTime() / maintenanceEveryMs);
      if (slot !== scheduledSlot) {
        await scheduleMaintenance(deps, maintenanceEveryMs);
        scheduledSlot = slot;
      }
      await fill();
    } catch (err) {
      deps.logger.error({ error: describeError(err) }, 'worker tick failed');
    }
    if (!stopped) timer = setTimeout(() => void tick(), pollMs);
  }

  /** Queued jobs and the earliest instant one of them may run. */
  async function queuedState(): Promise<{ count: number; nextRunAfter: number }> {
    const queued = await deps.store.query('jobs', { where: { status: 'queued' }, limit: 500 });
    const next = Math.min(...queued.items.map((j) => Date.parse(j.runAfter)));
    return { count: queued.items.length, nextRunAfter: next };
  }

  return {
    get running() {
      return active.size;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      halting = false;
      handBack = new AbortController();
      void tick();
    },
    async stop({ graceMs }: { graceMs?: number } = {}) {
      stopped = true;
      halting = true;
      if (timer) clearTimeout(timer);
      // One grace period for all the waiting below, not one per wait: a shutdown has a deadline.
      let graceTimer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<false>((r) => (graceTimer = setTimeout(() => r(false), graceMs ?? 60_000)));
      try {
        // A claim under way may have leased jobs in the store already: it sees `halting` when it
        // returns and hands them back. Returning before that left them leased to a process that exited.
        if (filling) await Promise.race([filling.catch(() => undefined), graceOver]);
        const all = Promise.allSettled([...active.values()]);
        if (graceMs === undefined) {
          await all;
          return { released: 0 };
        }
        if (await Promise.race([all.then(() => true), graceOver])) return { released: 0 };
      } finally {
        clearTimeout(graceTimer);
      }
      // Stop the attempts' own saves first, so the hand-back does not queue behind them.
      handBack.abort();
      return { released: await releaseJobs(deps.store, deps.owner, [...active.keys()], deps.clock.now()) };
    },
    async drain({ timeoutMs = 60_000 } = {}) {
      const deadline = performance.now() + timeoutMs;
      const fastForward = deps.clock instanceof ManualClock ? deps.clock : null;
      for (;;) {
        if (performance.now() > deadline) {
          const { count } = await queuedState();
          throw new Error(`drain timed out after ${timeoutMs} ms: ${active.size} job(s) running, ${count} queued`);
        }
        await fill();
        if (active.size > 0) {
          let timeout: NodeJS.Timeout | undefined;
          const safety = new Promise<void>((r) => (timeout = setTimeout(r, Math.max(1, deadline - performance.now()))));
          await Promise.race([...active.values(), safety]);
          clearTimeout(timeout);
          continue;
        }
        const { count, nextRunAfter } = await queuedState();
        if (count === 0) {
          if ((await staleJobs()) === 0) return;
          lastStaleCheck = -Infinity; // take them over on the next claim, whatever the throttle says
          continue;
        }
        const wait = nextRunAfter - deps.clock.now().getTime();
        if (wait <= 0) continue;
        if (fastForward) {
          // Nothing runs and everything queued is backing off: jump to the first one that is due.
          fastForward.advance(wait);
          // Let sockets and timers (a member answering its work orders) make progress.
          await new Promise((r) => setTimeout(r, 1));
        } else {
          await deps.clock.sleep(Math.min(200, wait));
        }
      }
    },
  };
}
