import type { Actor, Job, JobKind, Shelter } from '../model/index.js';
import type { Writes } from '../store/store.js';
import { appendAudit } from '../audit/audit-log.js';
import { newJob, PRIORITY } from './job-queue.js';
import { bumpedAt } from '../store/versioned.js';

export interface ReconcileRequest {
  kind: JobKind;
  at: Date;
  actor: Actor;
  /** Why the shelter must be converged again, for the audit log: a person's words as given, or none. */
  reason: string | null;
  priority?: number;
  /** The carrier whose change caused this (failover, suspension). */
  carrierId?: string | null;
}

/**
 * Asks the engine to converge one shelter again: a new job becomes the shelter's current job, the
 * one it replaces is superseded (it cancels itself when it next runs), and the request is audited.
 * `shelter` is the document as read in this transaction, with any change the caller makes to it.
 */
export function requestReconcile(tx: Writes, shelter: Shelter, req: ReconcileRequest): { shelter: Shelter; job: Job } {
  const job: Job = {
    ...newJob(req.kind, req.at, { type: 'shelter', shelterId: shelter.id }, {
      priority: req.priority ?? PRIORITY.shelter, carrierId: req.carrierId ?? null, requestedBy: req.actor.label ?? req.actor.id, requestId: req.actor.requestId,
    }),
    supersedes: shelter.currentJobId,
  };
  const next = bumpedAt(shelter, req.at, { currentJobId: job.id });
  tx.put('jobs', job);
  tx.put('shelters', next);
  appendAudit(tx, {
    at: req.at, actor: req.actor, action: 'reconcile.request', entity: { collection: 'shelters', id: shelter.id },
    from: shelter.currentJobId, to: job.id, reason: req.reason, after: { kind: req.kind, jobId: job.id, ...(req.carrierId ? { carrierId: req.carrierId } : {}) },
  });
  return { shelter: next, job };
}
