import { z } from 'zod';
import { E164, Id, Instant } from './common.js';

/**
 * Where a report stands. `received` waits for triage; `suspended` means an authority turned it
 * into a number suspension. The allowed moves are one table in provisioning/reports/report-lifecycle.ts.
 */
export const ReportStatus = z.enum(['received', 'credible', 'not_credible', 'needs_info', 'suspended']);
export type ReportStatus = z.infer<typeof ReportStatus>;
/** What a triage may say about a report. */
export const ReportTriage = z.enum(['credible', 'not_credible', 'needs_info']);
export type ReportTriage = z.infer<typeof ReportTriage>;

/** One of our call records in the reported window: the evidence shared with MIC and the police. */
export const ReportCall = z.object({
  callId: Id,
  shelterId: Id.nullable(),
  handsetId: Id.nullable(),
  direction: z.enum(['inbound', 'outbound', 'directory']),
  /** The number called (outbound) or the caller (inbound), as the carrier sent it. */
  to: z.string().nullable(),
  from: z.string().nullable(),
  startedAt: Instant,
  durationSeconds: z.number().int().nonnegative(),
  status: z.string(),
});
export type ReportCall = z.infer<typeof ReportCall>;

/** The reported number's history at the reported time: who held it, and who called on it then. */
export const ReportLink = z.object({
  /** A member lends (or lent) this number through us; false for a number that was never ours. */
  ours: z.boolean(),
  carrierId: Id.nullable(),
  carrierName: z.string().nullable(),
  shelterId: Id.nullable(),
  shelterName: z.string().nullable(),
  /** How the shelter was found: our call records on that number in the window, or the number's own record. */
  basis: z.enum(['calls', 'number', 'none']),
  windowStart: Instant,
  windowEnd: Instant,
  handsetIds: z.array(Id),
  calls: z.array(ReportCall),
});
export type ReportLink = z.infer<typeof ReportLink>;

/** A report to the public reporting window (申告窓口) about a call someone received. */
export const FraudReport = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  e164: E164,
  /** When the reporter received the call. */
  calledAt: Instant,
  description: z.string().min(1).max(2000),
  contact: z.string().max(200).nullable().default(null),
  receivedAt: Instant,
  channel: z.enum(['form', 'json']),
  /** The same report sent again (a reload, a double click) counts here instead of twice. */
  duplicates: z.number().int().nonnegative().default(0),
  status: ReportStatus.default('received'),
  triagedAt: Instant.nullable().default(null),
  triagedBy: z.string().nullable().default(null),
  triageNote: z.string().max(2000).nullable().default(null),
  suspensionId: Id.nullable().default(null),
  link: ReportLink,
});
export type FraudReport = z.infer<typeof FraudReport>;

/** The public form's fields, as a person types them; the use case normalises the number and the time. */
export const ReportInput = z.object({
  number: z.string({ error: '電話番号を入力してください (the number is required)' }).trim().min(1, '電話番号を入力してください (the number is required)').max(40, '電話番号が長すぎます (too long for a phone number)'),
  calledAt: z.string({ error: '日時を入力してください (the date and time are required)' }).trim().min(1, '日時を入力してください (the date and time are required)').max(40, '日時の形式が正しくありません (not a date and time)'),
  description: z.string({ error: '内容を入力してください (describe what was said)' }).trim().min(1, '内容を入力してください (describe what was said)').max(2000, '内容は2000文字以内で入力してください (at most 2000 characters)'),
  contact: z.string().trim().max(200, '連絡先は200文字以内で入力してください (at most 200 characters)').optional(),
}).meta({ examples: [{ number: '0767-52-0959', calledAt: '2025-05-31T10:15', description: '警察を名乗り、口座番号を聞かれた', contact: '' }] });
export type ReportInput = z.infer<typeof ReportInput>;

export const TriageInput = z.strictObject({ triage: ReportTriage, note: z.string().min(1).max(2000).optional() }).meta({ examples: [{ triage: 'credible', note: 'the same script as other reports this week' }] });
export type TriageInput = z.infer<typeof TriageInput>;
export const ConvertReportInput = z.strictObject({ reason: z.string().min(1).max(2000), requestId: z.string().min(1).max(128).optional() }).meta({ examples: [{ reason: '特殊詐欺に利用 (reports credible)', requestId: 'ISHIKAWA-2024-0001' }] });
export const HoldReviewInput = z.strictObject({ note: z.string().min(1).max(2000) }).meta({ examples: [{ note: 'reviewed with the shelter staff' }] });
export const ReportsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(500).optional(),
  status: ReportStatus.optional(),
  e164: E164.optional(),
});
/** The period of an export, by when reports were received: `to` is exclusive; by default the last 7 days. */
export const ReportsExportQuery = z.strictObject({ from: Instant.optional(), to: Instant.optional() });

/** Outbound held after credible reports: only emergency numbers and short codes until a coordinator reviews. */
export const OutboundRestriction = z.object({
  since: Instant,
  e164: E164,
  reportIds: z.array(Id),
  reason: z.string(),
});
/** 新たな番号の提供拒否: after a fraud suspension no new outbound-capable line until an admin reviews. */
export const NewLineRefusal = z.object({
  since: Instant,
  e164: E164,
  /** Null for the moment between the refusal (put first, so no replacement line slips through) and the suspension. */
  suspensionId: Id.nullable(),
  reason: z.string(),
  revokedHandsetIds: z.array(Id),
});
export const HoldReview = z.object({ kind: z.enum(['restriction', 'refusal']), at: Instant, by: z.string(), note: z.string() });

/** A shelter's anti-fraud holds; one document per shelter (id = shelter id), absent when it never had one. */
export const FraudHold = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  shelterId: Id,
  restriction: OutboundRestriction.nullable().default(null),
  refusal: NewLineRefusal.nullable().default(null),
  reviews: z.array(HoldReview).default([]),
  updatedAt: Instant,
});
export type FraudHold = z.infer<typeof FraudHold>;
