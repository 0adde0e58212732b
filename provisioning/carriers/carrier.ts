/**
 * The one interface every member carrier implements (after Kazoo's carrier modules): discover
 * the numbers it lends, point a number's voice routing at us, manage handset SIP credentials,
 * reset a number on release, report health. Every method is idempotent: calling it again after
 * a crash or a retry converges to the same carrier state.
 */
export interface VoiceRouting {
  voiceUrl: string;
  voiceFallbackUrl: string;
  statusCallback: string;
}

export interface DiscoveredNumber {
  e164: string;
  /** The carrier's own handle (a Twilio PN SID). */
  carrierRef: string;
  friendlyName?: string;
  routing: VoiceRouting | null;
}

export interface SipCredentialSpec {
  /** Our shelter id: credentials of one shelter live in one list on the carrier. */
  shelterId: string;
  username: string;
  password: string;
}

export interface SipDomainSpec {
  /** Voice URL of the domain: calls from handsets come to us there. */
  voiceUrl: string;
  voiceFallbackUrl: string;
  statusCallback: string;
}

/** A test call: the carrier rings one handset's SIP endpoint from one of the shelter's numbers and plays a short message. */
export interface TestCallSpec {
  /** The handset's SIP user and the carrier's domain (its registrar). */
  username: string;
  domain: string;
  /** A number of this carrier's account (the shelter's line on it): the caller ID. */
  from: string;
  /** What the handset plays when answered. */
  message: { text: string; language: 'ja-JP' | 'en-US' };
}

export interface CarrierHealthReport {
  ok: boolean;
  detail: string;
}

export interface CarrierAdapter {
  readonly carrierId: string;
  /** Numbers the member holds, with their current voice routing: what the drift check observes, in one listing. */
  discoverNumbers(): Promise<DiscoveredNumber[]>;
  /** Points the number at our webhooks. */
  routeNumber(e164: string, routing: VoiceRouting): Promise<void>;
  /** Replaces the number's routing by an intercept announcement (closed line, suspension). */
  interceptNumber(e164: string, interceptUrl: string): Promise<void>;
  /** Clears the number's routing entirely (end of release). */
  resetNumber(e164: string): Promise<void>;
  /** Makes sure the carrier's one SIP domain exists and calls us; returns its host name (the registrar). */
  ensureSipDomain(spec: SipDomainSpec): Promise<{ domain: string }>;
  /** Creates (or updates the password of) a handset credential in its shelter's list, mapped to the domain. */
  ensureCredential(spec: SipCredentialSpec): Promise<void>;
  /** Deletes one handset credential; deleting a missing one is not an error. */
  deleteCredential(shelterId: string, username: string): Promise<void>;
  /** Usernames present in the shelter's list (for drift checks); [] when the list does not exist. */
  listCredentials(shelterId: string): Promise<string[]>;
  /** Shelters that have a credential list on the carrier (for drift checks: a closed shelter's must go). */
  credentialShelters(): Promise<string[]>;
  /** Removes the shelter's credential list and its mappings (shelter closed). */
  deleteShelterCredentials(shelterId: string): Promise<void>;
  health(): Promise<CarrierHealthReport>;
  /**
   * Rings a handset through the carrier (not idempotent: each call rings once; never retried).
   * Absent where the carrier's platform offers no way for us to place a call (api members).
   */
  placeTestCall?(spec: TestCallSpec): Promise<{ callRef: string }>;
  /** Where a placed test call has got to, as the carrier says (with placeTestCall). */
  testCallStatus?(callRef: string): Promise<TestCallStatus>;
}

/** A placed call's progress as the carrier reports it (Twilio's Call `status` values). */
export type TestCallStatus = 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

/** Why a carrier call failed, and whether trying again later can help. */
export class CarrierError extends Error {
  /** How long the carrier asked us to wait before trying again (its `Retry-After`), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly code?: number | string,
    opts: { retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'CarrierError';
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** The code of a CarrierError saying the member's account does not hold the number (released, never there, a typo). */
export const NUMBER_NOT_ON_ACCOUNT = 'number-not-on-account';

/** The number is not the member's to configure: no retry can help; the number must be set aside. */
export function isNumberNotOnAccount(err: unknown): err is CarrierError {
  return err instanceof CarrierError && err.code === NUMBER_NOT_ON_ACCOUNT;
}

/** The code of a CarrierError saying the SIP domain name we need is held by another account (global names). */
export const SIP_DOMAIN_HELD_ELSEWHERE = 'sip-domain-held-elsewhere';

/** The member's platform refused a request for too many at once (Twilio: HTTP 429, code 20429): slow down, never a sign of an outage. */
export function isThrottled(err: unknown): err is CarrierError {
  return err instanceof CarrierError && err.status === 429;
}

/**
 * An `api`-kind carrier has been asked to do the work (a work order) and has not reported yet:
 * not a failure, the step simply waits and is looked at again later.
 */
export class CarrierPending extends Error {
  constructor(
    readonly workOrderId: string,
    readonly retryAfterMs: number,
    detail?: string,
  ) {
    super(detail ?? `waiting for the carrier to complete work order ${workOrderId}`);
    this.name = 'CarrierPending';
  }
}
