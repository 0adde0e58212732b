import { classifyDialled, type EmergencyService } from './classify-dialled.js';
import { MESSAGES, REFUSALS, type RefusalReason, type Say } from './speech.js';
import type { Allowance } from '../compliance/abuse-limits.js';
import { numberToReach, type NetworkView } from './network-view.js';
import { parseSipUri } from './sip-uri.js';
import { DEFAULT_TONE_POLICY, type TonePolicy } from './identification-tone.js';
import { dialledReaches } from '../numbers/short-code-scheme.js';

/** A call a handset places through its carrier's SIP domain. */
export interface OutboundCall {
  /** `sip:username@domain` of the handset. */
  from: string;
  /** `sip:DIGITS@domain`: what was dialled. */
  to: string;
}

export type OutboundDecision =
  | {
      step: 'connect';
      purpose: 'short-code' | 'domestic';
      shelterId: string;
      handsetId: string;
      dial: string;
      callerId: string;
      /**
       * The JUSA identification tone: `caller` plays it to our handset before dialling, `callee`
       * plays it to the called party when they answer (a whisper), so both know it is a cloud phone.
       */
      identificationTone: { caller: boolean; callee: boolean };
      targetShelterId: string | null;
    }
  | { step: 'emergency'; shelterId: string; handsetId: string; dial: EmergencyService; callerId: string }
  | { step: 'emergency-guidance'; service: EmergencyService; messages: Say[] }
  | { step: 'refuse'; reason: RefusalReason; messages: Say[] };

function refuse(reason: RefusalReason): OutboundDecision {
  return { step: 'refuse', reason, messages: REFUSALS[reason] };
}

/** Routes a call from a handset: short codes, domestic numbers, emergency calls, and refusals. */
export function decideOutbound(call: OutboundCall, view: NetworkView, allowance: Allowance = { ok: true }, tone: TonePolicy = DEFAULT_TONE_POLICY): OutboundDecision {
  const from = parseSipUri(call.from);
  const caller = view.caller;
  if (!from || !caller || caller.username !== from.user || caller.domain !== from.domain) return refuse('unknown-handset');
  const shelter = view.shelter;
  if (!shelter || shelter.id !== caller.shelterId || !shelter.open) return refuse('shelter-closed');

  const dialled = classifyDialled(parseSipUri(call.to)?.user ?? '');
  // Caller ID must be a number of the carrier the call leaves on; Twilio rejects any other.
  const line = numberToReach({ ...shelter, numbers: shelter.numbers.filter((n) => n.carrierId === caller.carrierId) }, caller.carrierId);

  if (dialled.kind === 'emergency') {
    if (line?.emergencyCapable) return { step: 'emergency', shelterId: shelter.id, handsetId: caller.handsetId, dial: dialled.service, callerId: line.e164 };
    return { step: 'emergency-guidance', service: dialled.service, messages: MESSAGES.emergencyGuidance };
  }
  if (dialled.kind === 'refused') return refuse(dialled.reason);
  // A held shelter still reaches other shelters (on-net short codes) and emergency numbers (above).
  if (shelter.outboundHold && dialled.kind !== 'short-code') return refuse('outbound-restricted');
  // Over an abuse limit: everything but emergency calls (handled above) waits.
  if (!allowance.ok) return refuse('usage-limit');
  if (!line) return refuse('no-line');

  const base = { step: 'connect', shelterId: shelter.id, handsetId: caller.handsetId, callerId: line.e164, identificationTone: { caller: tone.outbound, callee: tone.outbound } } as const;
  if (dialled.kind === 'short-code') {
    const target = view.shortCodeShelter;
    // 4 digits reach the caller's own prefecture; the long form names another one.
    const reaches = target && target.open && dialledReaches(dialled, target, shelter.prefecture);
    const targetNumber = reaches ? numberToReach(target, caller.carrierId) : null;
    if (!target || !targetNumber) return refuse('unknown-short-code');
    return { ...base, purpose: 'short-code', dial: targetNumber.e164, targetShelterId: target.id };
  }
  return { ...base, purpose: 'domestic', dial: dialled.e164, targetShelterId: null };
}
