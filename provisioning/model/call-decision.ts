import { z } from 'zod';
import { E164, Id } from './common.js';

/**
 * The call-decision API: members on platforms other than Twilio (Kamailio, Asterisk, FreeSWITCH,
 * commercial PBXs) ask it per call and get the same decision the Twilio path renders as TwiML.
 */
export const CALL_DECISION_CONTRACT = 'shelter-line.call-decision.v1';
export const CALL_DECISION_PATHS = {
  inbound: '/api/v1/call-decisions/inbound',
  outbound: '/api/v1/call-decisions/outbound',
  events: '/api/v1/call-events',
} as const;

/** How a member's platform is told what to do with a call: TwiML webhooks, or the JSON call-decision API. */
export const CallControl = z.enum(['twiml', 'json']);
export type CallControl = z.infer<typeof CallControl>;

/** The member's own id for the call (a SIP Call-ID, a channel id): events later name the call by it. */
const CallId = z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces, e.g. a SIP Call-ID');
const SipUser = z.string().min(1).max(128).regex(/^[A-Za-z0-9._~!$&'()*+,;=%-]+$/, 'a SIP user part');
const SipHost = z.string().min(1).max(253).regex(/^[A-Za-z0-9.-]+$/, 'a host name');

export const OutboundCallQuestion = z
  .object({
    callId: CallId,
    /** The handset's SIP identity: its authenticated user name and the registrar's domain. */
    handset: z.object({ username: SipUser, domain: SipHost }).strict(),
    /** What the handset dialled (the Request-URI user part), as sent. */
    dialled: z.string().min(1).max(64).meta({ examples: ['0312345678', '2001', '110'] }),
  })
  .strict();
export type OutboundCallQuestion = z.infer<typeof OutboundCallQuestion>;

export const InboundCallQuestion = z
  .object({
    callId: CallId,
    /** The caller's number as the network delivered it (E.164 or national); may be empty when withheld. */
    from: z.string().max(64).default(''),
    /** The shelter number called. */
    to: E164,
  })
  .strict();
export type InboundCallQuestion = z.infer<typeof InboundCallQuestion>;

export const CallEventKind = z.enum(['ringing', 'answered', 'completed', 'busy', 'no-answer', 'failed', 'canceled']);
export const CallEvent = z
  .object({
    callId: CallId,
    event: CallEventKind,
    /** Seconds the call was connected; sent with `completed`. */
    durationSeconds: z.number().int().min(0).max(86_400).optional(),
  })
  .strict();
export type CallEvent = z.infer<typeof CallEvent>;

