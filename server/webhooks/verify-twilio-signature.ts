import twilio from 'twilio';
import type { RequestHandler } from 'express';
import type { WebhookLogger } from './webhook-logger.js';
import { problem, sendProblem } from '../http/problem.js';

export interface SignatureDeps {
  publicUrl: string;
  authTokenForAccount: (accountSid: string) => Promise<string | null>;
  logger?: WebhookLogger;
}

/**
 * Lets a webhook through only when X-Twilio-Signature matches the account's auth token over the
 * PUBLIC URL (ORCH_PUBLIC_URL + path and query): the Host header is never trusted, behind a proxy or not.
 */
export function verifyTwilioSignature(deps: SignatureDeps): RequestHandler {
  const base = deps.publicUrl.replace(/\/+$/, '');
  return async (req, res, next) => {
    const signature = req.get('X-Twilio-Signature');
    const params = (req.body ?? {}) as Record<string, string>;
    const accountSid = typeof params.AccountSid === 'string' ? params.AccountSid : '';
    const url = `${base}${req.originalUrl}`;
    const token = signature && accountSid ? await deps.authTokenForAccount(accountSid) : null;
    if (signature && token && twilio.validateRequest(token, signature, url, params)) {
      next();
      return;
    }
    deps.logger?.warn({ url, accountSid: accountSid || null, hasSignature: Boolean(signature), ip: req.ip }, 'twilio webhook refused: bad or missing signature');
    sendProblem(res, problem(403, 'bad-signature', 'Forbidden', 'X-Twilio-Signature is missing or does not match this request').problem);
  };
}
