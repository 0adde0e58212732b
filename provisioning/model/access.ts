import { z } from 'zod';
import { Id, Instant, MunicipalityCode } from './common.js';
import { Role } from './audit-event.js';
import { PrefectureCode } from './dial-plan.js';

/**
 * The part of the country a coordinator or viewer token may see and act on (a prefecture's or a
 * city's disaster HQ): shelters of these prefectures or municipalities, and what belongs to them.
 * A designated city includes its wards. Null on a token: everywhere.
 */
export const AreaScope = z.object({
  prefectures: z.array(PrefectureCode).max(47),
  municipalities: z.array(MunicipalityCode).max(500),
});
export type AreaScope = z.infer<typeof AreaScope>;

/** A scope as people read it: each place with its name. */
export const AreaScopeView = z.object({
  prefectures: z.array(z.object({ code: PrefectureCode, name: z.string() })),
  municipalities: z.array(z.object({ code: MunicipalityCode, name: z.string(), prefecture: z.string() })),
}).describe('the area the token is limited to; null: everywhere');
export type AreaScopeView = z.infer<typeof AreaScopeView>;

/** A bearer token of the API. Only its SHA-256 is stored; the token is shown once. */
export const ApiToken = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  label: z.string().min(1).max(200),
  role: Role,
  /** Set for the `carrier` role: the one carrier this token may act for. */
  carrierId: Id.nullable().default(null),
  /** Set for a coordinator or viewer of one area: only its shelters (and what belongs to them). Null: everywhere. */
  scope: AreaScope.nullable().default(null),
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
