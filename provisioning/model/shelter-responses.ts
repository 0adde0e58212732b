import { z } from 'zod';
import { E164, Id, Instant } from './common.js';
import { PhoneNumber } from './phone-number.js';
import { LineHealth, PosterPrint, Shelter } from './shelter.js';
import { Job } from './job.js';
import { PublicHandset } from './handset-responses.js';
import { JobProgress } from './job-responses.js';

/** Answers of the shelter routes: import, detail, open and close, prints and test calls. Closed, like every answer (api-responses.ts). */

export const UpsertStatus = z.enum(['created', 'updated', 'unchanged']);
export const ShelterUpsertResult = z.object({ status: UpsertStatus, shelter: Shelter, warnings: z.array(z.string()) });

export const ImportRowReport = z.union([
  z.object({
    line: z.number().int(), id: z.string(), status: UpsertStatus, warnings: z.array(z.string()),
    municipalityCode: z.string().describe('where the row was placed: a designated city\'s ward when the address names one; a prefecture\'s own code (220001) when only the prefecture is known'),
    areaCodes: z.array(z.string()).describe('the number area(s) of that municipality; empty: not in the number-area table, 050 lines only'),
  }),
  z.object({ line: z.number().int(), id: z.string().optional(), status: z.literal('rejected'), reasons: z.array(z.string()) }),
]);
export type ImportRowReport = z.infer<typeof ImportRowReport>;
export const ImportReport = z.object({
  layout: z.enum(['municipal-standard', 'gsi', 'gsi-national']),
  encoding: z.enum(['utf-8', 'utf-8-bom', 'shift_jis']),
  counts: z.object({ rows: z.number().int(), created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), rejected: z.number().int() }),
  /** How many accepted rows got which number area, most first: `areaCodes: []` is 050 only (no 0AB-J, no 110/118/119). */
  areas: z.array(z.object({ areaCodes: z.array(z.string()), shelters: z.number().int() })).describe('accepted rows per number area, most first; an empty areaCodes counts the rows that can only get 050 lines'),
  rows: z.array(ImportRowReport),
});

export const ShelterDetail = Shelter.extend({
  /**
   * Each number with its line health (null for a number that is not one of the shelter's lines);
   * a viewer gets only published numbers (in service) and no handsets: provisioning/access/projections.ts.
   */
  numbers: z.array(PhoneNumber.extend({ health: LineHealth.nullable() })),
  handsets: z.array(PublicHandset),
  job: JobProgress.nullable(),
});
export type ShelterDetail = z.infer<typeof ShelterDetail>;

export const ShelterStateRequested = z.object({ shelterId: Id, desiredStatus: z.enum(['open', 'closed']), job: Job });
export const BulkOpenResult = z.object({
  results: z.array(z.object({ shelterId: Id, jobId: Id.optional(), error: z.string().optional() })),
});

/** What each poster about to be printed shows, as recorded for its out-of-date mark. */
export const RecordedPrints = z.object({
  printedAt: Instant,
  prints: z.array(PosterPrint.extend({ shelterId: Id })),
});

export type ShelterStateRequested = z.infer<typeof ShelterStateRequested>;
export type BulkOpenResult = z.infer<typeof BulkOpenResult>;
/**
 * What the carrier said of one handset: `answered`, `rang` (ringing, busy or no answer: the phone is
 * there), `not_registered` (the carrier could not reach the phone), `carrier_down` (down, or did not
 * answer our request), `unconfirmed` (accepted, but no word that it rang in time), `failed` (refused,
 * or no line on that carrier), `unsupported` (the carrier offers no way to place a call).
 */
export const TestCallOutcomeKind = z.enum(['answered', 'rang', 'not_registered', 'carrier_down', 'unconfirmed', 'failed', 'unsupported']);
export type TestCallOutcomeKind = z.infer<typeof TestCallOutcomeKind>;
/** Outcomes in which the handset really rang. */
export const TEST_CALL_REACHED: readonly TestCallOutcomeKind[] = ['answered', 'rang'];

/** One handset's part of a test call on one carrier: what that carrier said became of it. */
export const TestCallOutcome = z.object({
  handsetId: Id,
  handsetLabel: z.string().nullable(),
  carrierId: Id,
  /** The SIP address rung: the handset's user at the carrier's domain. */
  to: z.string(),
  from: E164.nullable(),
  outcome: TestCallOutcomeKind,
  callRef: z.string().nullable().describe('the carrier\'s id of the call (a Twilio CallSid) when placed'),
  carrierStatus: z.string().nullable().describe('the call\'s status as the carrier last reported it (Twilio: queued, ringing, in-progress, completed, busy, no-answer, failed, canceled)'),
  detail: z.string().nullable().describe('why it did not reach the handset (English; the board words the outcome itself)'),
});
export type TestCallOutcome = z.infer<typeof TestCallOutcome>;
export const TestCallResult = z.object({
  shelterId: Id,
  at: Instant,
  results: z.array(TestCallOutcome),
});
export type TestCallResult = z.infer<typeof TestCallResult>;
