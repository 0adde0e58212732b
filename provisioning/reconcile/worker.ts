import type { EngineDeps } from './engine.js';
import { claimJobs, releaseJobs } from './job-queue.js';
import { runJob } from './run-job.js';
import { describe } from './job-run.js';

export interface Worker {
  /** Runs until every runnable job is done (for tests and drills); resolves when the queue is idle. */
  drain(opts?: { timeoutMs?: number }): Promise<void>;
  start(): void;
  /**
   * Stops claiming and waits for running jobs; with `graceMs`, jobs still running after it are
   * handed back to the queue for another instance (their next save here fails, so they stop).
   */
  stop(opts?: { graceMs?: number }): Promise<{ released: number }>;
  readonly running: number;
}

/**
 * Claims jobs under leases and runs up to `concurrency` at once; carriers throttle themselves,
 * so many shelters progress in parallel as fast as their carriers allow.
 */
export function createWorker(deps: EngineDeps, opts: { concurrency?: number; pollMs?: number; maintenance?: () => Promise<void>; maintenanceEveryMs?: number } = {}): Worker {
  const concurrency = opts.concurrency ?? 32;
  const pollMs = opts.pollMs ?? 250;
  const active = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  /** Set by stop(): unlike `stopped` (also true before start, when tests drain by hand) it means shutting down. */
  let halting = false;
  let lastMaintenance = 0;
  let filling = false;
  let lastStaleCheck = 0;

  async function fill(): Promise<number> {
    if (filling) return 0;
    filling = true;
    let started = 0;
    try {
      for (;;) {
        // Looking for jobs of dead processes reads every running job: do it a few times per lease, not per claim.
        const now = deps.clock.now();
        const takeOverStale = now.getTime() - lastStaleCheck >= deps.leaseMs / 3;
        if (takeOverStale) lastStaleCheck = now.getTime();
        const jobs = await claimJobs(deps.store, deps.owner, now, deps.leaseMs, concurrency - active.size, new Set(active.keys()), { takeOverStale });
        if (halting && jobs.length > 0) {
          // stop() came while this claim was in flight: these jobs were never started here.
          await releaseJobs(deps.store, deps.owner, jobs.map((j) => j.id), deps.clock.now());
          break;
        }
        if (jobs.length === 0) break;
        for (const job of jobs) {
          started++;
          const p = runJob(deps, job)
            .then(() => undefined)
            .catch((err) => deps.logger.error({ jobId: job.id, error: describe(err) }, 'job crashed'))
            .finally(() => {
              active.delete(job.id);
              if (!stopped) void fill();
            });
          active.set(job.id, p);
        }
        if (active.size >= concurrency) break;
      }
    } finally {
      filling = false;
    }
    return started;
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    try {
      const now = Date.now();
      if (opts.maintenance && now - lastMaintenance >= (opts.maintenanceEveryMs ?? 60_000)) {
        lastMaintenance = now;
        await opts.maintenance();
      }
      await fill();
    } catch (err) {
      deps.logger.error({ error: describe(err) }, 'worker tick failed');
    }
    if (!stopped) timer = setTimeout(() => void tick(), pollMs);
  }

  return {
    get running() {
      return active.size;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      halting = false;
      void tick();
    },
    async stop({ graceMs }: { graceMs?: number } = {}) {
      stopped = true;
      halting = true;
      if (timer) clearTimeout(timer);
      const all = Promise.allSettled([...active.values()]);
      if (graceMs === undefined) {
        await all;
        return { released: 0 };
      }
      let graceTimer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([all.then(() => true), new Promise<false>((r) => (graceTimer = setTimeout(() => r(false), graceMs)))]);
      clearTimeout(graceTimer);
      if (finished) return { released: 0 };
      return { released: await releaseJobs(deps.store, deps.owner, [...active.keys()], deps.clock.now()) };
    },
    async drain({ timeoutMs = 60_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await fill();
        if (active.size === 0) {
          // Nothing running: is anything queued that is due, or only backing off?
          const queued = await deps.store.query('jobs', { where: { status: 'queued' }, limit: 500 });
          const nowIso = deps.clock.now().toISOString();
          const due = queued.items.filter((j) => j.runAfter <= nowIso);
          if (due.length === 0 && queued.items.length === 0) return;
          if (due.length === 0) {
            const next = Math.min(...queued.items.map((j) => Date.parse(j.runAfter)));
            if (next - deps.clock.now().getTime() > deadline - Date.now()) throw new Error(`drain timed out: ${queued.items.length} job(s) backing off`);
            await new Promise((r) => setTimeout(r, Math.max(10, Math.min(200, next - deps.clock.now().getTime()))));
            continue;
          }
        } else {
          await Promise.race([...active.values()]);
        }
        if (Date.now() > deadline) throw new Error(`drain timed out with ${active.size} job(s) running`);
      }
    },
  };
}
