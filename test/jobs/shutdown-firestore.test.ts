import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as realSleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimJobs, newJob, releaseJobs } from '../../provisioning/jobs/job-queue.js';
import type { Job } from '../../provisioning/model/index.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { createWorker } from '../../provisioning/reconcile/worker.js';
import { FirestoreStore } from '../../provisioning/store/firestore/firestore-store.js';
import type { Store } from '../../provisioning/store/store.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { startServer } from '../../server/start-server.js';
import { SHUTDOWN_BUDGET } from '../../server/shutdown-budget.js';
import { SECRET_KEY_HEX } from '../support/api-server.js';
import { resetFirestore } from '../support/firestore-emulator.js';
import { claimsHeldBy, deferred, workerDeps } from '../support/held-claims.js';
import { firestoreEmulator } from '../support/requirements.js';

const emulatorHost = firestoreEmulator();

const START = new Date('2026-09-01T09:00:00.000Z');
const LEASE_MS = 30_000;
/** Maintenance once an hour: the slot's job is put in place as done, so it does not run beside the test's. */
const MAINTENANCE_EVERY_MS = 3_600_000;
/**
 * How long a test lets the shutdown run before it calls it hung. Far above the budget the shutdown
 * has (about 8 s), far below the minute the emulator keeps a held transaction's locks.
 */
const HUNG_MS = 30_000;
const TEST_MS = 3 * HUNG_MS;

/**
 * Another instance's transaction that has read `jobId` and holds it (on the emulator a SIGKILLed
 * instance's open transaction keeps its locks for about 60 s: measured 61.7 s), until `release()`.
 */
async function holdJob(other: Store, jobId: string): Promise<{ release: () => Promise<void> }> {
  const read = deferred();
  const release = deferred();
  const done = other.transaction(async (tx) => {
    await tx.get('jobs', jobId);
    read.settle();
    await release.promise;
  });
  await read.promise;
  return {
    release: async () => {
      release.settle();
      await done;
    },
  };
}

/** The maintenance of this hour already ran (elsewhere). */
async function maintenanceDone(store: Store): Promise<void> {
  const slot = Math.floor(START.getTime() / MAINTENANCE_EVERY_MS).toString(36);
  await store.put('jobs', { ...newJob('drift_repair', START, { type: 'network' }, { id: `job_drift_${slot}` }), status: 'succeeded' });
}

/**
 * `job_held`, a routing check, as the stopping instance sees it (`store`): `hold()` waits until its
 * claim has landed, has another instance hold the job, then lets the claim return and waits until
 * the attempt's save into the held job has begun (it waits on the lock: a lock timeout every ~2.5 s
 * on the emulator, retried). `unblock()` lets the claim return whatever happened.
 */
async function jobHeldWhileSaving(real: Store, other: Store) {
  await real.put('jobs', newJob('routing_check', START, { type: 'network' }, { id: 'job_held' }));
  await maintenanceDone(real);
  const lockTaken = deferred();
  const saving = deferred();
  let claimed = false;
  const claim = claimsHeldBy(real, (j) => j.id === 'job_held' && (claimed = true), lockTaken.promise);
  const transaction: PropertyDescriptor = {
    value: (fn: Parameters<Store['transaction']>[0]) => {
      // After the claim, the worker's next transaction is the attempt's save.
      if (claimed) saving.settle();
      return (claim.value as Store['transaction'])(fn);
    },
  };
  return {
    store: Object.create(real, { transaction }) as Store,
    hold: async () => {
      const held = await holdJob(other, await claimedJob(other, 'job_held'));
      lockTaken.settle();
      await saving.promise;
      return held;
    },
    unblock: () => lockTaken.settle(),
  };
}

/** Waits until the worker has claimed `jobId` (its claim landed in the store). */
async function claimedJob(store: Store, jobId: string): Promise<string> {
  for (let i = 0; (await store.get('jobs', jobId))?.status !== 'running'; i++) {
    if (i * 50 > HUNG_MS) throw new Error(`the worker never claimed ${jobId}`);
    await realSleep(50);
  }
  return jobId;
}

/**
 * Seen in the three-instance test: a SIGTERMed instance overran its 8.5 s deadline in its first
 * step (stopping the worker), its hand-back of running jobs waiting on job documents that
 * transactions held (its own attempts' saves, retrying on lock timeouts after the hand-back began;
 * the SIGKILLed instance's, left open). A plain write waits on such a lock for as long as it is held.
 */
describe.skipIf(!emulatorHost)('shutdown on Firestore while another instance holds a transaction on a job', () => {
  let projectId: string;
  let dir: string;
  let other: FirestoreStore;
  const clock = new ManualClock(START);

  beforeEach(() => {
    projectId = `stop-${randomUUID()}`;
    dir = mkdtempSync(join(tmpdir(), 'sl-stop-'));
    other = new FirestoreStore({ projectId });
  });
  afterEach(async () => {
    await other.close();
    await resetFirestore(projectId);
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands back each job on its own: a held one does not keep the others leased', async () => {
    const store = new FirestoreStore({ projectId });
    let held: { release: () => Promise<void> } | null = null;
    try {
      await store.putMany('jobs', Array.from({ length: 3 }, (_, i) => newJob('routing_check', clock.now(), { type: 'network' }, { id: `job_${i}` })));
      const mine = await claimJobs(store, 'worker_a', clock.now(), LEASE_MS, 3, new Set(), { takeOverStale: false });
      expect(mine).toHaveLength(3);
      held = await holdJob(other, 'job_0');
      const handBack = releaseJobs(store, 'worker_a', mine.map((j) => j.id), clock.now());
      // The other two are back in the queue while job_0 is still held (one batch for all waited on it).
      for (let i = 0; ; i++) {
        const free = await Promise.all(['job_1', 'job_2'].map((id) => other.get('jobs', id)));
        if (free.every((j) => j?.status === 'queued')) break;
        expect(i, 'job_1 and job_2 handed back while job_0 is held').toBeLessThan(HUNG_MS / 100);
        await realSleep(100);
      }
      expect(await other.get('jobs', 'job_0')).toMatchObject({ status: 'running', lease: { owner: 'worker_a' } });
      await held.release();
      held = null;
      // Its write waited on the lock and lands once the holder has ended: all three are back.
      expect(await handBack).toEqual({ released: 3, leftLeased: [] });
      for (const id of ['job_0', 'job_1', 'job_2']) expect(await other.get('jobs', id)).toMatchObject({ status: 'queued', lease: null, attempts: 0 });
    } finally {
      await held?.release();
      await store.close();
    }
  }, TEST_MS);

  it("an attempt stops saving into its job once the job is handed back, instead of retrying on the held lock", async () => {
    const real = new FirestoreStore({ projectId });
    const scene = await jobHeldWhileSaving(real, other);
    const worker = createWorker(workerDeps(scene.store, clock), { concurrency: 2, pollMs: 60_000, maintenanceEveryMs: MAINTENANCE_EVERY_MS });
    let held: { release: () => Promise<void> } | null = null;
    try {
      worker.start();
      held = await scene.hold();
      const stopping = worker.stop({ graceMs: 500, handBackMs: 1_000 });
      const outcome = await Promise.race([stopping, realSleep(HUNG_MS).then(() => 'still waiting' as const)]);
      expect(outcome, 'worker.stop() with the job held by another instance').not.toBe('still waiting');
      expect(outcome).toEqual({ released: 0, leftLeased: [{ jobId: 'job_held', why: 'its hand-back was not confirmed in time' }] });
      // Its save waits on the lock (~2.5 s each try on the emulator): the next try must not begin.
      // The old worker's attempt retried 50 times, holding the job's document for minutes.
      for (let i = 0; worker.running > 0; i++) {
        expect(i, 'the attempt still retries its save into the held job').toBeLessThan(HUNG_MS / 100);
        await realSleep(100);
      }
    } finally {
      scene.unblock();
      await held?.release();
      await real.close();
    }
  }, TEST_MS);

  it('a claim under way when the shutdown begins takes no lease after it, and what it took is handed back', async () => {
    const real = new FirestoreStore({ projectId });
    await real.putMany('jobs', ['job_landing', 'job_held'].map((id) => newJob('routing_check', clock.now(), { type: 'network' }, { id })));
    await maintenanceDone(real);
    // One claim of the wave lands as the shutdown begins; the other waits on a job another instance
    // holds (a lock timeout after ~2.5 s on the emulator, then a retry): the wave returns only after it.
    const held = await holdJob(other, 'job_held');
    const stopCalled = deferred();
    const store: Store = Object.create(real, { transaction: claimsHeldBy(real, (j) => j.id === 'job_landing', stopCalled.promise) });
    const worker = createWorker(workerDeps(store, clock), { concurrency: 2, pollMs: 60_000, maintenanceEveryMs: MAINTENANCE_EVERY_MS });
    try {
      worker.start();
      await claimedJob(other, 'job_landing');
      // A budget far above a lock timeout: the waiting claim ends within it.
      const stopping = worker.stop({ graceMs: 500, handBackMs: HUNG_MS / 2 });
      stopCalled.settle();
      const outcome = await Promise.race([stopping, realSleep(HUNG_MS).then(() => 'still waiting' as const)]);
      expect(outcome, 'worker.stop() with a claim waiting on a held job').not.toBe('still waiting');
      // The claim that landed went back; the one that waited took no lease once it could.
      expect(outcome).toEqual({ released: 1, leftLeased: [] });
      expect(await other.get('jobs', 'job_landing')).toMatchObject({ status: 'queued', lease: null, attempts: 0 });
      await held.release();
      expect(await other.get('jobs', 'job_held')).toMatchObject({ status: 'queued', lease: null, attempts: 0 });
    } finally {
      stopCalled.settle();
      await held.release();
      await real.close();
    }
  }, TEST_MS);

  it('a SIGTERM shutdown finishes within its budget; the held job is left to its lease and taken over when it runs out', async () => {
    const real = new FirestoreStore({ projectId });
    const scene = await jobHeldWhileSaving(real, other);
    const logs: string[] = [];
    const config = loadConfig({ ORCH_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', ORCH_STORE: 'firestore', ORCH_ADMIN_TOKEN: 'a'.repeat(40), ORCH_SECRET_KEY: SECRET_KEY_HEX });
    const server = await startServer({
      config, logger: createLogger('info', { write: (l: string) => void logs.push(l) }), version: 'test', store: scene.store, clock,
      leaseMs: LEASE_MS, workerConcurrency: 4, maintenanceEveryMs: MAINTENANCE_EVERY_MS, wsHub: false,
    });
    let held: { release: () => Promise<void> } | null = null;
    try {
      held = await scene.hold();
      const owner = server.deps.engine.owner;

      const closing = server.close(SHUTDOWN_BUDGET);
      const outcome = await Promise.race([closing, realSleep(HUNG_MS).then(() => 'still waiting' as const)]);
      expect(outcome, 'server.close() with the job held by another instance').not.toBe('still waiting');
      // What it could not hand back it says, and leaves to its lease.
      expect(outcome).toEqual({ releasedJobs: 0, leftLeased: [{ jobId: 'job_held', why: 'its hand-back was not confirmed in time' }], storeClosed: false });
      expect(logs.some((l) => l.includes('left to their lease') && l.includes('job_held'))).toBe(true);
      // The hand-back write still waits on the lock: the store's close is cut off, and says so.
      expect(logs.some((l) => l.includes('the store did not close in time'))).toBe(true);
      expect(await other.get('jobs', 'job_held')).toMatchObject({ status: 'running', lease: { owner } });

      await held.release();
      held = null;
      // Another instance gets it: at once if the hand-back write, which waited on the lock, landed
      // after all; else once the lease the stopped instance set has run out.
      const left = (await other.get('jobs', 'job_held'))!;
      const at = left.status === 'running' ? new Date(Date.parse(left.lease!.until)) : clock.now();
      const [taken] = await claimJobs(other, 'worker_b', at, LEASE_MS, 4, new Set(), { takeOverStale: true });
      expect(taken).toMatchObject<Partial<Job>>({ id: 'job_held', status: 'running', lease: { owner: 'worker_b', until: new Date(at.getTime() + LEASE_MS).toISOString() } });
    } finally {
      scene.unblock();
      await held?.release();
    }
  }, TEST_MS);
});
