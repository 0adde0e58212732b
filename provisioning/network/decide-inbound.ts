import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { MESSAGES, type Say } from './speech.js';
import { inServiceNumbers, type NetworkView } from './network-view.js';
import { DEFAULT_TONE_POLICY, type TonePolicy } from './identification-tone.js';

/** Where an inbound call is in its walk: new, back from ringing the handsets, back from the other carrier. */
export type InboundStage = 'new' | 'after-handsets' | 'after-other-carrier';

export interface InboundCall {
  from: string;
  to: string;
  stage: InboundStage;
  /** DialCallStatus of the step that just ended (Twilio's Dial action callback). */
  dialStatus: string | null;
  /** The shelter's walk on its other line forwarded this call here (call records say so: forwarded-call.ts). */
  forwarded?: boolean;
}

export const INBOUND_PATH = '/twilio/voice/inbound';
export const RECORDED_PATH = '/twilio/voice/recorded';
/** How long the shelter's handsets ring before the walk moves on (ORCH_HANDSET_RING_SECONDS). */
export const HANDSET_RING_SECONDS = 20;
/** The other carrier rings longer than its own handset ring, so its voicemail answers rather than ours. */
export const otherCarrierRingSeconds = (handsetRingSeconds: number) => handsetRingSeconds + 10;
export const VOICEMAIL_MAX_SECONDS = 120;

/** The caller hears the identification tone first (only on the call's first step, so never twice). */
export interface InboundTone {
  identificationTone: { caller: boolean };
}

export type InboundDecision =
  | ({ step: 'ring-handsets'; shelterId: string; targets: Array<{ handsetId: string; sipUri: string }>; timeoutSeconds: number; action: string } & InboundTone)
  | ({ step: 'ring-other-carrier'; shelterId: string; dial: string; callerId: string; timeoutSeconds: number; action: string } & InboundTone)
  | ({ step: 'voicemail'; shelterId: string; prompts: Say[]; maxLengthSeconds: number; action: string } & InboundTone)
  | { step: 'intercept'; reason: 'not-in-service' | 'suspended'; messages: Say[] }
  | { step: 'hang-up'; reason: 'answered' };

const ANSWERED = new Set(['completed', 'answered']);

/**
 * The caller's own number in E.164 when the network delivered one; null when withheld or not a
 * number ('', 'anonymous', Twilio's '+266696687'). A forwarded call shows it: Twilio accepts the
 * calling number as a `<Dial>` callerId (its error 13214 lists calling, called, or verified).
 */
export function presentedCaller(from: string): string | null {
  const parsed = parsePhoneNumberFromString(from.trim(), 'JP');
  return parsed?.isValid() ? parsed.number : null;
}

/** Routes a call to a shelter number: its handsets on that carrier, then its other carrier, then voicemail. */
export function decideInbound(call: InboundCall, view: NetworkView, tone: TonePolicy = DEFAULT_TONE_POLICY, handsetRingSeconds: number = HANDSET_RING_SECONDS): InboundDecision {
  const called = view.called;
  if (called?.state === 'suspended') return { step: 'intercept', reason: 'suspended', messages: MESSAGES.suspended };
  const shelter = view.shelter;
  if (!called || called.state !== 'in_service' || !shelter || !shelter.open || called.shelterId !== shelter.id) {
    return { step: 'intercept', reason: 'not-in-service', messages: MESSAGES.notInService };
  }
  if (call.dialStatus !== null && ANSWERED.has(call.dialStatus)) return { step: 'hang-up', reason: 'answered' };
  const ownNumbers = new Set(shelter.numbers.map((n) => n.e164));
  // A call our other line forwarded is never sent back: it shows the caller's number (known from
  // our call records), or the shelter's own when the caller withheld theirs.
  const forwardedToUs = call.forwarded === true || ownNumbers.has(call.from);
  // The caller heard the tone on the first step (or on our other carrier, before it forwarded the call).
  const identificationTone = { caller: tone.inbound && call.stage === 'new' && !forwardedToUs };

  if (call.stage === 'new') {
    const targets = view.handsets
      .filter((h) => h.shelterId === shelter.id && h.carrierId === called.carrierId)
      .map((h) => ({ handsetId: h.handsetId, sipUri: `sip:${h.username}@${h.domain}` }));
    if (targets.length > 0) {
      return {
        step: 'ring-handsets',
        shelterId: shelter.id,
        targets,
        timeoutSeconds: handsetRingSeconds,
        action: `${INBOUND_PATH}?stage=after-handsets`,
        identificationTone,
      };
    }
  }

  if (call.stage !== 'after-other-carrier') {
    const other = inServiceNumbers(shelter).find((n) => n.carrierId !== called.carrierId);
    if (other && !forwardedToUs) {
      return {
        step: 'ring-other-carrier',
        shelterId: shelter.id,
        dial: other.e164,
        // The shelter's phones there show who is calling; a withheld caller stays withheld behind the number called.
        callerId: presentedCaller(call.from) ?? called.e164,
        timeoutSeconds: otherCarrierRingSeconds(handsetRingSeconds),
        action: `${INBOUND_PATH}?stage=after-other-carrier`,
        identificationTone,
      };
    }
  }

  return { step: 'voicemail', shelterId: shelter.id, prompts: MESSAGES.voicemail, maxLengthSeconds: VOICEMAIL_MAX_SECONDS, action: RECORDED_PATH, identificationTone };
}

export interface RecordedCall {
  from: string;
  to: string;
  recordingUrl: string | null;
  recordingSid: string | null;
  durationSeconds: number;
}

export type RecordedDecision =
  | { step: 'store-message'; shelterId: string; from: string; to: string; recordingUrl: string; recordingSid: string | null; durationSeconds: number; messages: Say[] }
  | { step: 'discard'; messages: Say[] };

/** A finished `<Record>`: keep it with the called number's shelter, unless nothing was said. */
export function decideRecorded(call: RecordedCall, view: NetworkView): RecordedDecision {
  const shelterId = view.called?.shelterId ?? null;
  if (!shelterId || !call.recordingUrl || call.durationSeconds <= 0) return { step: 'discard', messages: MESSAGES.noMessage };
  return {
    step: 'store-message',
    shelterId,
    from: call.from,
    to: call.to,
    recordingUrl: call.recordingUrl,
    recordingSid: call.recordingSid,
    durationSeconds: call.durationSeconds,
    messages: MESSAGES.messageSaved,
  };
}
