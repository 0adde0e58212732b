import { z } from 'zod';
import { E164, Id, Instant } from './common.js';

/**
 * `routing_check`: a recovered carrier's routing read back, so its lines count as working again.
 * `carrier_probe`: one per carrier, for good: it probes, then queues itself again for the next interval.
 */
export const JobKind = z.enum(['open_shelter', 'close_shelter', 'failover', 'suspend_number', 'drift_repair', 'routing_check', 'handset', 'carrier_probe']);
export type JobKind = z.infer<typeof JobKind>;

export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;

/** What a job converges: one shelter, one number, or the whole network (drift and aging). */
export const JobSubject = z.discriminatedUnion('type', [
  z.object({ type: z.literal('shelter'), shelterId: Id }),
  z.object({ type: z.literal('number'), e164: E164 }),
  z.object({ type: z.literal('network') }),
]);
export type JobSubject = z.infer<typeof JobSubject>;

export const JobStep = z.object({
  name: z.string(),
  status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  attempts: z.number().int().nonnegative().default(0),
  lastError: z.string().nullable().default(null),
  detail: z.string().optional(),
  startedAt: Instant.nullable().default(null),
  finishedAt: Instant.nullable().default(null),
});
export type JobStep = z.infer<typeof JobStep>;

/** Who holds the job and until when; an expired lease may be taken over. */
export const Lease = z.object({
  owner: z.string(),
  until: Instant,
});

/** What a carrier's probe job has seen lately: the streak its hysteresis counts (carriers/carrier-probe.ts). */
export const CarrierProbeStreak = z.object({
  /** Failed or too slow probes in a row (0 after a good one). */
  failures: z.number().int().nonnegative(),
  /** Good probes in a row (0 after a failed one). */
  successes: z.number().int().nonnegative(),
  lastAt: Instant,
  lastOk: z.boolean(),
  /** How long the last probe took, in milliseconds of real time. */
  lastMs: z.number().nonnegative(),
  lastDetail: z.string().max(300),
});
export type CarrierProbeStreak = z.infer<typeof CarrierProbeStreak>;

export const JobError = z.object({ at: Instant, step: z.string().nullable(), message: z.string() });

export const Job = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  kind: JobKind,
  subject: JobSubject,
  /** The subject's shelter, kept at the top level so a shelter's jobs are one indexed query. */
  shelterId: Id.nullable().default(null),
  /** The carrier whose change caused the job (failover, suspension), when one did. */
  carrierId: Id.nullable().default(null),
  /** The job this one replaced as its shelter's current job. */
  supersedes: Id.nullable().default(null),
  status: JobStatus,
  /** Lower runs first: suspension 0, failover 10, open/close 50, drift 90. */
  priority: z.number().int().min(0).max(100).default(50),
  steps: z.array(JobStep).default([]),
  attempts: z.number().int().nonnegative().default(0),
  errors: z.array(JobError).default([]),
  lease: Lease.nullable().default(null),
  /** Not before this instant (backoff). */
  runAfter: Instant,
  requestedBy: z.string().max(200).optional(),
  /** The HTTP request that asked for this job: its log lines carry it, so one id follows the work end to end. */
  requestId: z.string().max(100).optional(),
  createdAt: Instant,
  updatedAt: Instant,
  finishedAt: Instant.nullable().default(null),
  /** A carrier probe job's streak (kind `carrier_probe` only). */
  probe: CarrierProbeStreak.optional(),
});
export type Job = z.infer<typeof Job>;
