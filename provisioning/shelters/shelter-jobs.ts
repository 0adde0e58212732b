import { bumpedAt } from '../store/versioned.js';
import type { Actor, Job } from '../model/index.js';
import type { Store } from '../store/store.js';
import { appendAudit } from '../audit/audit-log.js';
import { conflict, notFound } from '../errors.js';
import { pageInArea, type Scoped } from '../access/area-scope.js';
import { canMove, moveJob } from '../jobs/job-lifecycle.js';
import { jobProgress } from './registry.js';

/** The jobs the engine runs for shelters, as a coordinator sees them: one, a page of them, a retry. */

export async function getJob(store: Store, id: string) {
  const job = await store.get('jobs', id);
  if (!job) throw notFound('job', id);
  return { ...job, progress: jobProgress(job) };
}

export async function listJobs(store: Store, q: { status?: Job['status']; shelterId?: string; limit?: number; cursor?: string | null }, who: Scoped = {}) {
  const where: Record<string, string> = {};
  if (q.status) where.status = q.status;
  if (q.shelterId) where.shelterId = q.shelterId;
  return pageInArea(store, who, 'jobs', { where, orderBy: { field: 'createdAt', direction: 'desc' }, limit: q.limit, cursor: q.cursor ?? null });
}

/** A failed job is tried again from where it stopped (done steps are kept). */
export async function retryJob(store: Store, id: string, ctx: { actor: Actor; at: Date }) {
  return store.transaction(async (tx) => {
    const job = await tx.get('jobs', id);
    if (!job) throw notFound('job', id);
    if (!canMove(job.status, 'retry')) throw conflict(`job ${id} is ${job.status}; only a failed or cancelled job can be retried`);
    const next: Job = bumpedAt(moveJob(job, { move: 'retry', at: ctx.at }), ctx.at);
    tx.put('jobs', next);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'job.retry', entity: { collection: 'jobs', id }, from: job.status, to: 'queued' });
    return next;
  });
}
