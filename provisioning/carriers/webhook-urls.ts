import { CALL_DECISION_CONTRACT, CALL_DECISION_PATHS } from '../model/index.js';

/** Where carriers send calls for our numbers and handsets: all under the public URL. */
export interface WebhookUrls {
  voiceUrl: string;
  voiceFallbackUrl: string;
  statusCallback: string;
  /** The SIP domain's voice URL: calls from handsets. */
  outboundUrl: string;
  intercept(reason: 'closed' | 'suspended'): string;
}

export function webhookUrls(publicUrl: string, fallbackUrl?: string): WebhookUrls {
  const base = publicUrl.replace(/\/$/, '');
  return {
    voiceUrl: `${base}${INBOUND_VOICE_PATH}`,
    voiceFallbackUrl: fallbackUrl ?? `${base}/twilio/voice/fallback`,
    statusCallback: `${base}/twilio/status`,
    outboundUrl: `${base}/twilio/voice/outbound`,
    intercept: (reason) => `${base}/twilio/voice/intercept?reason=${reason}`,
  };
}

export const INBOUND_VOICE_PATH = '/twilio/voice/inbound';

/** What a `route_number` order tells a JSON member: where to ask about each call, and the contract. */
export interface CallDecisionUrls {
  contract: typeof CALL_DECISION_CONTRACT;
  inboundDecisionUrl: string;
  outboundDecisionUrl: string;
  eventsUrl: string;
}

/** The call-decision endpoints under the same public URL as a number's TwiML voice URL. */
export function callDecisionUrls(voiceUrl: string): CallDecisionUrls {
  const base = voiceUrl.endsWith(INBOUND_VOICE_PATH) ? voiceUrl.slice(0, -INBOUND_VOICE_PATH.length) : new URL(voiceUrl).origin;
  return {
    contract: CALL_DECISION_CONTRACT,
    inboundDecisionUrl: `${base}${CALL_DECISION_PATHS.inbound}`,
    outboundDecisionUrl: `${base}${CALL_DECISION_PATHS.outbound}`,
    eventsUrl: `${base}${CALL_DECISION_PATHS.events}`,
  };
}

/** The voice URL a JSON member's routing stands for, so drift checks compare one thing on every member. */
export function voiceUrlOfDecisions(inboundDecisionUrl: string): string {
  return inboundDecisionUrl.endsWith(CALL_DECISION_PATHS.inbound) ? `${inboundDecisionUrl.slice(0, -CALL_DECISION_PATHS.inbound.length)}${INBOUND_VOICE_PATH}` : inboundDecisionUrl;
}
