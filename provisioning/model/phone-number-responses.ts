import { z } from 'zod';
import { E164 } from './common.js';

/** Answers of lending numbers. Closed, like every answer (api-responses.ts). */

export const LendOutcome = z.discriminatedUnion('status', [
  z.object({ row: z.number().int(), input: z.string(), status: z.enum(['accepted', 'unchanged']), e164: E164, kind: z.string(), areaCode: z.string().nullable() }),
  z.object({ row: z.number().int(), input: z.string(), status: z.literal('rejected'), reasons: z.array(z.string()), e164: E164.optional() }),
]);
export type LendOutcome = z.infer<typeof LendOutcome>;
export const LendReport = z.object({
  outcomes: z.array(LendOutcome),
  accepted: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
});
