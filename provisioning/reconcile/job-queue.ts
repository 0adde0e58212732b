import type { Job, JobKind } from '../model/index.js';
import { newId } from '../platform/ids.js';
import type { Store, Transaction } from '../store/store.js';

export const PRIORITY = { suspension: 0, failover: 10, shelter: 50, drift: 90 } as const;
export const MAX_JOB_ATTEMPTS = 12;

export function newJob(kind: JobKind, at: Date, fields: { shelterId?: string | null; carrierId?: string | null; priority?: number; requestedBy?: string }): Job {
  const stamp = at.toISOString();
  return {
    id: newId('job', at), version: 0, kind, shelterId: fields.shelterId ?? null, carrierId: fields.carrierId ?? null,
    status: 'queued', priority: fields.priority ?? PRIORITY.shelter, steps: [], attempts: 0, errors: [], lease: null,
    runAfter: stamp, ...(fields.requestedBy ? { requestedBy: fields.requestedBy } : {}), createdAt: stamp, updatedAt: stamp, finishedAt: null,
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

/**
 * Claims the most urgent runnable job under a lease. Two processes on one store never hold the
 * same job: the claim re-reads the job inside a transaction.
 */
export async function claimNextJob(store: Store, owner: string, now: Date, leaseMs: number, skip: ReadonlySet<string> = new Set()): Promise<Job | null> {
  const [queued, running] = await Promise.all([
    store.query('jobs', { where: { status: 'queued' }, orderBy: { field: 'priority' }, limit: 200 }),
    store.query('jobs', { where: { status: 'running' }, limit: 200 }),
  ]);
  const candidates = [...queued.items, ...running.items]
    .filter((j) => !skip.has(j.id) && claimable(j, now))
    .sort((a, b) => a.priority - b.priority || a.runAfter.localeCompare(b.runAfter));
  for (const candidate of candidates.slice(0, 20)) {
    const claimed = await store.transaction(async (tx) => {
      const job = await tx.get('jobs', candidate.id);
      if (!job || !claimable(job, now)) return null;
      const next: Job = {
        ...job, status: 'running', attempts: job.attempts + 1, version: job.version + 1, updatedAt: now.toISOString(),
        lease: { owner, until: new Date(now.getTime() + leaseMs).toISOString() },
      };
      tx.put('jobs', next);
      return next;
    });
    if (claimed) return claimed;
  }
  return null;
}

export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`the lease on job ${jobId} was taken over by another process`);
    this.name = 'LeaseLostError';
  }
}

/** Saves a job's progress, renewing the lease; fails if another process took the job over. */
export async function saveJob(store: Store, job: Job, owner: string, now: Date, leaseMs: number): Promise<Job> {
  return store.transaction(async (tx) => {
    const current = await tx.get('jobs', job.id);
    if (!current || current.lease?.owner !== owner) throw new LeaseLostError(job.id);
    const done = job.status !== 'running';
    const next: Job = {
      ...job, version: current.version + 1, updatedAt: now.toISOString(),
      lease: done ? null : { owner, until: new Date(now.getTime() + leaseMs).toISOString() },
    };
    tx.put('jobs', next);
    return next;
  });
}
