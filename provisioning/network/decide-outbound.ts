import { classifyDialled, type EmergencyService } from './classify-dialled.js';
import { MESSAGES, REFUSALS, SPECIAL_GUIDANCE, UNKNOWN_SERVICE, combine, type RefusalReason, type Say } from './speech.js';
import type { SpecialNumber } from '../model/index.js';
import type { Allowance } from '../compliance/abuse-limits.js';
import { inServiceNumbers, numberToReach, type NetworkView, type ViewNumber } from './network-view.js';
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
      purpose: 'short-code' | 'domestic' | 'navi-dial';
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
  /**
   * A special number (171, #7119, …) placed through a line whose carrier declared it can reach it
   * (`route: capable-line`, dial is the special number), or translated to the regional centre's
   * ordinary number from the operators' table (`route: translated`, dial is that number).
   */
  | {
      step: 'special';
      service: SpecialNumber;
      route: { kind: 'capable-line'; carrierId: string } | { kind: 'translated'; source: string; sourceDate: string; example: boolean };
      shelterId: string;
      handsetId: string;
      dial: string;
      callerId: string;
      identificationTone: { caller: boolean; callee: boolean };
    }
  /** No capable line and no translation: what the service is and where else to reach it. */
  | { step: 'special-guidance'; service: SpecialNumber | null; messages: Say[] }
  | { step: 'emergency'; shelterId: string; handsetId: string; dial: EmergencyService; callerId: string }
  | { step: 'emergency-guidance'; service: EmergencyService; messages: Say[] }
  | { step: 'refuse'; reason: RefusalReason; messages: Say[] };

function refuse(reason: RefusalReason): OutboundDecision {
  return { step: 'refuse', reason, messages: REFUSALS[reason] };
}

/**
 * The line a special number leaves on: in service, on a healthy carrier that declared it can
 * dial it; the handset's own carrier first (the call stays on one network), then emergency-capable 0AB-J.
 */
export function capableLine(view: NetworkView, service: SpecialNumber, callerCarrierId: string): ViewNumber | null {
  if (!view.shelter) return null;
  const capable = new Set(view.carriers.filter((c) => c.healthy && c.specialNumbers.includes(service)).map((c) => c.id));
  const rank = (n: ViewNumber) => (n.carrierId === callerCarrierId ? 0 : 2) + (n.kind === '0ABJ' && n.emergencyCapable ? 0 : 1);
  return inServiceNumbers(view.shelter).filter((n) => capable.has(n.carrierId)).sort((a, b) => rank(a) - rank(b))[0] ?? null;
}

/** Routes a call from a handset: short codes, domestic numbers, special numbers, emergency calls, and refusals. */
export function decideOutbound(call: OutboundCall, view: NetworkView, allowance: Allowance = { ok: true }, tone: TonePolicy = DEFAULT_TONE_POLICY, naviDialAllowance: Allowance = { ok: true }): OutboundDecision {
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
  if (dialled.kind === 'unknown-service') return { step: 'special-guidance', service: null, messages: UNKNOWN_SERVICE };
  if (dialled.kind === 'special') {
    const guidance = SPECIAL_GUIDANCE[dialled.service];
    // Over a limit or held, the caller still learns where else to reach the service.
    if (shelter.outboundHold) return { step: 'special-guidance', service: dialled.service, messages: combine(REFUSALS['outbound-restricted'], guidance) };
    if (!allowance.ok) return { step: 'special-guidance', service: dialled.service, messages: combine(REFUSALS['usage-limit'], guidance) };
    const ids = { shelterId: shelter.id, handsetId: caller.handsetId, identificationTone: { caller: tone.outbound, callee: tone.outbound } } as const;
    const capable = capableLine(view, dialled.service, caller.carrierId);
    if (capable) return { step: 'special', service: dialled.service, route: { kind: 'capable-line', carrierId: capable.carrierId }, dial: dialled.service, callerId: capable.e164, ...ids };
    const row = view.translations.find((t) => t.service === dialled.service);
    if (row && line) return { step: 'special', service: dialled.service, route: { kind: 'translated', source: row.source, sourceDate: row.sourceDate, example: row.example }, dial: row.e164, callerId: line.e164, ...ids };
    return { step: 'special-guidance', service: dialled.service, messages: guidance };
  }
  // A held shelter still reaches other shelters (on-net short codes) and emergency numbers (above).
  if (shelter.outboundHold && dialled.kind !== 'short-code') return refuse('outbound-restricted');
  // Over an abuse limit: everything but emergency calls (handled above) waits.
  if (!allowance.ok) return refuse('usage-limit');
  if (!line) return refuse('no-line');

  const base = { step: 'connect', shelterId: shelter.id, handsetId: caller.handsetId, callerId: line.e164, identificationTone: { caller: tone.outbound, callee: tone.outbound } } as const;
  if (dialled.kind === 'navi-dial') {
    if (view.naviDialRefusedPrefixes.some((p) => dialled.national.startsWith(p))) return refuse('navi-dial-refused');
    if (!naviDialAllowance.ok) return refuse('navi-dial-limit');
    return { ...base, purpose: 'navi-dial', dial: dialled.e164, targetShelterId: null };
  }
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
