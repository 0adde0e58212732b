import type { InboundCallAnswer, OutboundCallAnswer } from '../../provisioning/model/index.js';
import { REFUSALS, type InboundDecision, type OutboundDecision, type Say } from '../../provisioning/network/index.js';

/** The second rendering of the decision core (the first is render-twiml.ts): JSON for members' own platforms. */
export interface JsonRenderUrls {
  toneUrl: string;
  /** A recording of a prompt, when the operator keeps one (ORCH_PROMPT_AUDIO_BASE_URL/<reason>.wav); else null. */
  promptAudioUrl: (reason: string) => string | null;
}

type Announce = Extract<OutboundCallAnswer, { action: 'announce' }>;
type SipResponse = Announce['sipResponse'];

/** What a SIP edge without media answers instead of speaking: the code says the class, the phrase the reason. */
const REFUSAL_SIP: Record<string, SipResponse> = {
  'unknown-handset': { code: 403, reason: 'Handset not registered' },
  'shelter-closed': { code: 403, reason: 'Shelter line closed' },
  'no-line': { code: 503, reason: 'No outgoing line' },
  'unknown-short-code': { code: 404, reason: 'No shelter has that short code' },
  'own-short-code': { code: 403, reason: 'Own shelter short code' },
  'withhold-unavailable': { code: 403, reason: 'Caller ID cannot be withheld on this line' },
  'directory-unavailable': { code: 403, reason: 'Directory not reachable from this line' },
  international: { code: 403, reason: 'International calls refused' },
  'carrier-prefix': { code: 403, reason: 'Carrier prefix refused' },
  premium: { code: 403, reason: 'Premium-rate number refused' },
  'information-service': { code: 403, reason: '0180 number refused' },
  'not-allowed': { code: 403, reason: 'Number type refused' },
  invalid: { code: 484, reason: 'Address Incomplete' },
  'usage-limit': { code: 403, reason: 'Calling limit reached' },
  'navi-dial-refused': { code: 403, reason: '0570 prefix refused' },
  'navi-dial-limit': { code: 403, reason: '0570 minutes used up' },
  'not-in-service': { code: 410, reason: 'Shelter number not in service' },
  suspended: { code: 403, reason: 'Number suspended' },
};
/** RFC 5031's answer to an emergency call the edge must not place: use another service. */
const EMERGENCY_GUIDANCE_SIP: SipResponse = { code: 380, reason: 'Alternative Service' };

function prompts(lines: readonly Say[]) {
  return lines.map((l) => ({ language: l.language, text: l.text }));
}

/** Tone flags as the decision carries them (one flag, or caller/callee): both parties when it is on. */
function tone(urls: JsonRenderUrls, flags: unknown): { caller: boolean; callee: boolean; url: string } {
  if (typeof flags === 'boolean') return { caller: flags, callee: flags, url: urls.toneUrl };
  const f = (flags ?? {}) as { caller?: unknown; callee?: unknown };
  return { caller: f.caller === true, callee: f.callee === true, url: urls.toneUrl };
}

function announce(urls: JsonRenderUrls, kind: Announce['kind'], reason: string, lines: readonly Say[], sip: SipResponse | undefined): Announce {
  return { action: 'announce', kind, reason, prompts: prompts(lines), audioUrl: urls.promptAudioUrl(reason), sipResponse: sip ?? { code: 403, reason: 'Refused' } };
}

export function renderOutboundJson(d: OutboundDecision, urls: JsonRenderUrls): OutboundCallAnswer {
  switch (d.step) {
    case 'connect':
      return {
        action: 'connect', purpose: d.purpose, dial: d.dial, callerId: d.callerId, callerIdPresentation: d.callerIdPresentation, identificationTone: tone(urls, d.identificationTone),
        shelterId: d.shelterId, handsetId: d.handsetId, targetShelterId: d.targetShelterId,
      };
    case 'special':
      return {
        action: 'special', service: d.service, route: d.route.kind, dial: d.dial, callerId: d.callerId, callerIdPresentation: d.callerIdPresentation,
        identificationTone: tone(urls, d.identificationTone), shelterId: d.shelterId, handsetId: d.handsetId,
      };
    case 'directory':
      // A member's own platform relays to the hotline (it has no directory of its own); without one, it is told so.
      if (d.dial === null) return announce(urls, 'refusal', 'directory-unavailable', REFUSALS['directory-unavailable'], REFUSAL_SIP['directory-unavailable']);
      return { action: 'directory', dial: d.dial, callerId: d.callerId, callerIdPresentation: d.callerIdPresentation, shelterId: d.shelterId, handsetId: d.handsetId };
    case 'special-guidance':
      return announce(urls, 'special-guidance', d.service ?? 'unknown-service', d.messages, { code: 380, reason: 'Alternative Service' });
    case 'emergency':
      return { action: 'emergency', dial: d.dial, callerId: d.callerId, callerIdPresentation: d.callerIdPresentation, shelterId: d.shelterId, handsetId: d.handsetId };
    case 'emergency-guidance':
      return announce(urls, 'emergency-guidance', d.service, d.messages, EMERGENCY_GUIDANCE_SIP);
    case 'refuse':
      return announce(urls, 'refusal', d.reason, d.messages, REFUSAL_SIP[d.reason]);
  }
}

type Step = Extract<InboundCallAnswer, { action: 'ring' | 'forward' | 'voicemail' }>;
const inboundTone = (urls: JsonRenderUrls, d: InboundDecision) => tone(urls, 'identificationTone' in d ? { caller: (d.identificationTone as { caller?: unknown }).caller } : false);

/** One step of the inbound walk, with the steps after it nested as `onNoAnswer`. */
function inboundStep(walk: readonly InboundDecision[], i: number, urls: JsonRenderUrls): Step | null {
  const d = walk[i];
  if (!d) return null;
  const next = () => {
    const n = inboundStep(walk, i + 1, urls);
    return n && n.action !== 'ring' ? n : null;
  };
  switch (d.step) {
    case 'ring-handsets':
      return {
        action: 'ring', shelterId: d.shelterId, timeoutSeconds: d.timeoutSeconds, identificationTone: inboundTone(urls, d),
        targets: d.targets.map((t) => {
          const [, user = '', domain = ''] = /^sip:([^@]+)@(.+)$/.exec(t.sipUri) ?? [];
          return { handsetId: t.handsetId, sipUri: t.sipUri, username: user, domain };
        }),
        onNoAnswer: next(),
      };
    case 'ring-other-carrier': {
      const after = next();
      return {
        action: 'forward', shelterId: d.shelterId, dial: d.dial, callerId: d.callerId, timeoutSeconds: d.timeoutSeconds, identificationTone: inboundTone(urls, d),
        onNoAnswer: after?.action === 'voicemail' ? after : null,
      };
    }
    case 'voicemail':
      return { action: 'voicemail', shelterId: d.shelterId, prompts: prompts(d.prompts), maxLengthSeconds: d.maxLengthSeconds, identificationTone: inboundTone(urls, d) };
    default:
      return null;
  }
}

/** The walk of an inbound call (provisioning/network inboundWalk): its first step, the rest nested. */
export function renderInboundJson(walk: readonly InboundDecision[], urls: JsonRenderUrls): InboundCallAnswer {
  const first = walk[0];
  if (!first) throw new RangeError('an inbound walk has at least one step');
  if (first.step === 'intercept') return announce(urls, 'intercept', first.reason, first.messages, REFUSAL_SIP[first.reason]);
  if (first.step === 'hang-up') throw new RangeError('a new inbound call is never already answered');
  return inboundStep(walk, 0, urls)!;
}
