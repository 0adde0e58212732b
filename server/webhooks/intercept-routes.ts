import twilio from 'twilio';
import { z } from 'zod';
import { surfaceRoute } from '../http/surface.js';
import { FORM, SIGNATURE, WebhookParams, signed, twiml } from './twilio-webhook-schemas.js';

const MESSAGES = {
  closed: {
    ja: 'この避難所の電話は閉鎖されました。避難所の最新の連絡先は、市町村の災害対策本部にお問い合わせください。',
    en: 'This shelter phone line has been closed. Please contact the municipal disaster headquarters for current shelter contacts.',
  },
  suspended: {
    ja: 'この番号は現在ご利用いただけません。',
    en: 'This number is not available.',
  },
  fallback: {
    ja: 'ただいま避難所につながりません。しばらくしてからおかけ直しください。',
    en: 'The shelter cannot be reached right now. Please call again later.',
  },
} as const;

function announce(kind: keyof typeof MESSAGES): string {
  const r = new twilio.twiml.VoiceResponse();
  r.say({ language: 'ja-JP', voice: 'Polly.Mizuki' }, MESSAGES[kind].ja);
  r.say({ language: 'en-US', voice: 'Polly.Joanna' }, MESSAGES[kind].en);
  r.hangup();
  return r.toString();
}

const route = surfaceRoute<unknown>();
const TWIML_XML = 'text/xml';

/**
 * Where released and suspended numbers point (`/twilio/voice/intercept?reason=…`) and the voice
 * fallback URL: signed like every webhook, each answers with a fixed announcement whatever else
 * the callback carries (their input is only documented, never refused).
 */
export const interceptRoutes = [
  route({
    method: 'post', path: '/twilio/voice/intercept', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'Where released (reason=closed) and suspended (reason=suspended) numbers point: a fixed announcement',
    query: z.object({ reason: z.enum(['closed', 'suspended']).optional() }), form: WebhookParams, bodyDescription: FORM, responses: twiml('the announcement, then hang up'),
    validates: false,
    handler: async ({ req }) => ({ status: 200, contentType: TWIML_XML, body: announce(req.query.reason === 'suspended' ? 'suspended' : 'closed') }),
  }),
  route({
    method: 'post', path: '/twilio/voice/fallback', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'Twilio\'s voice fallback URL: an apology when the primary webhook failed',
    form: WebhookParams, bodyDescription: FORM, responses: twiml('the apology, then hang up'),
    validates: false,
    handler: async () => ({ status: 200, contentType: TWIML_XML, body: announce('fallback') }),
  }),
];
