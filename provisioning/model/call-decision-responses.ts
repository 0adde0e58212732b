import { z } from 'zod';
import { E164, Id } from './common.js';

/** Answers of the call-decision API (call-decision.ts): the decision core rendered as JSON. Closed, like every answer (api-responses.ts). */

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
