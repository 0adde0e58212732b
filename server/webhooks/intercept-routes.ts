import express, { Router } from 'express';
import twilio from 'twilio';
import { verifyTwilioSignature, type SignatureDeps } from './verify-twilio-signature.js';

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

/**
 * Where released and suspended numbers point (`/twilio/voice/intercept?reason=…`) and the voice
 * fallback URL: signed like every webhook, each answers with a fixed announcement.
 */
export function createInterceptRouter(deps: SignatureDeps): Router {
  const router = Router();
  const signed = [express.urlencoded({ extended: false, limit: '64kb' }), verifyTwilioSignature(deps)];
  router.post('/twilio/voice/intercept', ...signed, (req, res) => {
    res.type('text/xml').send(announce(req.query.reason === 'suspended' ? 'suspended' : 'closed'));
  });
  router.post('/twilio/voice/fallback', ...signed, (_req, res) => {
    res.type('text/xml').send(announce('fallback'));
  });
  return router;
}
