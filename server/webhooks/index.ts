export { createTwilioWebhookRouter, TONE_PATH, type TwilioWebhookDeps } from './twilio-webhook-routes.js';
export { verifyTwilioSignature } from './verify-twilio-signature.js';
export type { WebhookLogger } from './webhook-logger.js';
