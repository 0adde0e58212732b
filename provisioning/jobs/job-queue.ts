import type { Job, JobKind, JobSubject } from '../model/index.js';
import { newId } from '../platform/ids.js';
import type { Store, Transaction } from '../store/store.js';
import { bumpedAt } from '../store/versioned.js';
import { moveJob } from './job-lifecycle.js';

export const PRIORITY = { suspension: 0, failover: 10, shelter: 50, drift: 90 } as const;
export const MAX_JOB_ATTEMPTS = 12;

/**
 * A queued job; a shelter's job goes through requestReconcile so it supersedes the old one and is
 * audited. `requestId`: the HTTP request that caused it (its actor's), so its log lines can be found.
 */
export function newJob(kind: JobKind, at: Date, subject: JobSubject, fields: { carrierId?: string | null; priority?: number; requestedBy?: string; requestId?: string | undefined; id?: string } = {}): Job {
  const stamp = at.toISOString();
  const requestId = fields.requestId;
  return {
    id: fields.id ?? newId('job', at), version: 0, kind, subject, shelterId: subject.type === 'shelter' ? subject.shelterId : null, carrierId: fields.carrierId ?? null, supersedes: null,
    status: 'queued', priority: fields.priority ?? PRIORITY.shelter, steps: [], attempts: 0, errors: [], lease: null,
    runAfter: stamp, ...(fields.requestedBy ? { requestedBy: fields.requestedBy } : {}), ...(requestId ? { requestId } : {}), createdAt: stamp, updatedAt: stamp, finishedAt: null,
  };
}

export function enqueue(tx: Transaction, job: Job): Job {
  tx.put('jobs', job);
  return job;
}

function claimable(job: Job, now: Date): boolean {
  const t = now.toISOString();
  if (job.status === 'queued') return job.runAfter <= t;
  // A running job whose lease ran out belongs to a process that died: take it over.
  return job.status === 'running' && (!job.lease || job.lease.until <= t);
}

export interface ClaimOptions {
  takeOverStale?: boolean;
  random?: () => number;
  /** Aborted when the claimer stops (shutdown): no lease is taken after it, not even by a retry. */
  signal?: AbortSignal;
  /** Told of each job as its claim lands, before the slowest claim of its wave has returned. */
  onClaim?: (job: Job) => void;
  /** Holds the ids whose claim is in flight: one may still land. */
  claiming?: Set<string>;
}

/**
 * Claims up to `max` of the most urgent runnable jobs under leases. Two processes on one store
 * never hold the same job: each claim re-reads its job inside a transaction. One query serves
 * the whole batch, so filling a large worker does not re-read the queue per job.
 */
export async function claimJobs(store: Store, owner: string, now: Date, leaseMs: number, max: number, skip: ReadonlySet<string> = new Set(), opts: ClaimOptions = {}): Promise<Job[]> {
  const random = opts.random ?? Math.random;
  if (max <= 0) return [];
  const queued = await store.query('jobs', { where: { status: 'queued' }, orderBy: { field: 'priority' }, limit: Math.min(1000, max * 2 + 20) });
  let candidates = queued.items.filter((j) => !skip.has(j.id) && claimable(j, now));
  if (opts.takeOverStale !== false) {
    // Jobs whose lease ran out belong to a process that died: take them over, even while the queue
    // is long (a mass opening), or its shelters would wait for the whole queue.
    // A lease is renewed with `updatedAt`: the least recently renewed come first, so a few reads find
    // every lease that ran out (reading 200 running jobs per claim was a third of a mass opening's CPU).
    const running = await store.query('jobs', { where: { status: 'running' }, orderBy: { field: 'updatedAt' }, limit: 20 });
    candidates = [...candidates, ...running.items.filter((j) => !skip.has(j.id) && claimable(j, now))];
  }
  // Instances sharing a store would all reach for the same oldest job and contend on it: within a
  // priority, each takes the due jobs in its own random order (the query already bounds how far back);
  // a dead process's jobs first, since they were started before anything still queued.
  const rank = new Map(candidates.map((j) => [j.id, (j.status === 'running' ? -1 : 0) + random()]));
  candidates.sort((a, b) => a.priority - b.priority || rank.get(a.id)! - rank.get(b.id)!);
  const stopped = () => opts.signal?.aborted === true;
  const claimOne = async (id: string): Promise<Job | null> => {
    opts.claiming?.add(id);
    try {
      const job = await store.transaction(async (tx) => {
        // Checked on each try (a retry after contention too) and again after the read, which may have
        // waited seconds on a lock: a claimer that stopped meanwhile takes no lease.
        if (stopped()) return null;
        const current = await tx.get('jobs', id);
        if (!current || !claimable(current, now) || stopped()) return null;
        const next = bumpedAt(moveJob(current, { move: 'claim', lease: { owner, until: new Date(now.getTime() + leaseMs).toISOString() } }), now);
        tx.put('jobs', next);
        return next;
      });
      if (job) opts.onClaim?.(job);
      return job;
    } finally {
      opts.claiming?.delete(id);
    }
  };
  // In waves of the still-missing count, each job its own transaction: one by one, filling an
  // instance took a round trip per job (seconds on a loaded Firestore before its first job ran).
  const claimed: Job[] = [];
  let next = 0;
  while (claimed.length < max && next < candidates.length && !stopped()) {
    const wave = candidates.slice(next, next + (max - claimed.length));
    next += wave.length;
    for (const job of await Promise.all(wave.map((c) => claimOne(c.id)))) if (job) claimed.push(job);
  }
  return claimed;
}

export class LeaseLostError extends Error {
  constructor(jobId: string, how = 'was taken over by another process') {
    super(`the lease on job ${jobId} ${how}`);
    this.name = 'LeaseLostError';
  }
}

/**
 * Saves a job's progress, renewing the lease; fails if another process took the job over.
 * `alongside` lands in the same transaction (reads first, then writes): what a step's success
 * changes in the store is recorded with the step, not in a transaction of its own.
 * Once `handedBack` is aborted (shutdown) the save stops at its next check, a retry included: a
 * save retrying on lock timeouts held the job's document for seconds while the hand-back waited on it.
 */
export async function saveJob(store: Store, job: Job, owner: string, now: Date, leaseMs: number, alongside?: (tx: Transaction) => Promise<void>, handedBack?: AbortSignal): Promise<Job> {
  const checkNotHandedBack = () => {
    if (handedBack?.aborted) throw new LeaseLostError(job.id, 'was handed back to the queue');
  };
  return store.transaction(async (tx) => {
    checkNotHandedBack();
    const current = await tx.get('jobs', job.id);
    if (!current || current.lease?.owner !== owner) throw new LeaseLostError(job.id);
    await alongside?.(tx);
    checkNotHandedBack();
    const done = job.status !== 'running';
    // The caller's copy of the job is what lands, one version above the stored one.
    const next = bumpedAt({ ...job, version: current.version }, now, { lease: done ? null : { owner, until: new Date(now.getTime() + leaseMs).toISOString() } });
    tx.put('jobs', next);
    return next;
  });
}

/** A job this process could not hand back: it keeps its lease, and another instance takes it over when that runs out. */
export interface LeftLeased {
  jobId: string;
  why: string;
}

/**
 * Hands jobs this process still holds back to the queue at once (graceful shutdown), so another
 * instance picks them up now instead of after the lease runs out. Not an attempt: the count is
 * given back. A job another process already took over is left alone.
 *
 * One guarded write per job, all at once (not a transaction per job: on a busy Firestore a dozen
 * contended transactions overran the 10 s a stopping instance has; not one batch for all: a write
 * waits for as long as a transaction holds its document, and one held job kept every other leased).
 * A job whose version moved between the read and the write is read again, a few rounds at most.
 * What is not confirmed by `until` is left to its lease.
 */
export async function releaseJobs(store: Store, owner: string, jobIds: readonly string[], now: Date, opts: { until?: Promise<void> } = {}): Promise<{ released: number; leftLeased: LeftLeased[] }> {
  const ids = [...new Set(jobIds)];
  const outcomes = new Map<string, 'released' | 'not ours' | LeftLeased>();
  const all = Promise.all(
    ids.map(async (jobId) => {
      try {
        outcomes.set(jobId, await releaseJob(store, owner, jobId, now));
      } catch (err) {
        outcomes.set(jobId, { jobId, why: `handing it back failed: ${err instanceof Error ? err.message : String(err)}` });
      }
    }),
  );
  await (opts.until ? Promise.race([all, opts.until]) : all);
  const leftLeased = ids.map((jobId) => outcomes.get(jobId) ?? { jobId, why: 'its hand-back was not confirmed in time' }).filter((o): o is LeftLeased => typeof o === 'object');
  return { released: [...outcomes.values()].filter((o) => o === 'released').length, leftLeased };
}

async function releaseJob(store: Store, owner: string, jobId: string, now: Date): Promise<'released' | 'not ours' | LeftLeased> {
  for (let round = 0; round < 3; round++) {
    const j = await store.get('jobs', jobId);
    if (!j || j.status !== 'running' || j.lease?.owner !== owner) return 'not ours';
    const [landed] = await store.commitGuarded([{
      expect: [{ collection: 'jobs', id: j.id, version: j.version }],
      puts: [{ collection: 'jobs', doc: bumpedAt(moveJob(j, { move: 'hand_back', at: now }), now) }],
    }]);
    if (landed) return 'released';
  }
  return { jobId, why: 'it kept changing while it was being handed back' };
}
