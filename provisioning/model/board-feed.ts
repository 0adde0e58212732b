import { z } from 'zod';
import { E164, Id, Instant } from './common.js';
import { Shelter, ShelterService } from './shelter.js';
import { PhoneNumber } from './phone-number.js';
import { Job } from './job.js';
import { Alert, CallRecord, VoiceMessage } from './operations.js';
import { Role } from './audit-event.js';
import { Problem } from './api-responses.js';
import { PublicCarrier } from './carrier-responses.js';
import { PublicHandset } from './handset-responses.js';

/**
 * A shelter as the board holds it, for every shelter at once (22,413 in a Nankai event): what its
 * lists, map and counts read and search. Left out: re-import and audit bookkeeping (共通ID, area
 * codes, the facility's landline, timestamps, version), the derived flags the REST filters index,
 * and each line of its service (half the size of an open shelter): a shelter's page, poster and
 * directory read those with the full document from `GET /api/v1/shelters[/{id}]`.
 */
export const BoardShelter = Shelter.omit({
  version: true, commonId: true, prefecture: true, areaCodes: true, facilityPhone: true, replacementLines: true,
  noEmergencyLine: true, openedAt: true, closedAt: true, createdAt: true, updatedAt: true,
}).extend({ service: ShelterService.omit({ computedAt: true, lines: true }).nullable() });
export type BoardShelter = z.infer<typeof BoardShelter>;

/** A number as the board counts and lists it; why it was chosen is read with its shelter (`GET /api/v1/shelters/{id}`). */
export const BoardNumber = PhoneNumber.pick({ id: true, kind: true, emergencyCapable: true, carrierId: true, state: true, shelterId: true });
export type BoardNumber = z.infer<typeof BoardNumber>;

/** A handset as the board counts it (seen today, per shelter); its files and credentials are read with its shelter. */
export const BoardHandset = PublicHandset.pick({ id: true, shelterId: true, status: true, lastSeenAt: true });
export type BoardHandset = z.infer<typeof BoardHandset>;

/**
 * The board's live feed on `/ws`: one snapshot on connect, then every change as a numbered
 * delta, each document in its board form (a role's REST projection, less what no view shows).
 * Carriers travel in their public form, the same as over REST.
 */
export const BoardDocs = {
  shelters: BoardShelter,
  /** A viewer's board gets only published numbers (in service at a shelter): provisioning/access/projections.ts. */
  numbers: BoardNumber,
  carriers: PublicCarrier,
  jobs: Job,
  alerts: Alert,
  handsets: BoardHandset,
  calls: CallRecord,
  voiceMessages: VoiceMessage,
} as const;
export type BoardDocs = { [C in BoardCollection]: z.infer<(typeof BoardDocs)[C]> };

/** Collections the board sees; tokens, sessions, idempotency, audit, work orders and suspension reports never leave the server. */
export const BOARD_COLLECTIONS = Object.keys(BoardDocs) as (keyof typeof BoardDocs)[];
export const BoardCollection = z.enum(['shelters', 'numbers', 'carriers', 'jobs', 'alerts', 'handsets', 'calls', 'voiceMessages']);
export type BoardCollection = z.infer<typeof BoardCollection>;

/** What a board starts from, each collection's documents in their board form; it travels as tables (BoardTables). */
export type BoardSnapshot = { [C in BoardCollection]: BoardDocs[C][] };

/** A collection's field names in the order its table rows hold them: the board form's own order. */
export const boardFields = (collection: BoardCollection): string[] => Object.keys(BoardDocs[collection].shape);

/**
 * A collection as a table: its field names once, then one row of values per document, in that
 * order (null where a document has none). 22,413 shelters repeat no field name 22,413 times:
 * half the JSON a browser parses and a server writes.
 */
function boardTable<C extends BoardCollection>(collection: C) {
  const shape = BoardDocs[collection].shape as Record<string, z.ZodType>;
  const fields = boardFields(collection);
  return z.object({
    fields: z.tuple(fields.map((f) => z.literal(f)) as [z.ZodLiteral<string>, ...z.ZodLiteral<string>[]]),
    rows: z.array(z.tuple(fields.map((f) => shape[f]!.nullable()) as unknown as [z.ZodType, ...z.ZodType[]])),
  }).describe(`the ${collection}, a row per document: fields names the values of each row`);
}

export const BoardTables = z.object(Object.fromEntries(BOARD_COLLECTIONS.map((c) => [c, boardTable(c)])) as { [C in BoardCollection]: ReturnType<typeof boardTable<C>> });
export type BoardTable = { fields: string[]; rows: unknown[][] };

const Seq = z.number().int().nonnegative().describe('the number of the last change this message includes; a gap means a missed change: send resync');

export const SnapshotMessage = BoardTables.extend({
  type: z.literal('snapshot'),
  seq: Seq,
  at: Instant,
  role: Role,
  label: z.string().nullable(),
});

const changeOf = <C extends BoardCollection>(collection: C) =>
  z.object({
    type: z.literal('change'),
    seq: Seq,
    collection: z.literal(collection),
    op: z.enum(['put', 'delete']),
    /** A document id; a number's id is its E.164 form. */
    id: z.union([Id, E164]),
    doc: BoardDocs[collection].nullable().describe('the document after a put; null after a delete'),
  });
export const ChangeMessage = z.discriminatedUnion('collection', [
  changeOf('shelters'), changeOf('numbers'), changeOf('carriers'), changeOf('jobs'),
  changeOf('alerts'), changeOf('handsets'), changeOf('calls'), changeOf('voiceMessages'),
]);
export type ChangeMessage = z.infer<typeof ChangeMessage>;

export const PongMessage = z.object({ type: z.literal('pong'), seq: Seq });
export const ErrorMessage = z.object({ type: z.literal('error'), detail: z.string() });
/**
 * The last message before the hub closes a socket whose token was revoked or whose session ended
 * or expired (close code 4401): why, as a Problem; the board asks for a new sign-in instead of reconnecting.
 */
export const SignedOutMessage = z.object({ type: z.literal('signed-out'), problem: Problem });

/** WebSocket close code of a socket whose credential died: 4000–4999 are the application's; 401 as in HTTP. */
export const WS_CLOSE_SIGNED_OUT = 4401;

/** Everything the hub sends. */
export const ServerMessage = z.discriminatedUnion('type', [SnapshotMessage, ChangeMessage, PongMessage, ErrorMessage, SignedOutMessage]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** What a board may send: ask for a fresh snapshot (after a gap) or an application-level ping. */
export const ClientMessage = z.discriminatedUnion('type', [z.object({ type: z.literal('resync') }), z.object({ type: z.literal('ping') })]);
export type ClientMessage = z.infer<typeof ClientMessage>;
