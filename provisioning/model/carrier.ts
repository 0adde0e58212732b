import { z } from 'zod';
import { Id, Instant } from './common.js';
import { SpecialNumber } from './dial-plan.js';
import { CallControl } from './call-decision.js';
import { Message } from './messages.js';

export const CarrierKind = z.enum(['twilio', 'api']);
export type CarrierKind = z.infer<typeof CarrierKind>;

/** 番号使用計画の認定 from MIC: needed to lend 0AB-J numbers. */
export const NumberUsePlanCertification = z.object({
  id: z.string().min(1).max(64),
  validUntil: Instant,
});

/** ETOC operator certification (認定マーク); `applied` is accepted for a grace period. */
export const EtocCertification = z.object({
  status: z.enum(['certified', 'applied']),
  id: z.string().min(1).max(64).optional(),
  validUntil: Instant.optional(),
  appliedAt: Instant.optional(),
});

export const Certifications = z.object({
  numberUsePlan: NumberUsePlanCertification.nullable().default(null),
  etoc: EtocCertification,
});
export type Certifications = z.infer<typeof Certifications>;

/** How hard we may drive a carrier's API: a token bucket and a concurrency cap. */
export const CarrierCapacity = z.object({
  requestsPerSecond: z.number().positive().max(10_000).default(10),
  concurrency: z.number().int().positive().max(1_000).default(4),
  maxLines: z.number().int().positive().optional(),
});
export type CarrierCapacity = z.infer<typeof CarrierCapacity>;

/**
 * The limit the member's platform really answers with, learnt from its 429s (AIMD): the whole
 * deployment runs at `concurrency` requests at once and `requestsPerSecond`, never above the
 * declared capacity, growing back gradually once the 429s stop.
 */
export const CarrierThrottle = z.object({
  concurrency: z.number().int().positive(),
  requestsPerSecond: z.number().positive(),
  /** The concurrency at which the member last answered 429: growth stays below it until `ceilingUntil`. */
  ceiling: z.number().int().positive().nullable(),
  ceilingUntil: Instant.nullable(),
  /** Nobody sends before this (the member's `Retry-After`). */
  pausedUntil: Instant.nullable(),
  /** 429 answers seen by every instance together, since the carrier was registered. */
  tooManyRequests: z.number().int().nonnegative(),
  lastThrottledAt: Instant.nullable(),
  changedAt: Instant,
});
export type CarrierThrottle = z.infer<typeof CarrierThrottle>;

/**
 * One unit of a member's budget (one request at once, and its share of the rate), leased by one
 * instance at a time: the slots together are the deployment's limit for that member.
 */
export const CarrierSlot = z.object({
  /** `<carrierId>~<index>` */
  id: z.string().min(1).max(200),
  version: z.number().int().nonnegative().default(0),
  carrierId: Id,
  index: z.number().int().nonnegative(),
  owner: z.string().max(200).nullable(),
  until: Instant.nullable(),
});
export type CarrierSlot = z.infer<typeof CarrierSlot>;

/** An instance that wants a share of a member's budget and holds less than its fair part: the holders give some back. */
export const CarrierShareRequest = z.object({
  /** `<carrierId>~<owner>` */
  id: z.string().min(1).max(200),
  version: z.number().int().nonnegative().default(0),
  carrierId: Id,
  owner: z.string().max(200),
  until: Instant,
});
export type CarrierShareRequest = z.infer<typeof CarrierShareRequest>;

/** One finding of a preflight, with what to do about it in Japanese and English. */
export const PreflightCheck = z.object({
  check: z.enum(['credentials', 'numbers', 'sip_domain', 'limit']),
  ok: z.boolean(),
  /** What was seen, in the platform's own words where it said something. */
  detail: z.string().max(2000),
  fix: z.object({ ja: z.string().max(1000), en: z.string().max(1000) }).nullable(),
});
export type PreflightCheck = z.infer<typeof PreflightCheck>;

/** A member's check of its real account before the disaster: kept with the carrier, shown on the board. */
export const PreflightReport = z.object({
  at: Instant,
  ok: z.boolean(),
  checks: z.array(PreflightCheck),
  /** Requests the account answered at once before its first 429 (null: not measured), and what the probe cost. */
  measured: z.object({ concurrency: z.number().int().nonnegative().nullable(), reachedDeclared: z.boolean(), requests: z.number().int().nonnegative(), seconds: z.number().nonnegative() }),
});
export type PreflightReport = z.infer<typeof PreflightReport>;

export const CarrierStatus = z.enum(['active', 'frozen', 'withdrawn']);
export const CarrierHealth = z.enum(['up', 'degraded', 'down']);
export type CarrierHealth = z.infer<typeof CarrierHealth>;

export const Contact = z.object({
  name: z.string().min(1).max(200),
  email: z.email().max(200).optional(),
  phone: z.string().max(40).optional(),
});

/** Twilio connection of a member: subaccount SID and its auth token, the token encrypted at rest. */
export const TwilioConnection = z.object({
  accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'expected a Twilio account SID (AC + 32 hex)'),
  authTokenEncrypted: z.string(),
  /** Where the SDK is pointed: the real API in production, the simulator in tests and drill. */
  apiBaseUrl: z.url().optional(),
  /**
   * The SIP domain our handsets register with on this account (`<label>.sip.twilio.com`): named with
   * the deployment id at registration, or an existing one adopted (a deployment from before ids).
   */
  sipDomain: z.string().regex(/^[a-z0-9-]+\.sip\.twilio\.com$/).optional(),
});

/** A member's longest call, in seconds: a minute to a day. */
export const MaxCallSeconds = z.number().int().min(60).max(86_400)
  .describe('the longest call your platform lets run, in seconds (default 14400 = 4 h, Twilio\'s and the Kamailio template\'s): an unfinished call you reported stops counting against abuse limits after it');
export const DEFAULT_MAX_CALL_SECONDS = 4 * 3600;

export const Carrier = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  name: z.string().min(1).max(200),
  kind: CarrierKind,
  certifications: Certifications,
  capacity: CarrierCapacity,
  contact: Contact.optional(),
  status: CarrierStatus.default('active'),
  statusReason: z.string().max(500).optional(),
  /** Who froze the carrier: the daily certification check lifts only its own freeze. */
  frozenBy: z.enum(['certification', 'admin']).nullable().optional(),
  health: CarrierHealth.default('up'),
  healthReason: z.string().max(500).optional(),
  /** The last health change's why, worded by the board (who marked it and their reason as typed, or the failed calls). */
  healthCause: Message.nullable().optional(),
  healthChangedAt: Instant.optional(),
  /** Set when a coordinator marked the carrier down by hand; adapters do not clear it. */
  manualDown: z.boolean().default(false),
  twilio: TwilioConnection.optional(),
  /** The limit learnt from the member's 429s; absent until the first one (the declared capacity holds). */
  throttle: CarrierThrottle.optional(),
  /** The last preflight the member (or an admin) ran against the real account. */
  preflight: PreflightReport.optional(),
  /** A preflight runs (on some instance) until this at the latest: nobody starts a second one before. */
  preflightRunningUntil: Instant.nullable().optional(),
  /**
   * How an `api` member's platform takes calls: `json` asks our call-decision API (Kamailio, Asterisk,
   * FreeSWITCH…), `twiml` fetches TwiML (Twilio-compatible platforms). Unset on an api member: json.
   */
  callControl: CallControl.optional(),
  /** Wholesale chain for suspension reports: who lent these numbers to whom. */
  lendingChain: z.array(z.string().max(200)).max(20).default([]),
  /** Special numbers (171, #7119, …) the member's lines can dial, as the member declared them; absent means none. */
  specialNumbers: z.array(SpecialNumber).max(20).optional(),
  /**
   * The longest call the member's platform lets run: a call it reported answered but never ended
   * stops counting against its abuse limits after this. Absent: 4 h (Twilio's <Dial> timeLimit
   * default; our Kamailio template's dialog timeout).
   */
  maxCallSeconds: MaxCallSeconds.optional(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Carrier = z.infer<typeof Carrier>;
