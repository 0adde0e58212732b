import { z } from 'zod';
import { Id, Instant } from './common.js';
import { Role } from './audit-event.js';

/** A bearer token of the API. Only its SHA-256 is stored; the token is shown once. */
export const ApiToken = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  label: z.string().min(1).max(200),
  role: Role,
  /** Set for the `carrier` role: the one carrier this token may act for. */
  carrierId: Id.nullable().default(null),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: Instant,
  revokedAt: Instant.nullable().default(null),
});
export type ApiToken = z.infer<typeof ApiToken>;

/**
 * When a token was last used (its id is the token's). Kept apart from the token so a request never
 * rewrites the token document (a revocation cannot be overwritten), and written at most once a minute.
 */
export const TokenUse = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  lastUsedAt: Instant,
});
export type TokenUse = z.infer<typeof TokenUse>;

/**
 * The recent uses of something limited (a shelter's test calls, a coordinator's): the instants of
 * the uses still inside the window, at most the limit of them. In the store, so every instance
 * counts the same uses; one small document per limited thing, rewritten in place.
 */
export const RateWindow = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  uses: z.array(Instant).max(1000),
  updatedAt: Instant,
});
export type RateWindow = z.infer<typeof RateWindow>;

/** A claimed `Idempotency-Key` and, once the request ran, its answer (sealed: it may carry a token). */
export const IdempotencyRecord = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  requestHash: z.string(),
  state: z.enum(['running', 'done']),
  status: z.number().int(),
  replySealed: z.string().nullable(),
  /** Firestore's TTL policy deletes the document after this instant; SQLite sweeps it. */
  expireAt: Instant,
  createdAt: Instant,
});
export type IdempotencyRecord = z.infer<typeof IdempotencyRecord>;

/** A board session: a cookie that stands for a token. */
export const Session = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  tokenId: Id,
  expiresAt: Instant,
  createdAt: Instant,
});
export type Session = z.infer<typeof Session>;
