import type { EngineDeps } from './engine-deps.js';
import { claimJobs, newJob, PRIORITY, releaseJobs, type LeftLeased } from '../jobs/job-queue.js';
import type { Job } from '../model/index.js';
import { runJob } from './run-job.js';
import { describeError } from '../errors.js';
import { ManualClock } from '../platform/clock.js';
import { timeLimit, type TimeLimit } from '../platform/time-limit.js';
import { isRecurringJob } from '../carriers/carrier-probe.js';

export interface Worker {
  /**
   * Runs until every runnable job is done (tests, drills, replays), carrier probes that are due
   * included (they queue themselves again and are not waited for). On a ManualClock it moves the
   * clock to the next job that is backing off instead of waiting; `timeoutMs` of real time is only
   * a safety net against a job that never ends.
   */
  drain(opts?: { timeoutMs?: number }): Promise<void>;
  start(): void;
  /**
   * Stops claiming and waits for running jobs; with `graceMs`, jobs still running after it are
   * handed back to the queue for another instance (their next save here fails, so they stop),
   * within `handBackMs` when given. What it could not hand back it names in `leftLeased`.
   */
  stop(opts?: { graceMs?: number; handBackMs?: number }): Promise<{ released: number; leftLeased: LeftLeased[] }>;
  readonly running: number;
}

export const DEFAULT_MAINTENANCE_EVERY_MS = 60_000;

/** Settles when `p` does, fulfilled either way. */
const settled = (p: Promise<unknown>): Promise<void> => p.then(() => undefined, () => undefined);

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
  let filling: Promise<void> | null = null;
  let lastStaleCheck = -Infinity;
  let scheduledSlot: number | null = null;
  /** During a drain: the recurring jobs (carrier probes) it ran, each once, or a slow probe would keep it going. */
  let drained: Set<string> | null = null;
  /** Aborted by stop(): a claim under way takes no lease after it. */
  let halt = new AbortController();
  /** Aborted once stop() hands the running jobs back: their attempts end at their next save. */
  let handBack = new AbortController();
  /** Jobs whose claim is in flight: one may still land. */
  const claiming = new Set<string>();
  /** Jobs a claim under way leased after stop() began: never started here, handed back with the running ones. */
  const unstarted = new Set<string>();

  /** Claims what it can; a call while a claim is under way waits for that one instead of racing it. */
  function fill(): Promise<void> {
    filling ??= claimAndRun().finally(() => (filling = null));
    return filling;
  }

  /** Runs a job as soon as its claim lands; once stop() has begun, sets it aside to be handed back. */
  function begin(job: Job): void {
    if (halting) {
      unstarted.add(job.id);
      return;
    }
    if (isRecurringJob(job)) drained?.add(job.id);
    const p = runJob(deps, job, { handedBack: handBack.signal })
      .then(() => undefined)
      .catch((err) => deps.logger.error({ jobId: job.id, error: describeError(err) }, 'job crashed'))
      .finally(() => {
        active.delete(job.id);
        if (!stopped) void fill();
      });
    active.set(job.id, p);
  }

  async function claimAndRun(): Promise<void> {
    for (;;) {
      // Looking for jobs of dead processes reads every running job: do it a few times per lease, not per claim.
      const now = deps.clock.now();
      const takeOverStale = now.getTime() - lastStaleCheck >= deps.leaseMs / 3;
      if (takeOverStale) lastStaleCheck = now.getTime();
      // Each job starts as its claim lands: a claim waiting on a lock (a dead instance's transaction
      // holds it up to a minute on the emulator) does not hold back the others of its wave.
      const jobs = await claimJobs(deps.store, deps.owner, now, deps.leaseMs, concurrency - active.size, new Set([...active.keys(), ...(drained ?? [])]), {
        takeOverStale, random: deps.random, signal: halt.signal, claiming, onClaim: begin,
      });
      if (halting || jobs.length === 0 || active.size >= concurrency) break;
    }
  }

  /**
   * Hands back what this worker still holds once stopping (the running jobs, the claims that landed),
   * within `limit` when given, and names every job it may leave leased.
   */
  async function handBackLeases(limit: TimeLimit | null): Promise<{ released: number; leftLeased: LeftLeased[] }> {
    let released = 0;
    const leftLeased: LeftLeased[] = [];
    const handled = new Set<string>();
    const due = () => [...active.keys(), ...unstarted].filter((id) => !handled.has(id));
    while (!limit?.over) {
      const ids = due();
      if (ids.length === 0) {
        // A claim still in flight may land yet (its commit waits on a lock another instance holds):
        // it gets what is left of the budget, then what it took goes back too.
        if (!limit || !filling) break;
        await Promise.race([settled(filling), limit.passed]);
        if (due().length === 0) break;
        continue;
      }
      for (const id of ids) handled.add(id);
      const round = await releaseJobs(deps.store, deps.owner, ids, deps.clock.now(), limit ? { until: limit.passed } : {});
      released += round.released;
      leftLeased.push(...round.leftLeased);
    }
    for (const jobId of due()) leftLeased.push({ jobId, why: 'its hand-back was not confirmed in time' });
    for (const jobId of claiming) leftLeased.push({ jobId, why: 'a claim of it was still in flight' });
    return { released, leftLeased };
  }

  /** Running jobs whose lease ran out: a dead process's work, runnable by us now. */
  async function staleJobs(): Promise<number> {
    const now = deps.clock.now().toISOString();
    const running = await deps.store.query('jobs', { where: { status: 'running' }, limit: 200 });
    return running.items.filter((j) => !isRecurringJob(j) && !active.has(j.id) && (!j.lease || j.lease.until <= now)).length;
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

  /**
   * Queued jobs and the earliest instant one of them may run. Carrier probes come back for good:
   * a drain runs the ones due but never waits for (or jumps the clock to) the next.
   */
  async function queuedState(): Promise<{ count: number; nextRunAfter: number }> {
    const queued = (await deps.store.query('jobs', { where: { status: 'queued' }, limit: 500 })).items.filter((j) => !isRecurringJob(j));
    const next = Math.min(...queued.map((j) => Date.parse(j.runAfter)));
    return { count: queued.length, nextRunAfter: next };
  }

  async function drainAll(timeoutMs: number): Promise<void> {
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
  }

  return {
    get running() {
      return active.size;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      halting = false;
      halt = new AbortController();
      handBack = new AbortController();
      unstarted.clear();
      void tick();
    },
    async stop({ graceMs, handBackMs }: { graceMs?: number; handBackMs?: number } = {}) {
      stopped = true;
      halting = true;
      halt.abort();
      if (timer) clearTimeout(timer);
      // One grace period for the claim under way and the running jobs together: a shutdown has a deadline.
      const grace = graceMs === undefined ? null : timeLimit(graceMs);
      let limit: TimeLimit | null = null;
      try {
        // The claim under way stops at its next transaction; the leases it took join `unstarted`.
        const finished = Promise.allSettled([filling && settled(filling), ...active.values()]).then(() => true);
        if (!(await (grace ? Promise.race([finished, grace.passed.then(() => false)]) : finished))) {
          // Stop the attempts' own saves first, so the hand-back does not queue behind them.
          handBack.abort();
        }
        limit = grace && handBackMs !== undefined ? timeLimit(handBackMs) : null;
        return await handBackLeases(limit);
      } finally {
        grace?.cancel();
        limit?.cancel();
      }
    },
    async drain({ timeoutMs = 60_000 } = {}) {
      drained = new Set();
      try {
        await drainAll(timeoutMs);
      } finally {
        drained = null;
      }
    },
  };
}
