import { z } from 'zod';

/** What Twilio posts to our webhooks (the members we read; Twilio sends more, which pass unread) and how the document names it. */
const Text = z.string().max(2048);
export const WebhookParams = z.object({ AccountSid: Text.meta({ examples: ['AC' + '0'.repeat(32)] }), CallSid: Text.optional(), From: Text.default(''), To: Text.default('') });
export const InboundParams = WebhookParams.extend({ DialCallStatus: Text.optional() });
export const InboundQuery = z.object({ stage: z.enum(['new', 'after-handsets', 'after-other-carrier']).default('new') });
export const DirectoryParams = WebhookParams.extend({ Digits: Text.optional() });
export const DirectoryQuery = z.object({ attempt: z.coerce.number().int().min(0).max(10).default(0) });
export const RecordedParams = WebhookParams.extend({
  RecordingUrl: Text.optional(),
  RecordingSid: Text.optional(),
  RecordingDuration: z.coerce.number().int().min(-1).default(0),
});
export const StatusParams = WebhookParams.extend({
  CallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'expected a Twilio call SID').meta({ examples: ['CA' + '0'.repeat(32)] }),
  CallStatus: z.string().min(1).max(32),
  CallDuration: z.coerce.number().int().min(0).optional(),
});

const TWIML = z.string().describe('TwiML: an XML <Response> document').meta({ examples: ['<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>'] });
export const twiml = (description: string) => ({ 200: { description, schema: TWIML, contentType: 'text/xml' } });
export const SIGNATURE = [{ name: 'X-Twilio-Signature', required: true, description: 'Twilio\'s signature of the public URL and the form parameters' }];
export const signed = { kind: 'external', mechanism: 'twilio-signature' } as const;
export const FORM = 'application/x-www-form-urlencoded as Twilio posts it; parameters not listed are accepted and ignored.';
