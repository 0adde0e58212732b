import { JobStatus, type Job } from '../model/index.js';

type JobError = Job['errors'][number];

/**
 * The one table of a job's lifecycle (beside the number's, numbers/lifecycle.ts): each move a job
 * can make, the statuses it may start from and the one it ends in. Every place that sets a job's
 * status goes through `moveJob`; the version and `updatedAt` are the saver's (saveJob, the guarded
 * writes), and so is the lease once a job is no longer running (saveJob drops it).
 */
export const JOB_MOVES = {
  //          a worker takes it under a lease; a running job whose lease ran out is a dead process's, taken over
  claim: { from: ['queued', 'running'], to: 'running' },
  //          the attempt failed in a way another may mend: queued again after a backoff
  backoff: { from: ['running'], to: 'queued' },
  //          a member's own engineers have the work order: looked at again later, the attempt not counted
  wait: { from: ['running'], to: 'queued' },
  //          a recurring job (a carrier's probe) comes back at its next time, with a fresh count of attempts
  again: { from: ['running'], to: 'queued' },
  //          this process stops: the job goes back to the queue at once for another instance, the attempt given back
  hand_back: { from: ['running'], to: 'queued' },
  //          the reconciler converged its subject
  succeed: { from: ['running'], to: 'succeeded' },
  //          a newer request superseded it: that job sets the subject's state
  cancel: { from: ['running'], to: 'cancelled' },
  //          failed with a reason (the last attempt, or a failure no retry mends)
  fail: { from: ['running'], to: 'failed' },
  //          a coordinator tries a failed or cancelled job again from where it stopped (done steps kept)
  retry: { from: ['failed', 'cancelled'], to: 'queued' },
} as const satisfies Record<string, { from: readonly JobStatus[]; to: JobStatus }>;

export type JobMoveName = keyof typeof JOB_MOVES;

/** A move with what it needs: the lease a claim takes, when a job queued again may run, the error a failure records. */
export type JobMove =
  | { move: 'claim'; lease: NonNullable<Job['lease']> }
  | { move: 'backoff'; runAfter: Date; error: JobError }
  | { move: 'wait' | 'again'; runAfter: Date }
  | { move: 'hand_back' | 'retry'; at: Date }
  | { move: 'succeed' | 'cancel'; at: Date }
  | { move: 'fail'; at: Date; error?: JobError };

/** The statuses a job in `from` may reach by some move: the table read by status, as the number's is. */
export const JOB_TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = Object.fromEntries(
  JobStatus.options.map((from) => [from, [...new Set(Object.values(JOB_MOVES).filter((m) => (m.from as readonly JobStatus[]).includes(from)).map((m) => m.to))]]),
) as Record<JobStatus, JobStatus[]>;

/** A move the lifecycle forbids from the job's status. */
export class IllegalJobTransitionError extends Error {
  override readonly name = 'IllegalJobTransitionError';
  readonly code = 'not_in_table';
  constructor(
    readonly jobId: string,
    readonly from: JobStatus,
    readonly move: JobMoveName,
  ) {
    super(`job ${jobId}: ${move} (${from} → ${JOB_MOVES[move].to}) refused: a ${from} job cannot be ${move === 'retry' ? 'retried' : `moved by ${move}`}`);
  }
}

export function canMove(from: JobStatus, move: JobMoveName): boolean {
  return (JOB_MOVES[move].from as readonly JobStatus[]).includes(from);
}

/** Errors a job keeps: the last 20. */
const withError = (job: Job, error: JobError | undefined) => (error ? [...job.errors, error].slice(-20) : job.errors);

/** Pure: the job after `m`, or an IllegalJobTransitionError when its status does not allow it. */
export function moveJob(job: Job, m: JobMove): Job {
  if (!canMove(job.status, m.move)) throw new IllegalJobTransitionError(job.id, job.status, m.move);
  const status = JOB_MOVES[m.move].to;
  switch (m.move) {
    case 'claim':
      return { ...job, status, attempts: job.attempts + 1, lease: m.lease };
    case 'backoff':
      return { ...job, status, errors: withError(job, m.error), runAfter: m.runAfter.toISOString() };
    case 'wait':
      return { ...job, status, attempts: Math.max(0, job.attempts - 1), runAfter: m.runAfter.toISOString() };
    case 'again':
      return { ...job, status, attempts: 0, runAfter: m.runAfter.toISOString(), finishedAt: null };
    case 'hand_back':
      return { ...job, status, lease: null, attempts: Math.max(0, job.attempts - 1), runAfter: m.at.toISOString() };
    case 'retry':
      return { ...job, status, attempts: 0, runAfter: m.at.toISOString(), finishedAt: null, lease: null };
    case 'succeed':
    case 'cancel':
      return { ...job, status, finishedAt: m.at.toISOString() };
    case 'fail':
      return { ...job, status, errors: withError(job, m.error), finishedAt: m.at.toISOString() };
  }
}
