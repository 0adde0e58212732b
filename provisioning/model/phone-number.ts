import { z } from 'zod';
import { Message } from './messages.js';
import { AreaCode, E164, Id, Instant } from './common.js';

/** Our kinds of number; 0AB-J is geographic, 050 is IP-phone (no 110/118/119). */
export const NumberKind = z.enum(['0ABJ', '050', 'mobile', 'tollfree', 'other']);
export type NumberKind = z.infer<typeof NumberKind>;

export const NumberState = z.enum([
  'available',
  'reserved',
  'in_service',
  'releasing',
  'aging',
  'suspended',
  'withdrawn',
  'error',
]);
export type NumberState = z.infer<typeof NumberState>;

export const Suspension = z.object({
  requestId: Id,
  requestedAt: Instant,
  effectiveAt: Instant.optional(),
  reason: z.string().max(2000),
  requestedBy: z.string().max(200),
  previousState: NumberState,
});

export const PhoneNumber = z.object({
  /** The E.164 string itself: one document per number, so two carriers can never lend the same one. */
  id: E164,
  version: z.number().int().nonnegative().default(0),
  e164: E164,
  kind: NumberKind,
  /** 市外局番 with its leading 0, for 0AB-J numbers; null for non-geographic ones. */
  areaCode: AreaCode.nullable(),
  /** The 番号区画 the number belongs to, named by its area code; null when not geographic. */
  numberArea: z.string().nullable(),
  emergencyCapable: z.boolean(),
  carrierId: Id,
  state: NumberState,
  shelterId: Id.nullable().default(null),
  previousShelterId: Id.nullable().default(null),
  agingUntil: Instant.nullable().default(null),
  /** Why allocation chose this number for its shelter, shown on the board. */
  reasons: z.array(z.string()).default([]),
  /** The same reasons as codes, which the board words in the reader's language. */
  why: z.array(Message).optional(),
  /** The carrier's own handle for the number (a Twilio PN SID), once discovered. */
  carrierRef: z.string().optional(),
  suspension: Suspension.optional(),
  /**
   * When a route step or the drift check last saw the carrier route this number to us; cleared
   * when the number leaves service or its carrier goes down. A line without it is never `working`.
   */
  routingConfirmedAt: Instant.nullable().default(null),
  lentAt: Instant,
  updatedAt: Instant,
});
export type PhoneNumber = z.infer<typeof PhoneNumber>;

