import { describe, expect, it } from 'vitest';
import { Job, JobStatus } from '../../provisioning/model/job.js';
import { newJob } from '../../provisioning/jobs/job-queue.js';
import {
  IllegalJobTransitionError,
  JOB_MOVES,
  JOB_TRANSITIONS,
  moveJob,
  type JobMove,
  type JobMoveName,
} from '../../provisioning/jobs/job-lifecycle.js';

const T0 = new Date('2024-01-02T00:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const lease = { owner: 'instance-a', until: later(30_000).toISOString() };
const error = { at: T0.toISOString(), step: 'route +81767520959', message: 'carrier said 500' };

/** Each move with what it needs. */
const MOVES: Record<JobMoveName, JobMove> = {
  claim: { move: 'claim', lease },
  backoff: { move: 'backoff', runAfter: later(2000), error },
  wait: { move: 'wait', runAfter: later(5000) },
  again: { move: 'again', runAfter: later(10_000) },
  hand_back: { move: 'hand_back', at: later(1) },
  succeed: { move: 'succeed', at: later(3) },
  cancel: { move: 'cancel', at: later(3) },
  fail: { move: 'fail', at: later(3), error },
  retry: { move: 'retry', at: later(60_000) },
};

/** Reach each status the way the system would: by legal moves from a freshly queued job. */
const PATHS: Record<JobStatus, JobMoveName[]> = {
  queued: [],
  running: ['claim'],
  succeeded: ['claim', 'succeed'],
  failed: ['claim', 'fail'],
  cancelled: ['claim', 'cancel'],
};

function inStatus(status: JobStatus): Job {
  let job = newJob('open_shelter', T0, { type: 'shelter', shelterId: 'shelter-a' });
  for (const m of PATHS[status]) job = moveJob(job, MOVES[m]);
  expect(job.status).toBe(status);
  return job;
}

function refusal(fn: () => unknown): IllegalJobTransitionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IllegalJobTransitionError) return e;
    throw e;
  }
  throw new Error('expected an IllegalJobTransitionError');
}

const ALL = JobStatus.options;
const NAMES = Object.keys(JOB_MOVES) as JobMoveName[];
const allowed = ALL.flatMap((from) => NAMES.filter((m) => (JOB_MOVES[m].from as readonly string[]).includes(from)).map((m) => [from, m] as const));
const forbidden = ALL.flatMap((from) => NAMES.filter((m) => !(JOB_MOVES[m].from as readonly string[]).includes(from)).map((m) => [from, m] as const));

describe('the job lifecycle table', () => {
  it('covers the main road queued → running → succeeded', () => {
    const job = moveJob(moveJob(inStatus('queued'), MOVES.claim), MOVES.succeed);
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1, finishedAt: later(3).toISOString() });
  });

  it.each(allowed)('allows a %s job to %s', (from, m) => {
    const job = moveJob(inStatus(from), MOVES[m]);
    expect(job.status).toBe(JOB_MOVES[m].to);
    expect(JOB_TRANSITIONS[from]).toContain(job.status);
    expect(Job.safeParse(job).success).toBe(true);
  });

  it.each(forbidden)('refuses to %2$s a %1$s job with an IllegalJobTransitionError', (from, m) => {
    const job = inStatus(from);
    const err = refusal(() => moveJob(job, MOVES[m]));
    expect(err).toMatchObject({ jobId: job.id, from, move: m, code: 'not_in_table' });
    expect(err.message).toContain(`${from} → ${JOB_MOVES[m].to}`);
  });

  it('reads by status as the moves say: only a running job ends, and a succeeded job never moves again', () => {
    expect(JOB_TRANSITIONS).toEqual({
      queued: ['running'],
      running: ['running', 'queued', 'succeeded', 'cancelled', 'failed'],
      succeeded: [],
      failed: ['queued'],
      cancelled: ['queued'],
    });
    for (const from of ALL) if (from !== 'running') expect(JOB_TRANSITIONS[from]).not.toContain('succeeded');
  });
});

describe('moveJob', () => {
  it('returns a new document and leaves the old one untouched', () => {
    const before = inStatus('queued');
    const snapshot = structuredClone(before);
    const after = moveJob(before, MOVES.claim);
    expect(before).toEqual(snapshot);
    expect(after).toMatchObject({ status: 'running', attempts: 1, lease });
  });

  it('counts an attempt on each claim, a takeover of a dead process\'s job too', () => {
    const taken = moveJob(inStatus('running'), { move: 'claim', lease: { owner: 'instance-b', until: later(60_000).toISOString() } });
    expect(taken).toMatchObject({ status: 'running', attempts: 2, lease: { owner: 'instance-b' } });
  });

  it('backs off with the error recorded and the attempt counted', () => {
    const job = moveJob(inStatus('running'), MOVES.backoff);
    expect(job).toMatchObject({ status: 'queued', attempts: 1, runAfter: later(2000).toISOString(), errors: [error] });
  });

  it('gives the attempt back while a member\'s engineers have the work, and when handed back', () => {
    expect(moveJob(inStatus('running'), MOVES.wait)).toMatchObject({ status: 'queued', attempts: 0, runAfter: later(5000).toISOString() });
    expect(moveJob(inStatus('running'), MOVES.hand_back)).toMatchObject({ status: 'queued', attempts: 0, lease: null, runAfter: later(1).toISOString() });
  });

  it('brings a recurring job back with a fresh count of attempts', () => {
    const twice = moveJob(moveJob(moveJob(inStatus('running'), MOVES.wait), MOVES.claim), MOVES.claim);
    expect(moveJob(twice, MOVES.again)).toMatchObject({ status: 'queued', attempts: 0, finishedAt: null, runAfter: later(10_000).toISOString() });
  });

  it('records why a job failed, and keeps only the last 20 errors', () => {
    let job = inStatus('running');
    for (let i = 0; i < 25; i++) job = moveJob(moveJob(job, { move: 'backoff', runAfter: T0, error: { ...error, message: `try ${i}` } }), MOVES.claim);
    const failed = moveJob(job, MOVES.fail);
    expect(failed.errors).toHaveLength(20);
    expect(failed.errors.at(-1)).toEqual(error);
    expect(failed).toMatchObject({ status: 'failed', finishedAt: later(3).toISOString() });
  });

  it('keeps the errors as they were when a job succeeds or is superseded', () => {
    const job = moveJob(moveJob(inStatus('running'), MOVES.backoff), MOVES.claim);
    expect(moveJob(job, MOVES.succeed).errors).toEqual([error]);
    expect(moveJob(job, MOVES.cancel)).toMatchObject({ status: 'cancelled', errors: [error] });
  });

  it('lets a coordinator retry a failed or cancelled job from where it stopped', () => {
    const failed = { ...inStatus('failed'), steps: [{ name: 'allocate', status: 'done' as const, attempts: 1, lastError: null, startedAt: null, finishedAt: null }] };
    const again = moveJob(failed, MOVES.retry);
    expect(again).toMatchObject({ status: 'queued', attempts: 0, finishedAt: null, lease: null, runAfter: later(60_000).toISOString(), steps: failed.steps });
  });
});
