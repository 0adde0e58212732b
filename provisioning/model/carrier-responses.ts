import { z } from 'zod';
import { Id, Instant } from './common.js';
import { Carrier } from './carrier.js';
import { WorkOrder } from './operations.js';

/** Answers of the carrier routes: a member as the API shows it, what it may lend, its work orders. Closed, like every answer (api-responses.ts). */

/** What a carrier may lend today, from its certifications and status. */
export const LendingEligibility = z.object({
  canLend: z.boolean(),
  canLend0ABJ: z.boolean(),
  /** Plain words for the board: why a carrier may not lend (empty when it may lend everything). */
  reasons: z.array(z.string()),
  /** The earliest expiry among the certifications that currently let it lend; null when none expires. */
  expiresAt: Instant.nullable(),
});
export type LendingEligibility = z.infer<typeof LendingEligibility>;

/** A carrier as the API and the board show it: never its auth token, with what it may lend today. */
export const PublicCarrier = Carrier.omit({ twilio: true }).extend({
  twilio: z.object({ accountSid: z.string(), apiBaseUrl: z.string().nullable() }).nullable(),
  eligibility: LendingEligibility,
});
export type PublicCarrier = z.infer<typeof PublicCarrier>;
export const RegisteredCarrier = z.object({ carrier: PublicCarrier, token: z.string().describe('the carrier\'s own API token; shown only in this answer') });

export const CarrierHealthRecorded = z.object({ carrierId: Id, health: z.enum(['up', 'down']), jobs: z.array(Id).describe('the failover or re-open jobs this started, and on recovery the routing check') });

/** A work order as the carrier sees it: without our dedupe key. */
export const PublicWorkOrder = WorkOrder.omit({ dedupeKey: true, version: true });
export type PublicWorkOrder = z.infer<typeof PublicWorkOrder>;

export type CarrierHealthRecorded = z.infer<typeof CarrierHealthRecorded>;
