import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newJob } from '../../provisioning/jobs/job-queue.js';
import type { Job } from '../../provisioning/model/index.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import type { EngineDeps } from '../../provisioning/reconcile/engine.js';
import { createWorker } from '../../provisioning/reconcile/worker.js';
import { SqliteStore } from '../../provisioning/store/sqlite-store.js';
import type { Store } from '../../provisioning/store/store.js';

/**
 * A shutdown that comes while a claim is under way: the claim's transactions have landed (the jobs
 * are leased to this process in the store) but claimJobs has not returned yet. Seen in the
 * three-instance test: b exited 0 with "0 jobs handed back" and two jobs still leased to it, never
 * started, so they waited out their lease.
 */
describe('worker shutdown during a claim', () => {
  let dir: string;
  let store: SqliteStore;
  const clock = new ManualClock(new Date('2026-09-01T09:00:00.000Z'));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'worker-stop-'));
    store = new SqliteStore(join(dir, 'orch.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the claim under way and hands its jobs back before it returns', async () => {
    await store.putMany('jobs', Array.from({ length: 3 }, (_, i) => newJob('open_shelter', clock.now(), { type: 'shelter', shelterId: `s${i}` })));
    // The real store, with each claim held after its transaction committed, until `release()`.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let claimsLanded = 0;
    let landed!: () => void;
    const firstClaimLanded = new Promise<void>((r) => (landed = r));
    const slowClaims: Store = Object.create(store, {
      transaction: {
        value: async <R,>(fn: Parameters<Store['transaction']>[0]): Promise<R> => {
          const result = (await store.transaction(fn)) as R;
          const job = result as Partial<Job> | null;
          if (job && job.status === 'running' && job.lease?.owner === 'worker_a') {
            claimsLanded++;
            landed();
            await held;
          }
          return result;
        },
      },
    });
    const deps = { store: slowClaims, clock, random: () => 0.5, owner: 'worker_a', leaseMs: 30_000, logger: pino({ level: 'silent' }) } as unknown as EngineDeps;
    const worker = createWorker(deps, { concurrency: 3, pollMs: 60_000, maintenanceEveryMs: 3_600_000 });
    worker.start();
    await firstClaimLanded;
    expect((await store.query('jobs', { where: { status: 'running' } })).items.length).toBeGreaterThan(0);

    let stopped = false;
    const stopping = worker.stop({ graceMs: 5_000 }).then((r) => ((stopped = true), r));
    // stop() must not return while the claim it interrupted still holds jobs in the store.
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect(claimsLanded).toBe(3);
    const running = (await store.query('jobs', { where: { status: 'running' } })).items;
    expect(running.filter((j) => j.lease?.owner === 'worker_a')).toEqual([]);
    // Handed back, not counted as an attempt: they run elsewhere as if never claimed.
    const queued = (await store.query('jobs', { where: { status: 'queued' } })).items.filter((j) => j.kind === 'open_shelter');
    expect(queued).toHaveLength(3);
    for (const j of queued) expect(j).toMatchObject({ attempts: 0, lease: null, steps: [] });
  });
});
