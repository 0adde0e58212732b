import { z } from 'zod';
import { Id, Instant } from './common.js';

/**
 * Answers every part of the API shares: the problem shape of every error, a page of a list, health,
 * the document itself and the drill's clock. Each feature's answers sit beside its model: <feature>-responses.ts.
 * Closed (the OpenAPI document renders them with additionalProperties: false), so a field the
 * server adds without documenting fails the contract test.
 */

/** One failing field: `path` is where it sits in the request (`body.mac`, `query.limit`, `path.id`). */
export const FieldError = z.object({ path: z.string(), message: z.string() });

/** RFC 9457 problem details: the one shape of every error, API, webhooks and handset files alike. */
export const Problem = z
  .object({
    type: z.string().meta({ examples: ['https://shelter-line.jp/problems/validation'] }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    errors: z.array(FieldError).optional().describe('every field that failed validation (400); empty or absent otherwise'),
    id: z.string().optional().describe('the resource that does not exist (404) or already exists (409)'),
    state: z.string().optional().describe('the current state that blocks the request (409), e.g. a number in_service or a work order done'),
    shelterId: Id.nullable().optional().describe('the shelter holding the resource (409)'),
    accountSid: z.string().optional().describe('the Twilio account another carrier already uses (409)'),
    requestId: z.string().optional().describe('the suspension request that already holds the number (409)'),
    expected: z.record(z.string(), z.array(z.string())).optional().describe('CSV import: the header columns each known layout needs (400)'),
    line: z.number().int().positive().optional().describe('CSV import: the line that could not be read (400)'),
    retryAfterSeconds: z.number().int().positive().optional().describe('when to try again (429, 409 while an idempotent request runs, 503); also sent as Retry-After'),
  });
export type Problem = z.infer<typeof Problem>;

/** A page of a list: `nextCursor` goes back as `?cursor=` for the next one, null at the end. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const Health = z.object({ status: z.literal('ok'), store: z.enum(['sqlite', 'firestore']), version: z.string() });

/** The OpenAPI document itself: its top-level members are fixed, its paths and components are OpenAPI's own. */
export const OpenApiDocument = z.object({
  openapi: z.string().regex(/^3\.1\.\d+$/).meta({ examples: ['3.1.0'] }),
  info: z.object({ title: z.string(), version: z.string(), description: z.string() }),
  servers: z.array(z.object({ url: z.string() })),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.record(z.string(), z.record(z.string(), z.unknown())),
  'x-websocket': z.record(z.string(), z.unknown()),
});

/** The drill's calendar after a fast-forward, and whether a maintenance run was queued on it. */
export const DrillClockState = z.object({ now: Instant, maintenanceQueued: z.boolean() });
export type DrillClockState = z.infer<typeof DrillClockState>;

/** A page of a list, as every list route answers. */
export type Page<T> = { items: T[]; nextCursor: string | null };
