import type { NumberKind, NumberState, SpecialNumber, TranslatableSpecialNumber } from '../model/index.js';

/** A number as the dial plan needs it. */
export interface ViewNumber {
  e164: string;
  carrierId: string;
  kind: NumberKind;
  emergencyCapable: boolean;
  state: NumberState;
  shelterId: string | null;
  /** Added by a failover while another line was down: a spare, never the number callers and caller ID know. */
  replacement?: boolean;
}

/** A shelter with the numbers assigned to it (every state, so intercepts can be told apart). */
export interface ViewShelter {
  id: string;
  name: string;
  shortCode: string | null;
  /** JIS X 0401 prefecture code (01–47), the scope of its short code. */
  prefecture: string;
  open: boolean;
  numbers: ViewNumber[];
  /**
   * Outbound is held to emergency numbers and short codes: after credible fraud reports (until a
   * coordinator reviews) or after a fraud suspension (until an admin reviews).
   */
  outboundHold?: 'reports' | 'suspension' | null;
}

/** One handset's active SIP credential on one carrier: a `<Dial><Sip>` target. */
export interface SipEndpoint {
  handsetId: string;
  shelterId: string;
  carrierId: string;
  username: string;
  domain: string;
}

/** A carrier of the shelter's lines, as the special-number plan needs it. */
export interface ViewCarrier {
  id: string;
  /** Up and not withdrawn: a call may leave on its lines now. */
  healthy: boolean;
  /** What its lines can dial, as the member declared. */
  specialNumbers: SpecialNumber[];
  /**
   * Its platform can send a call with the number withheld (184): members on the call-decision API
   * set `Privacy: id`; TwiML's `<Dial><Number>` has no such setting, so Twilio-kind lines cannot.
   */
  withholdsCallerId: boolean;
}

/** A row of the operators' translation table for the shelter's prefecture. */
export interface ViewTranslation {
  service: TranslatableSpecialNumber;
  e164: string;
  source: string;
  sourceDate: string;
  example: boolean;
}

/** The slice of the store one routing decision needs; decisions read nothing else. */
export interface NetworkView {
  /** The number the call came in on, when it is one we know. */
  called: ViewNumber | null;
  /** The shelter the call is about: the called number's or the calling handset's. */
  shelter: ViewShelter | null;
  /** Active SIP credentials of that shelter's handsets, on every carrier. */
  handsets: SipEndpoint[];
  /** The handset placing an outbound call, matched by SIP username and domain. */
  caller: SipEndpoint | null;
  /** The shelter named by a dialled or keyed-in short code, when one was looked up. */
  shortCodeShelter: ViewShelter | null;
  /** No other open shelter holds that short code, in any prefecture. */
  shortCodeUnique: boolean;
  /** The carrier (member account) the webhook came from. */
  carrierId: string | null;
  /** Carriers of the shelter's lines (loaded when a special number, or a number with 184, was dialled). */
  carriers: ViewCarrier[];
  /** Translation rows for the shelter's prefecture (loaded when a special number was dialled). */
  translations: ViewTranslation[];
  /** 0570 prefixes coordinators refused (loaded when a 0570 number was dialled). */
  naviDialRefusedPrefixes: string[];
}

export const EMPTY_VIEW: NetworkView = {
  called: null,
  shelter: null,
  handsets: [],
  caller: null,
  shortCodeShelter: null,
  shortCodeUnique: false,
  carrierId: null,
  carriers: [],
  translations: [],
  naviDialRefusedPrefixes: [],
};

/** Numbers of a shelter that take calls now, in a stable order. */
export function inServiceNumbers(shelter: ViewShelter): ViewNumber[] {
  return shelter.numbers.filter((n) => n.state === 'in_service').sort((a, b) => a.e164.localeCompare(b.e164));
}

/**
 * The number to dial to reach a shelter, or to show as its caller ID: one on the preferred carrier
 * when it has one (the call stays on one network), the shelter's own line before a replacement, and
 * emergency-capable 0AB-J first, as callers know those best.
 */
export function numberToReach(shelter: ViewShelter, preferCarrierId: string | null): ViewNumber | null {
  const live = inServiceNumbers(shelter);
  const rank = (n: ViewNumber): number => (n.carrierId === preferCarrierId ? 0 : 4) + (n.replacement ? 2 : 0) + (n.kind === '0ABJ' && n.emergencyCapable ? 0 : 1);
  return [...live].sort((a, b) => rank(a) - rank(b))[0] ?? null;
}

/** The shelter's line a call from a handset on `carrierId` leaves on: caller ID must be that carrier's own number (Twilio rejects any other). */
export function lineOnCarrier(shelter: ViewShelter, carrierId: string): ViewNumber | null {
  return numberToReach({ ...shelter, numbers: shelter.numbers.filter((n) => n.carrierId === carrierId) }, carrierId);
}
