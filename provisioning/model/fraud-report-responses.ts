import { z } from 'zod';
import { Id, Instant } from './common.js';
import { FraudReport } from './fraud-report.js';

/** Answers of the public reporting window and of triage. Closed, like every answer (api-responses.ts). */

/** What the public reporting window tells a reporter: a receipt, never what we know about the number. */
export const ReportReceipt = z.object({
  id: Id,
  receivedAt: Instant,
  /** The same report was sent before: it is counted once. */
  duplicate: z.boolean(),
  message: z.string(),
});
export type ReportReceipt = z.infer<typeof ReportReceipt>;

/** A triage, and what the credible reports about the number now mean for its shelter. */
export const TriagedReport = z.object({
  report: FraudReport,
  restriction: z
    .union([
      z.object({ restrict: z.literal(true), reportIds: z.array(Id), reason: z.string() }),
      z.object({ restrict: z.literal(false), credible: z.number().int().nonnegative(), needed: z.number().int().positive() }),
    ])
    .nullable(),
});
