import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../provisioning/model/index.js';
import { claimJobs, newJob, releaseJobs } from '../../provisioning/jobs/job-queue.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import type { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';
import { openTempSqliteStore, removeTempSqliteStore } from '../support/temp-sqlite-store.js';

const LEASE_MS = 5000;
const seeded = (seed: number) => () => ((seed = (seed * 16807) % 2147483647) / 2147483647);

describe('job queue leases (SQLite store)', () => {
  let store: SqliteStore;
  const clock = new ManualClock(new Date('2026-09-01T09:00:00.000Z'));

  beforeEach(() => {
    store = openTempSqliteStore();
  });
  afterEach(async () => {
    await removeTempSqliteStore(store);
  });

  /** `n` queued shelter jobs, and one job a dead instance held whose lease ran out `agoMs` ago. */
  async function queueWithDeadJob(n: number, agoMs: number): Promise<Job> {
    const now = clock.now();
    await store.putMany('jobs', Array.from({ length: n }, (_, i) => newJob('open_shelter', now, { type: 'shelter', shelterId: `s${i}` })));
    const dead: Job = {
      ...newJob('open_shelter', now, { type: 'shelter', shelterId: 'dead' }),
      status: 'running', attempts: 1, lease: { owner: 'worker_dead', until: new Date(now.getTime() - agoMs).toISOString() },
    };
    await store.put('jobs', dead);
    return dead;
  }

  it("takes over a dead instance's job while the queue is still long (a mass opening)", async () => {
    const dead = await queueWithDeadJob(50, 1);
    const claimed = await claimJobs(store, 'worker_b', clock.now(), LEASE_MS, 2, new Set(), { takeOverStale: true, random: seeded(7) });
    expect(claimed.map((j) => j.id)).toContain(dead.id);
    const after = await store.get('jobs', dead.id);
    expect(after).toMatchObject({ status: 'running', attempts: 2, lease: { owner: 'worker_b' } });
  });

  it('leaves a job whose lease has not run out to its holder', async () => {
    const alive = await queueWithDeadJob(3, -LEASE_MS);
    const claimed = await claimJobs(store, 'worker_b', clock.now(), LEASE_MS, 10, new Set(), { takeOverStale: true, random: seeded(7) });
    expect(claimed).toHaveLength(3);
    expect(claimed.map((j) => j.id)).not.toContain(alive.id);
    expect(await store.get('jobs', alive.id)).toMatchObject({ status: 'running', lease: { owner: 'worker_dead' } });
  });

  it('a shutdown hands its running jobs back to the queue at once, not as an attempt, and leaves others alone', async () => {
    await queueWithDeadJob(6, -LEASE_MS);
    const mine = await claimJobs(store, 'worker_b', clock.now(), LEASE_MS, 4, new Set(), { takeOverStale: false, random: seeded(3) });
    expect(mine).toHaveLength(4);
    const released = await releaseJobs(store, 'worker_b', [...mine.map((j) => j.id), 'job_unknown'], clock.now());
    expect(released).toEqual({ released: 4, leftLeased: [] });
    for (const j of mine) expect(await store.get('jobs', j.id)).toMatchObject({ status: 'queued', lease: null, attempts: 0, runAfter: clock.now().toISOString() });
    // Releasing again, or another owner's job, changes nothing.
    expect(await releaseJobs(store, 'worker_b', mine.map((j) => j.id), clock.now())).toEqual({ released: 0, leftLeased: [] });
    const others = (await store.query('jobs', { where: { status: 'running' } })).items;
    expect(others.map((j) => j.lease?.owner)).toEqual(['worker_dead']);
    expect(await releaseJobs(store, 'worker_b', others.map((j) => j.id), clock.now())).toEqual({ released: 0, leftLeased: [] });
  });
});
