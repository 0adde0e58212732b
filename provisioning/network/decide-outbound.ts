import { classifyDialled, splitPresentationPrefix, type CallerIdPresentation, type EmergencyService } from './classify-dialled.js';
import { MESSAGES, REFUSALS, SPECIAL_GUIDANCE, UNKNOWN_SERVICE, combine, type RefusalReason, type Say } from './speech.js';
import type { SpecialNumber } from '../model/index.js';
import type { Allowance } from '../compliance/abuse-limits.js';
import { inServiceNumbers, lineOnCarrier, numberToReach, type NetworkView, type SipEndpoint, type ViewNumber, type ViewShelter } from './network-view.js';
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

/** The JUSA identification tone: `caller` plays it to our handset before dialling, `callee` to the called party when they answer (a whisper). */
export interface OutboundTone {
  identificationTone: { caller: boolean; callee: boolean };
}

/** How the shelter line goes with a placed call: `withheld` when dialled with 184 (Privacy: id; the network still knows it). */
export interface Presentation {
  callerIdPresentation: CallerIdPresentation;
}

export type OutboundDecision =
  | ({
      step: 'connect';
      purpose: 'short-code' | 'domestic' | 'navi-dial';
      shelterId: string;
      handsetId: string;
      dial: string;
      callerId: string;
      targetShelterId: string | null;
    } & OutboundTone & Presentation)
  /**
   * A special number (171, #7119, …) placed through a line whose carrier declared it can reach it
   * (`route: capable-line`, dial is the special number), or translated to the regional centre's
   * ordinary number from the operators' table (`route: translated`, dial is that number).
   */
  | ({
      step: 'special';
      service: SpecialNumber;
      route: { kind: 'capable-line'; carrierId: string } | { kind: 'translated'; source: string; sourceDate: string; example: boolean };
      shelterId: string;
      handsetId: string;
      dial: string;
      callerId: string;
    } & OutboundTone & Presentation)
  /** No capable line and no translation: what the service is and where else to reach it. */
  | { step: 'special-guidance'; service: SpecialNumber | null; messages: Say[] }
  | ({ step: 'emergency'; shelterId: string; handsetId: string; dial: EmergencyService; callerId: string } & Presentation)
  | { step: 'emergency-guidance'; service: EmergencyService; messages: Say[] }
  /**
   * The directory line (避難所案内): the caller keys a shelter's code and is connected. `dial` is
   * the directory hotline's number for platforms that relay the call there (null when the operator
   * has none); a Twilio-compatible member runs the directory in the same call instead.
   */
  | ({ step: 'directory'; shelterId: string; handsetId: string; callerId: string; dial: string | null } & Presentation)
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

/**
 * Routes a call from a handset: short codes, the directory, domestic numbers, special numbers,
 * emergency calls, and refusals. `directoryNumber`: the directory hotline's E.164, when the operator has one.
 */
export function decideOutbound(call: OutboundCall, view: NetworkView, allowance: Allowance = { ok: true }, tone: TonePolicy = DEFAULT_TONE_POLICY, naviDialAllowance: Allowance = { ok: true }, directoryNumber: string | null = null): OutboundDecision {
  const from = parseSipUri(call.from);
  const caller = view.caller;
  if (!from || !caller || caller.username !== from.user || caller.domain !== from.domain) return refuse('unknown-handset');
  const shelter = view.shelter;
  if (!shelter || shelter.id !== caller.shelterId || !shelter.open) return refuse('shelter-closed');

  const { presentation, number } = splitPresentationPrefix(parseSipUri(call.to)?.user ?? '');
  const callerIdPresentation: CallerIdPresentation = presentation ?? 'sent';
  const dialled = classifyDialled(number);
  const line = lineOnCarrier(shelter, caller.carrierId);
  // 184 asks the line's platform to withhold the number; one that cannot must not send it instead.
  const withholds = (carrierId: string) => view.carriers.some((c) => c.id === carrierId && c.withholdsCallerId);

  if (dialled.kind === 'emergency') {
    // The caller ID line may be a 050 while a replacement line on the same carrier can reach 110/118/119.
    const capable = lineOnCarrier({ ...shelter, numbers: shelter.numbers.filter((n) => n.emergencyCapable) }, caller.carrierId);
    // Emergency calls are never refused: where 184 cannot be honoured, the shelter line is sent (the centre may obtain it anyway).
    if (capable) return { step: 'emergency', shelterId: shelter.id, handsetId: caller.handsetId, dial: dialled.service, callerId: capable.e164, callerIdPresentation: callerIdPresentation === 'withheld' && withholds(capable.carrierId) ? 'withheld' : 'sent' };
    return { step: 'emergency-guidance', service: dialled.service, messages: MESSAGES.emergencyGuidance };
  }
  if (dialled.kind === 'refused') return refuse(dialled.reason);
  if (dialled.kind === 'unknown-service') return { step: 'special-guidance', service: null, messages: UNKNOWN_SERVICE };
  const placed = { shelterId: shelter.id, handsetId: caller.handsetId, callerIdPresentation } as const;
  const withheldRefused = (carrierId: string) => callerIdPresentation === 'withheld' && !withholds(carrierId);
  if (dialled.kind === 'special') return decideSpecial(dialled.service, view, caller, shelter, line, allowance, tone, placed, withheldRefused);
  // A held shelter still reaches other shelters (on-net short codes, the directory) and emergency numbers (above).
  if (shelter.outboundHold && dialled.kind !== 'short-code' && dialled.kind !== 'directory') return refuse('outbound-restricted');
  // Over an abuse limit: everything but emergency calls (handled above) waits.
  if (!allowance.ok) return refuse('usage-limit');
  if (!line) return refuse('no-line');
  if (withheldRefused(line.carrierId)) return refuse('withhold-unavailable');

  if (dialled.kind === 'directory') {
    return { step: 'directory', ...placed, callerId: line.e164, dial: directoryNumber };
  }
  const base = { step: 'connect', ...placed, callerId: line.e164, identificationTone: { caller: tone.outbound, callee: tone.outbound } } as const;
  if (dialled.kind === 'navi-dial') {
    if (view.naviDialRefusedPrefixes.some((p) => dialled.national.startsWith(p))) return refuse('navi-dial-refused');
    if (!naviDialAllowance.ok) return refuse('navi-dial-limit');
    return { ...base, purpose: 'navi-dial', dial: dialled.e164, targetShelterId: null };
  }
  if (dialled.kind === 'short-code') {
    const target = view.shortCodeShelter;
    // 4 digits reach the caller's own prefecture; the long form names another one.
    const reaches = target && target.open && dialledReaches(dialled, target, shelter.prefecture);
    if (reaches && target.id === shelter.id) return refuse('own-short-code');
    const targetNumber = reaches ? numberToReach(target, caller.carrierId) : null;
    // 7119 / 8000 without `#`: a shelter holding the code wins (its posters say so); else the service.
    if ((!target || !targetNumber) && dialled.orService) return decideSpecial(dialled.orService, view, caller, shelter, line, allowance, tone, placed, withheldRefused);
    if (!target || !targetNumber) return refuse('unknown-short-code');
    return { ...base, purpose: 'short-code', dial: targetNumber.e164, targetShelterId: target.id };
  }
  return { ...base, purpose: 'domestic', dial: dialled.e164, targetShelterId: null };
}

/** A special number: a capable line, else the table's ordinary number on the handset's line, else guidance. */
function decideSpecial(
  service: SpecialNumber,
  view: NetworkView,
  caller: SipEndpoint,
  shelter: ViewShelter,
  line: ViewNumber | null,
  allowance: Allowance,
  tone: TonePolicy,
  placed: { shelterId: string; handsetId: string; callerIdPresentation: CallerIdPresentation },
  withheldRefused: (carrierId: string) => boolean,
): OutboundDecision {
  const guidance = SPECIAL_GUIDANCE[service];
  // Over a limit or held, the caller still learns where else to reach the service.
  if (shelter.outboundHold) return { step: 'special-guidance', service, messages: combine(REFUSALS['outbound-restricted'], guidance) };
  if (!allowance.ok) return { step: 'special-guidance', service, messages: combine(REFUSALS['usage-limit'], guidance) };
  const ids = { ...placed, identificationTone: { caller: tone.outbound, callee: tone.outbound } } as const;
  const capable = capableLine(view, service, caller.carrierId);
  const row = view.translations.find((t) => t.service === service);
  const leaving = capable ?? (row ? line : null);
  if (leaving && withheldRefused(leaving.carrierId)) return { step: 'special-guidance', service, messages: combine(REFUSALS['withhold-unavailable'], guidance) };
  if (capable) return { step: 'special', service, route: { kind: 'capable-line', carrierId: capable.carrierId }, dial: service, callerId: capable.e164, ...ids };
  if (row && line) return { step: 'special', service, route: { kind: 'translated', source: row.source, sourceDate: row.sourceDate, example: row.example }, dial: row.e164, callerId: line.e164, ...ids };
  return { step: 'special-guidance', service, messages: guidance };
}
