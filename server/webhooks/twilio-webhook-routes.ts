import { createHash } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Store } from '../../provisioning/store/store.js';
import {
  decideDirectory,
  decideCallbackTenancy,
  decideRecorded,
  noteRoutedCall,
  recordingUrlAllowed,
  recordCallEvent,
  routeInboundCall,
  routeOutboundCall,
  type CallbackSubject,
  identificationToneWav,
  loadNetworkView,
  parseSipUri,
  storeVoiceMessage,
  type ToneOptions,
  type TonePolicy,
  DEFAULT_TONE_POLICY,
} from '../../provisioning/network/index.js';
import { renderDirectory, renderInbound, renderOutbound, renderRecorded, renderWhisper, type RenderUrls } from './render-twiml.js';
import { verifyTwilioSignature } from './verify-twilio-signature.js';
import type { AbuseLimits } from '../../provisioning/compliance/abuse-limits.js';
import type { WebhookLogger } from './webhook-logger.js';
import { sendProblem, toProblem, validationProblem } from '../http/problem.js';

export interface TwilioWebhookDeps {
  store: Store;
  /** ORCH_PUBLIC_URL, e.g. https://line.example.jp: signatures are checked against it. */
  publicUrl: string;
  authTokenForAccount: (accountSid: string) => Promise<string | null>;
  /** The member carrier behind a Twilio account: callbacks are scoped to what that member holds. */
  carrierForAccount: (accountSid: string) => Promise<{ carrierId: string; apiBaseUrl: string | null } | null>;
  now: () => Date;
  /** Where calls fetch the identification tone; default: our own /twilio/tone.wav (operators may point it at the official JUSA file). */
  toneUrl?: string;
  tone?: ToneOptions;
  /** Which directions play the tone (default: both). */
  tonePolicy?: TonePolicy;
  /** How long a shelter's handsets ring before the walk moves on (ORCH_HANDSET_RING_SECONDS). */
  handsetRingSeconds?: number;
  /** Outbound abuse limits per handset and shelter (defaults in provisioning/compliance/abuse-limits.ts). */
  abuseLimits?: AbuseLimits;
  logger?: WebhookLogger;
}

export const TONE_PATH = '/twilio/tone.wav';
export const WHISPER_PATH = '/twilio/voice/whisper';
const TONE_MAX_AGE_SECONDS = 24 * 60 * 60;

// Twilio's form parameters: the members we read; Twilio sends more, which pass unread.
const Text = z.string().max(2048);
export const WebhookParams = z.object({ AccountSid: Text.meta({ examples: ['AC' + '0'.repeat(32)] }), CallSid: Text.optional(), From: Text.default(''), To: Text.default('') });
const Base = WebhookParams;
export const InboundParams = Base.extend({ DialCallStatus: Text.optional() });
export const InboundQuery = z.object({ stage: z.enum(['new', 'after-handsets', 'after-other-carrier']).default('new') });
export const DirectoryParams = Base.extend({ Digits: Text.optional() });
export const DirectoryQuery = z.object({ attempt: z.coerce.number().int().min(0).max(10).default(0) });
export const RecordedParams = Base.extend({
  RecordingUrl: Text.optional(),
  RecordingSid: Text.optional(),
  RecordingDuration: z.coerce.number().int().min(-1).default(0),
});
export const StatusParams = Base.extend({
  CallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'expected a Twilio call SID').meta({ examples: ['CA' + '0'.repeat(32)] }),
  CallStatus: z.string().min(1).max(32),
  CallDuration: z.coerce.number().int().min(0).optional(),
});

/** Validly signed, but by a member that does not hold what the callback is about. */
class ForeignCallback extends Error {}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' = 'body'): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationProblem(r.error, where);
  return r.data;
}

function sendTwiml(res: Response, xml: string): void {
  res.status(200).type('text/xml').send(xml);
}

/** Twilio's voice webhooks: each handler loads the view, asks a pure decision, and renders it as TwiML. */
export function createTwilioWebhookRouter(deps: TwilioWebhookDeps): Router {
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');
  const urls: RenderUrls = { publicUrl, toneUrl: deps.toneUrl ?? `${publicUrl}${TONE_PATH}`, whisperUrl: `${publicUrl}${WHISPER_PATH}` };
  const tonePolicy = deps.tonePolicy ?? DEFAULT_TONE_POLICY;
  const tone = identificationToneWav(deps.tone);
  const toneEtag = `"${createHash('sha256').update(tone).digest('base64url').slice(0, 27)}"`;
  const { store } = deps;

  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const signed = [form, verifyTwilioSignature({ publicUrl, authTokenForAccount: deps.authTokenForAccount, logger: deps.logger })];

  /** Refuses (403, nothing written) a callback about something the signing member does not hold. */
  async function requireTenancy(accountSid: string, subject: CallbackSubject): Promise<{ carrierId: string; apiBaseUrl: string | null }> {
    const account = await deps.carrierForAccount(accountSid);
    const decision = decideCallbackTenancy(account?.carrierId ?? null, subject);
    if (!decision.ok || !account) throw new ForeignCallback(decision.ok ? 'the signing account is no member carrier' : decision.reason);
    return account;
  }

  router.get(TONE_PATH, (req: Request, res: Response) => {
    res.set({ 'Cache-Control': `public, max-age=${TONE_MAX_AGE_SECONDS}`, ETag: toneEtag, 'Content-Type': 'audio/wav' });
    if (req.get('If-None-Match') === toneEtag) {
      res.status(304).end();
      return;
    }
    res.status(200).end(tone);
  });

  /** The member behind the signing account; a callback from an account no member holds is refused. */
  async function memberOf(accountSid: string): Promise<string> {
    const account = await deps.carrierForAccount(accountSid);
    if (!account) throw new ForeignCallback('the signing account is no member carrier');
    return account.carrierId;
  }
  const routing = () => ({ store, now: deps.now(), tonePolicy, ...(deps.handsetRingSeconds ? { handsetRingSeconds: deps.handsetRingSeconds } : {}), ...(deps.abuseLimits ? { abuseLimits: deps.abuseLimits } : {}) });

  router.post('/twilio/voice/inbound', ...signed, async (req: Request, res: Response) => {
    const p = parse(InboundParams, req.body);
    const { stage } = parse(InboundQuery, req.query, 'query');
    const routed = await routeInboundCall(routing(), await memberOf(p.AccountSid), { callSid: p.CallSid ?? null, from: p.From, to: p.To, stage, dialStatus: p.DialCallStatus ?? null });
    if (!routed.ok) throw new ForeignCallback(routed.reason);
    deps.logger?.info({ to: p.To, stage, step: routed.decision.step }, 'inbound call routed');
    sendTwiml(res, renderInbound(routed.decision, urls));
  });

  router.post('/twilio/voice/outbound', ...signed, async (req: Request, res: Response) => {
    const p = parse(Base, req.body);
    const routed = await routeOutboundCall(routing(), await memberOf(p.AccountSid), { callSid: p.CallSid ?? null, from: p.From, to: p.To });
    if (!routed.ok) throw new ForeignCallback(routed.reason);
    const decision = routed.decision;
    deps.logger?.info({ from: p.From, step: decision.step, ...(decision.step === 'refuse' ? { reason: decision.reason } : {}), ...(decision.step === 'special' || decision.step === 'special-guidance' ? { service: decision.service } : {}) }, 'handset call routed');
    sendTwiml(res, renderOutbound(decision, urls));
  });

  router.post(WHISPER_PATH, ...signed, async (req: Request, res: Response) => {
    // The called party's leg of one of our members' outbound calls: only a member's account gets the TwiML.
    const p = parse(Base, req.body);
    if (!(await deps.carrierForAccount(p.AccountSid))) throw new ForeignCallback('the signing account is no member carrier');
    sendTwiml(res, renderWhisper(urls));
  });

  router.post('/twilio/voice/directory', ...signed, async (req: Request, res: Response) => {
    const p = parse(DirectoryParams, req.body);
    const { attempt } = parse(DirectoryQuery, req.query, 'query');
    const digits = p.Digits ?? null;
    // A shelter handset that dialled the directory code arrives here by <Redirect>, From its SIP address.
    const handset = parseSipUri(p.From);
    const view = await loadNetworkView(store, { calledE164: p.To, ...(handset ? { sipUsername: handset.user, sipDomain: handset.domain } : {}), ...(digits ? { shortCode: digits } : {}) });
    const account = handset
      ? await requireTenancy(p.AccountSid, { kind: 'calling-handset', caller: view.caller })
      : await requireTenancy(p.AccountSid, { kind: 'called-number', called: view.called, unknownAllowed: true });
    // A handset's call was noted when it was routed (outbound); a repeat here leaves that record as it is.
    if (p.CallSid && !handset) await noteRoutedCall(store, { callSid: p.CallSid, carrierId: account.carrierId, direction: 'directory', shelterId: null, handsetId: null, from: p.From, to: p.To }, deps.now());
    sendTwiml(res, renderDirectory(decideDirectory({ from: p.From, to: p.To, digits }, view, attempt), urls));
  });

  router.post('/twilio/voice/recorded', ...signed, async (req: Request, res: Response) => {
    const p = parse(RecordedParams, req.body);
    const view = await loadNetworkView(store, { calledE164: p.To });
    const account = await requireTenancy(p.AccountSid, { kind: 'called-number', called: view.called });
    if (p.RecordingUrl && !recordingUrlAllowed(p.RecordingUrl, account.apiBaseUrl)) throw new ForeignCallback('the recording URL is not on the carrier’s own API host');
    const decision = decideRecorded(
      { from: p.From, to: p.To, recordingUrl: p.RecordingUrl ?? null, recordingSid: p.RecordingSid ?? null, durationSeconds: p.RecordingDuration },
      view,
    );
    if (decision.step === 'store-message') {
      await storeVoiceMessage(
        store,
        {
          shelterId: decision.shelterId,
          from: decision.from || null,
          to: view.called?.e164 ?? null,
          recordingUrl: decision.recordingUrl,
          duration: decision.durationSeconds,
          recordingSid: decision.recordingSid,
        },
        deps.now(),
      );
    }
    sendTwiml(res, renderRecorded(decision));
  });

  router.post('/twilio/status', ...signed, async (req: Request, res: Response) => {
    const p = parse(StatusParams, req.body);
    const recorded = await recordCallEvent(routing(), await memberOf(p.AccountSid), { callSid: p.CallSid, status: p.CallStatus, from: p.From, to: p.To, durationSeconds: p.CallDuration ?? null });
    if (!recorded.ok) throw new ForeignCallback(recorded.reason);
    res.status(204).end();
  });

  router.use('/twilio', (err: unknown, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (res.headersSent) return next(err);
    if (err instanceof ForeignCallback) {
      deps.logger?.warn({ path: _req.path, accountSid: (_req.body as { AccountSid?: unknown } | undefined)?.AccountSid ?? null, reason: err.message }, 'twilio webhook refused: not the signing member’s');
      sendProblem(res, { type: 'https://shelter-line.jp/problems/forbidden', title: 'Forbidden', status: 403, detail: err.message });
      return;
    }
    // The same Problem shape as the API: a bad request lists its fields, our own failure is logged.
    const p = toProblem(err);
    if (p.status >= 500) deps.logger?.error({ err }, 'twilio webhook failed');
    sendProblem(res, p);
  });

  return router;
}
