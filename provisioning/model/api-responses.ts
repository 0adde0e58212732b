import { z } from 'zod';
import { E164, Id, Instant } from './common.js';
import { Carrier } from './carrier.js';
import { PhoneNumber } from './phone-number.js';
import { LineHealth, PosterPrint, Shelter } from './shelter.js';
import { Handset, SipCredential } from './handset.js';
import { Job } from './job.js';
import { AuditEvent, Role } from './audit-event.js';
import { ApiToken, AreaScopeView } from './access.js';
import { Alert, SuspensionReport, WorkOrder } from './operations.js';
import { FraudHold, FraudReport } from './fraud-report.js';

/**
 * Response bodies of the v1 API. Closed (the OpenAPI document renders them with
 * additionalProperties: false), so a field the server adds without documenting fails the contract test.
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

/** A token as the API shows it: never its hash. */
export const PublicToken = ApiToken.omit({ hash: true, version: true, scope: true }).extend({ scope: AreaScopeView.nullable() });
export type PublicToken = z.infer<typeof PublicToken>;
/** A token in the admin's list: never its hash or the token; when it was last used (null: never, or before this was recorded). */
export const ListedToken = PublicToken.extend({ lastUsedAt: Instant.nullable() });
export type ListedToken = z.infer<typeof ListedToken>;
export const MintedToken = PublicToken.extend({ token: z.string().describe('the bearer token; shown only in this answer') });
export type MintedToken = z.infer<typeof MintedToken>;

export const SessionInfo = z.object({ id: z.string().describe('the token the session stands for'), role: Role, label: z.string(), carrierId: Id.nullable(), scope: AreaScopeView.nullable() });

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

/** A handset as the API and the board show it: no device-token hash, no SIP passwords. */
export const PublicHandset = Handset.omit({ deviceTokenHash: true, credentials: true }).extend({
  credentials: z.array(SipCredential.omit({ passwordEncrypted: true })),
});
export type PublicHandset = z.infer<typeof PublicHandset>;

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

/** How far a job has come, as the shelter views show it. */
export const JobProgress = z.object({
  id: Id,
  kind: z.string(),
  status: z.string(),
  stepsDone: z.number().int(),
  stepsTotal: z.number().int(),
  errors: z.number().int(),
});
export type JobProgress = z.infer<typeof JobProgress>;
export const JobDetail = Job.extend({ progress: JobProgress });

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

export const CarrierHealthRecorded = z.object({ carrierId: Id, health: z.enum(['up', 'down']), jobs: z.array(Id).describe('the failover or re-open jobs this started, and on recovery the routing check') });

/** What each poster about to be printed shows, as recorded for its out-of-date mark. */
export const RecordedPrints = z.object({
  printedAt: Instant,
  prints: z.array(PosterPrint.extend({ shelterId: Id })),
});

/** A work order as the carrier sees it: without our dedupe key. */
export const PublicWorkOrder = WorkOrder.omit({ dedupeKey: true, version: true });
export type PublicWorkOrder = z.infer<typeof PublicWorkOrder>;

export const RegisteredHandset = z.object({
  handset: PublicHandset,
  jobId: Id,
  provisioningUrl: z.url().describe('the first file the phone fetches: /p/{token}/{file}; the token is shown only in this answer'),
  provisioningBase: z.url(),
  files: z.array(z.url()),
});

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

/** The drill's calendar after a fast-forward, and whether a maintenance run was queued on it. */
export const DrillClockState = z.object({ now: Instant, maintenanceQueued: z.boolean() });
export type DrillClockState = z.infer<typeof DrillClockState>;

export { AuditEvent, Alert, FraudHold, FraudReport, Job, PhoneNumber, Shelter, SuspensionReport };

export type SessionInfo = z.infer<typeof SessionInfo>;
export type RegisteredHandset = z.infer<typeof RegisteredHandset>;
export type ShelterStateRequested = z.infer<typeof ShelterStateRequested>;
export type BulkOpenResult = z.infer<typeof BulkOpenResult>;
export type CarrierHealthRecorded = z.infer<typeof CarrierHealthRecorded>;
/** A page of a list, as every list route answers. */
export type Page<T> = { items: T[]; nextCursor: string | null };

/** Answers of the call-decision API (provisioning/model/call-decision.ts): the decision core rendered as JSON. */
const Prompt = z.object({ language: z.enum(['ja-JP', 'en-US']), text: z.string() });
/** Platforms without media (a SIP proxy) answer with this instead of playing the prompt. */
const SipResponse = z.object({ code: z.number().int().min(300).max(699), reason: z.string() });
const Presentation = z.enum(['sent', 'withheld']).describe('withheld: the handset dialled 184 — send the call with Privacy: id (RFC 3323/3325: From anonymous, the shelter line in P-Asserted-Identity); sent: show callerId');
const Tone = z.object({
  caller: z.boolean().describe('play the identification tone to the calling party first'),
  callee: z.boolean().describe('play it to the called party on answer, before bridging'),
  url: z.string().describe('the tone as audio/wav'),
});

/** Spoken outcome: refusal, guidance, intercept. Japanese first, then English. */
export const AnnounceDecision = z.object({
  action: z.literal('announce'),
  kind: z.enum(['refusal', 'emergency-guidance', 'special-guidance', 'intercept', 'goodbye']),
  reason: z.string().describe('why, e.g. premium, unknown-short-code, shelter-closed, not-in-service, 110'),
  prompts: z.array(Prompt),
  audioUrl: z.string().nullable().describe('a recording of the prompts when the operator configured one; else speak `prompts`'),
  sipResponse: SipResponse,
});

export const OutboundCallAnswer = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('connect'),
    purpose: z.enum(['short-code', 'domestic', 'navi-dial']),
    dial: E164,
    callerId: E164.describe('the shelter line the call leaves on: send it as From / P-Asserted-Identity'),
    callerIdPresentation: Presentation,
    identificationTone: Tone,
    shelterId: Id,
    handsetId: Id,
    targetShelterId: Id.nullable(),
  }),
  z.object({
    action: z.literal('special'),
    service: z.string().describe('171, 188, 189, #7119, #8000 or #9110'),
    route: z.enum(['capable-line', 'translated']).describe('capable-line: dial the special number itself on the callerId line; translated: dial the regional ordinary number'),
    dial: z.string().describe('what to dial: the special number, or an E.164 number when translated'),
    callerId: E164,
    callerIdPresentation: Presentation,
    identificationTone: Tone,
    shelterId: Id,
    handsetId: Id,
  }),
  z.object({
    action: z.literal('emergency'),
    dial: z.enum(['110', '118', '119']),
    callerId: E164,
    callerIdPresentation: Presentation.describe('withheld after 184: place the call anyway, with Privacy: id — the emergency centre may still obtain the number when a life is at risk'),
    shelterId: Id,
    handsetId: Id,
  }),
  z.object({
    action: z.literal('directory'),
    dial: E164.describe('the directory hotline (避難所案内): relay the call there like `connect`; it asks for a shelter\'s code and connects'),
    callerId: E164,
    callerIdPresentation: Presentation,
    shelterId: Id,
    handsetId: Id,
  }).describe('the handset dialled the directory code 9000000'),
  AnnounceDecision,
]);
export type OutboundCallAnswer = z.infer<typeof OutboundCallAnswer>;

const VoicemailStep = z.object({
  action: z.literal('voicemail'),
  shelterId: Id,
  prompts: z.array(Prompt),
  maxLengthSeconds: z.number().int().positive(),
  identificationTone: Tone,
});
/** Ring the shelter's number on its other carrier (a carrier outage must not silence a shelter). */
const ForwardStep = z.object({
  action: z.literal('forward'),
  shelterId: Id,
  dial: E164.describe('the shelter number on its other carrier'),
  callerId: E164.describe('the outside caller\'s number, so the shelter\'s phones there show who calls (Twilio accepts the calling number as callerId); the number called when the caller withheld theirs'),
  timeoutSeconds: z.number().int().positive(),
  identificationTone: Tone,
  onNoAnswer: VoicemailStep.nullable().describe('what to do when nobody answers; null: hang up'),
});
const RingStep = z.object({
  action: z.literal('ring'),
  shelterId: Id,
  /** Ring all at once: the handsets registered with this member for the shelter. */
  targets: z.array(z.object({ handsetId: Id, sipUri: z.string(), username: z.string(), domain: z.string() })),
  timeoutSeconds: z.number().int().positive(),
  identificationTone: Tone,
  onNoAnswer: z.discriminatedUnion('action', [ForwardStep, VoicemailStep]).nullable().describe('decided up front, so a SIP edge asks once per call'),
});

export const InboundCallAnswer = z.discriminatedUnion('action', [RingStep, ForwardStep, VoicemailStep, AnnounceDecision]);
export type InboundCallAnswer = z.infer<typeof InboundCallAnswer>;

export const CallEventAck = z.object({ callId: z.string(), status: z.string(), durationSeconds: z.number().int().min(0), shelterId: Id.nullable() });

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

/** An audit event as the log shows it: with the name of what it is about, where one exists (a shelter's, a carrier's, a token's label). */
export const AuditEntry = AuditEvent.extend({
  entityName: z.string().nullable(),
  /** The name of the shelter the event concerns (`shelterId`), when it is not the entity itself. */
  shelterName: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
