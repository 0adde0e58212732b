import { setTimeout as realSleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newJob } from '../../provisioning/jobs/job-queue.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { createWorker } from '../../provisioning/reconcile/worker.js';
import type { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';
import { openTempSqliteStore, removeTempSqliteStore } from '../support/temp-sqlite-store.js';
import type { Store } from '../../provisioning/store/store.js';
import { claimsHeldBy, deferred, workerDeps } from '../support/held-claims.js';

/**
 * A shutdown that comes while a claim is under way: the claim's transactions have landed (the jobs
 * are leased to this process in the store) but claimJobs has not returned yet. Seen in the
 * three-instance test: b exited 0 with "0 jobs handed back" and two jobs still leased to it, never
 * started, so they waited out their lease.
 */
describe('worker shutdown during a claim', () => {
  let store: SqliteStore;
  const clock = new ManualClock(new Date('2026-09-01T09:00:00.000Z'));

  beforeEach(() => {
    store = openTempSqliteStore();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await removeTempSqliteStore(store);
  });

  it('waits for the claim under way and hands its jobs back before it returns', async () => {
    await store.putMany('jobs', Array.from({ length: 3 }, (_, i) => newJob('open_shelter', clock.now(), { type: 'shelter', shelterId: `s${i}` })));
    // The real store, with each claim held after its transaction committed, until `held` settles.
    const held = deferred();
    let claimsLanded = 0;
    const firstClaimLanded = deferred();
    const slowClaims: Store = Object.create(store, {
      transaction: claimsHeldBy(store, () => (claimsLanded++, firstClaimLanded.settle(), true), held.promise),
    });
    const worker = createWorker(workerDeps(slowClaims, clock), { concurrency: 3, pollMs: 60_000, maintenanceEveryMs: 3_600_000 });
    worker.start();
    await firstClaimLanded.promise;
    expect((await store.query('jobs', { where: { status: 'running' } })).items.length).toBeGreaterThan(0);

    let stopped = false;
    const stopping = worker.stop({ graceMs: 5_000 }).then((r) => ((stopped = true), r));
    // stop() must not return while the claim it interrupted still holds jobs in the store.
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    held.settle();
    await stopping;

    expect(claimsLanded).toBe(3);
    const running = (await store.query('jobs', { where: { status: 'running' } })).items;
    expect(running.filter((j) => j.lease?.owner === 'worker_a')).toEqual([]);
    // Handed back, not counted as an attempt: they run elsewhere as if never claimed.
    const queued = (await store.query('jobs', { where: { status: 'queued' } })).items.filter((j) => j.kind === 'open_shelter');
    expect(queued).toHaveLength(3);
    for (const j of queued) expect(j).toMatchObject({ attempts: 0, lease: null, steps: [] });
  });

  it('gives the claim under way and the running jobs one grace period between them, not one each', async () => {
    // Fake timers for the worker's grace and poll timers only; the store's setImmediate stays real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await store.put('jobs', newJob('routing_check', clock.now(), { type: 'network' }));
    // A running job that hangs on its first read (the drift check reads the carriers), and the
    // second claim held after its transaction landed, as a busy Firestore holds both.
    const held = deferred();
    const jobRunning = deferred();
    const secondClaimHeld = deferred();
    let claims = 0;
    const slowStore: Store = Object.create(store, {
      query: {
        value: async (collection: string, q: unknown) => {
          if (collection === 'carriers') {
            jobRunning.settle();
            await held.promise;
          }
          return store.query(collection as 'jobs', q as never);
        },
      },
      transaction: claimsHeldBy(store, (job) => job.kind === 'routing_check' && ++claims === 2 && (secondClaimHeld.settle(), true), held.promise),
    });
    const worker = createWorker(workerDeps(slowStore, clock), { concurrency: 3, pollMs: 1_000, maintenanceEveryMs: 3_600_000 });
    worker.start();
    await jobRunning.promise;
    // A second job arrives; the next poll claims it and is held there.
    await store.put('jobs', newJob('routing_check', clock.now(), { type: 'network' }));
    await vi.advanceTimersByTimeAsync(1_000);
    await secondClaimHeld.promise;

    const stopping = worker.stop({ graceMs: 2_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    // Past the grace period, stop() hands the running jobs back and returns; it used to wait a second
    // grace period for the jobs after the first had run out on the claim.
    const outcome = await Promise.race([stopping.then(() => 'returned'), realSleep(3_000).then(() => 'still waiting')]);
    expect(outcome).toBe('returned');
    expect((await stopping).released).toBeGreaterThan(0);
    held.settle();
  });
});
