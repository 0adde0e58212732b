import type { CallRecord } from '../model/index.js';
import type { SipEndpoint, ViewNumber } from './network-view.js';

/** What a callback is about, as found in the store; the signing member must be the one that holds it. */
export type CallbackSubject =
  /** Inbound, recorded, directory: the number the call came in on (null when we know no such number). */
  | { kind: 'called-number'; called: ViewNumber | null; /** directory hotlines are not lent numbers */ unknownAllowed?: boolean }
  /** Outbound: the handset matched by SIP user and domain. */
  | { kind: 'calling-handset'; caller: SipEndpoint | null }
  /** Status: the call record our voice handlers wrote when they routed the call. */
  | { kind: 'routed-call'; call: CallRecord | null };

export type TenancyDecision = { ok: true } | { ok: false; reason: string };

/** Pure: may the member whose account signed this callback speak about this subject? */
export function decideCallbackTenancy(signerCarrierId: string | null, subject: CallbackSubject): TenancyDecision {
  if (!signerCarrierId) return { ok: false, reason: 'the signing account is no member carrier' };
  switch (subject.kind) {
    case 'called-number':
      if (!subject.called) return subject.unknownAllowed ? { ok: true } : { ok: false, reason: 'the called number is not one lent to the network' };
      return subject.called.carrierId === signerCarrierId ? { ok: true } : { ok: false, reason: 'the called number belongs to another member' };
    case 'calling-handset':
      // An unknown handset is refused by the routing decision itself (spoken reason, nothing written).
      if (!subject.caller) return { ok: true };
      return subject.caller.carrierId === signerCarrierId ? { ok: true } : { ok: false, reason: 'the calling handset is registered on another member' };
    case 'routed-call':
      if (!subject.call) return { ok: false, reason: 'the call was not started or routed by this network' };
      return subject.call.carrierId === signerCarrierId ? { ok: true } : { ok: false, reason: 'the call was routed for another member' };
  }
}

const TWILIO_API_HOST = 'api.twilio.com';

/** A recording may only be fetched from the signing carrier's own API host (https), never a host the callback names. */
export function recordingUrlAllowed(recordingUrl: string, carrierApiBaseUrl: string | null): boolean {
  let u: URL;
  try {
    u = new URL(recordingUrl);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (u.protocol === 'https:' && u.host === TWILIO_API_HOST) return true;
  if (!carrierApiBaseUrl) return false;
  const base = new URL(carrierApiBaseUrl);
  return u.protocol === base.protocol && u.host === base.host;
}
