import { z } from 'zod';
import { E164, Id, Instant } from './common.js';
import { Message } from './messages.js';
import { ReportCall } from './fraud-report.js';
import { ContactName } from './shelter.js';

/** Work that an `api`-kind carrier pulls and reports back on. */
export const WorkOrderAction = z.enum(['route_number', 'reset_number', 'intercept_number', 'create_credential', 'delete_credential']);
export const WorkOrder = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  carrierId: Id,
  jobId: Id.nullable().default(null),
  action: WorkOrderAction,
  /** What to configure, e.g. `{ e164, voiceUrl, fallbackUrl, statusCallback }`. */
  params: z.record(z.string(), z.unknown()),
  /** Same target and action collapse into one order, so re-issuing is idempotent. */
  dedupeKey: z.string(),
  /** Digest of the plain params: a sealed password differs on every seal, the wish it stands for does not. */
  paramsDigest: z.string().optional(),
  status: z.enum(['pending', 'done', 'failed', 'expired']),
  detail: z.string().max(2000).nullable().default(null),
  deadline: Instant,
  createdAt: Instant,
  updatedAt: Instant,
  /** Set once the order is finished: Firestore's TTL policy deletes the document after it. */
  expireAt: Instant.optional(),
});
export type WorkOrder = z.infer<typeof WorkOrder>;

/** How long finished records stay before the store's TTL (Firestore `expireAt` policy) removes them. */
export const RETENTION_DAYS = { workOrder: 30, alert: 90 } as const;

/** The `expireAt` of a record finished at `at` and kept `days`. */
export function expireAfter(at: Date, days: number): string {
  return new Date(at.getTime() + days * 86_400_000).toISOString();
}

export const Alert = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  severity: z.enum(['info', 'warning', 'critical']),
  kind: z.string(),
  /** English, for the API and logs; the board words `text` in the reader's language. */
  message: z.string(),
  text: Message.nullable().default(null),
  /** Why, worded by the board too (a carrier's failed calls, or who marked it down and their reason as typed). */
  cause: Message.nullable().optional(),
  /** A carrier's or system's own words (an error string), shown as a technical detail. */
  detail: z.string().max(2000).nullable().default(null),
  carrierId: Id.nullable().default(null),
  shelterId: Id.nullable().default(null),
  acknowledged: z.boolean().default(false),
  createdAt: Instant,
  /** What makes two raises one episode (kind, carrier, shelter): a new episode is a new alert. */
  episode: z.string().max(300).optional(),
  /** When the condition ended (or, for a one-off notice, when it was raised); null while it holds. */
  resolvedAt: Instant.nullable().default(null),
  /** Set when acknowledged: Firestore's TTL policy deletes the document after it. */
  expireAt: Instant.optional(),
  /** The person who took the alert on (a name, not necessarily a token holder), since when, and who assigned it. */
  assignee: z.object({ name: ContactName, at: Instant, by: z.string().max(200) }).nullable().optional(),
});
export type Alert = z.infer<typeof Alert>;

/** One call as seen through status callbacks. */
export const CallRecord = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  callSid: z.string(),
  /** The member whose account the call is on: only its callbacks may update this record. */
  carrierId: Id.nullable().default(null),
  shelterId: Id.nullable().default(null),
  handsetId: Id.nullable().default(null),
  direction: z.enum(['inbound', 'outbound', 'directory']),
  /** What an outbound call was for: 0570 calls count against their own per-handset minutes. */
  purpose: z.enum(['short-code', 'domestic', 'navi-dial', 'special', 'emergency', 'directory']).nullable().optional(),
  from: z.string().nullable().default(null),
  to: z.string().nullable().default(null),
  /** The shelter number an outbound call showed as caller ID: reports about that number find the call by it. */
  callerId: E164.nullable().default(null),
  /** The shelter's other line an inbound call was forwarded to (showing the caller's number): that line does not send it back. */
  forwardedTo: E164.nullable().optional(),
  /** Twilio's CallStatus, or `routed` until the carrier's first status callback arrives. */
  status: z.string(),
  durationSeconds: z.number().int().nonnegative().default(0),
  startedAt: Instant,
  endedAt: Instant.nullable().default(null),
});
export type CallRecord = z.infer<typeof CallRecord>;

export const VoiceMessage = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  shelterId: Id,
  from: z.string().nullable().default(null),
  to: E164.nullable().default(null),
  recordingUrl: z.string(),
  durationSeconds: z.number().int().nonnegative().default(0),
  listened: z.boolean().default(false),
  createdAt: Instant,
});
export type VoiceMessage = z.infer<typeof VoiceMessage>;

/** What authorities get back from a suspension request (番号の利用停止). */
export const SuspensionReport = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  /** What the request did: suspended now; not lent by anyone (withdrawn, never ours): nothing to stop. */
  outcome: z.enum(['suspended', 'not-lent']).default('suspended'),
  e164: E164,
  carrierId: Id,
  carrierName: z.string(),
  lendingChain: z.array(z.string()),
  shelterId: Id.nullable(),
  shelterName: z.string().nullable(),
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: Instant,
  effectiveAt: Instant.nullable(),
  routingReplaced: z.enum(['immediately', 'queued']),
  liftedAt: Instant.nullable().default(null),
  liftReason: z.string().nullable().default(null),
  /** A suspension for fraud: the window searched, the handsets that called on the number then (revoked), and those calls. */
  fraud: z
    .object({ windowStart: Instant, windowEnd: Instant, handsetIds: z.array(Id), calls: z.array(ReportCall), reportIds: z.array(Id) })
    .nullable()
    .default(null),
});
export type SuspensionReport = z.infer<typeof SuspensionReport>;

/** A repeat request for a number already suspended: the first request's report. */
export const AlreadySuspended = SuspensionReport.omit({ outcome: true }).extend({ outcome: z.literal('already-suspended'), firstReportId: Id.nullable() });
/** A request for a number no member lends now (withdrawn, or never ours): nothing to stop, and the lending history we have. */
export const NotLent = z.object({
  outcome: z.literal('not-lent'),
  id: Id,
  e164: E164,
  state: z.string().nullable(),
  lastCarrierId: Id.nullable(),
  lastCarrierName: z.string().nullable(),
  lendingChain: z.array(z.string()),
  lentAt: Instant.nullable(),
  previousShelterId: Id.nullable(),
  requestedAt: Instant,
  requestedBy: z.string(),
  reason: z.string(),
});
/** The answer to every suspension request, in any state of the number: authorities always learn what was done. */
export const SuspensionOutcome = z.union([SuspensionReport.extend({ outcome: z.literal('suspended') }), AlreadySuspended, NotLent]);
export type SuspensionOutcome = z.infer<typeof SuspensionOutcome>;
