import { createHash } from 'node:crypto';
import type { Router } from 'express';
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
import { sendProblem } from '../http/problem.js';
import { answerProblem, mountSurface, surfaceRoute, type Surface } from '../http/surface.js';
import { interceptRoutes } from './intercept-routes.js';
import { DirectoryParams, DirectoryQuery, FORM, InboundParams, InboundQuery, RecordedParams, SIGNATURE, StatusParams, WebhookParams, signed, twiml } from './twilio-webhook-schemas.js';

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

/** Validly signed, but by a member that does not hold what the callback is about. */
class ForeignCallback extends Error {}

const TWIML_XML = 'text/xml';
const answerTwiml = (xml: string) => ({ status: 200, contentType: TWIML_XML, body: xml });

/** What the webhooks share, made once from their deps: the URLs calls are given, the tone, the member behind an account. */
function webhookContext(deps: TwilioWebhookDeps) {
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');
  const urls: RenderUrls = { publicUrl, toneUrl: deps.toneUrl ?? `${publicUrl}${TONE_PATH}`, whisperUrl: `${publicUrl}${WHISPER_PATH}` };
  const tonePolicy = deps.tonePolicy ?? DEFAULT_TONE_POLICY;
  const tone = identificationToneWav(deps.tone);
  const toneEtag = `"${createHash('sha256').update(tone).digest('base64url').slice(0, 27)}"`;
  const { store } = deps;
  return {
    deps, store, publicUrl, urls, tone, toneEtag,
    /** Refuses (403, nothing written) a callback about something the signing member does not hold. */
    async requireTenancy(accountSid: string, subject: CallbackSubject): Promise<{ carrierId: string; apiBaseUrl: string | null }> {
      const account = await deps.carrierForAccount(accountSid);
      const decision = decideCallbackTenancy(account?.carrierId ?? null, subject);
      if (!decision.ok || !account) throw new ForeignCallback(decision.ok ? 'the signing account is no member carrier' : decision.reason);
      return account;
    },
    /** The member behind the signing account; a callback from an account no member holds is refused. */
    async memberOf(accountSid: string): Promise<string> {
      const account = await deps.carrierForAccount(accountSid);
      if (!account) throw new ForeignCallback('the signing account is no member carrier');
      return account.carrierId;
    },
    routing: () => ({ store, now: deps.now(), tonePolicy, ...(deps.handsetRingSeconds ? { handsetRingSeconds: deps.handsetRingSeconds } : {}), ...(deps.abuseLimits ? { abuseLimits: deps.abuseLimits } : {}) }),
  };
}
type WebhookContext = ReturnType<typeof webhookContext>;
const route = surfaceRoute<WebhookContext>();

/** Twilio's voice webhooks: each handler loads the view, asks a pure decision, and renders it as TwiML. */
export const twilioWebhookRoutes = [
  route({
    method: 'post', path: '/twilio/voice/inbound', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'A call to a shelter number: ring its handsets on that carrier, then its number on the other carrier, then take a voice message (stage walks these steps)',
    query: InboundQuery, form: InboundParams, bodyDescription: FORM, responses: twiml('what to do with the call'),
    handler: async ({ body: p, query: { stage }, deps: w }) => {
      const routed = await routeInboundCall(w.routing(), await w.memberOf(p.AccountSid), { callSid: p.CallSid ?? null, from: p.From, to: p.To, stage, dialStatus: p.DialCallStatus ?? null });
      if (!routed.ok) throw new ForeignCallback(routed.reason);
      w.deps.logger?.info({ to: p.To, stage, step: routed.decision.step }, 'inbound call routed');
      return answerTwiml(renderInbound(routed.decision, w.urls));
    },
  }),
  route({
    method: 'post', path: '/twilio/voice/outbound', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'A call from a shelter handset (From and To are SIP URIs): short codes, domestic numbers with the shelter\'s caller ID, refusals and emergency guidance',
    form: WebhookParams, bodyDescription: FORM, responses: twiml('the dial, or a spoken refusal'),
    handler: async ({ body: p, deps: w }) => {
      const routed = await routeOutboundCall(w.routing(), await w.memberOf(p.AccountSid), { callSid: p.CallSid ?? null, from: p.From, to: p.To });
      if (!routed.ok) throw new ForeignCallback(routed.reason);
      const decision = routed.decision;
      w.deps.logger?.info({ from: p.From, step: decision.step, ...(decision.step === 'refuse' ? { reason: decision.reason } : {}), ...(decision.step === 'special' || decision.step === 'special-guidance' ? { service: decision.service } : {}) }, 'handset call routed');
      return answerTwiml(renderOutbound(decision, w.urls));
    },
  }),
  route({
    method: 'post', path: WHISPER_PATH, access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'The called party answered one of our outbound calls (`<Dial><Number url>`): the identification tone is played to them before the call is bridged',
    form: WebhookParams, bodyDescription: FORM, responses: twiml('<Play> of the identification tone'),
    handler: async ({ body: p, deps: w }) => {
      // The called party's leg of one of our members' outbound calls: only a member's account gets the TwiML.
      if (!(await w.deps.carrierForAccount(p.AccountSid))) throw new ForeignCallback('the signing account is no member carrier');
      return answerTwiml(renderWhisper(w.urls));
    },
  }),
  route({
    method: 'post', path: '/twilio/voice/directory', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'The directory hotline: the caller keys a shelter\'s short code (Digits) or hears the nearest shelters',
    query: DirectoryQuery, form: DirectoryParams, bodyDescription: FORM, responses: twiml('a prompt, or the dial to the shelter'),
    handler: async ({ body: p, query: { attempt }, deps: w }) => {
      const digits = p.Digits ?? null;
      // A shelter handset that dialled the directory code arrives here by <Redirect>, From its SIP address.
      const handset = parseSipUri(p.From);
      const view = await loadNetworkView(w.store, { calledE164: p.To, ...(handset ? { sipUsername: handset.user, sipDomain: handset.domain } : {}), ...(digits ? { shortCode: digits } : {}) });
      const account = handset
        ? await w.requireTenancy(p.AccountSid, { kind: 'calling-handset', caller: view.caller })
        : await w.requireTenancy(p.AccountSid, { kind: 'called-number', called: view.called, unknownAllowed: true });
      // A handset's call was noted when it was routed (outbound); a repeat here leaves that record as it is.
      if (p.CallSid && !handset) await noteRoutedCall(w.store, { callSid: p.CallSid, carrierId: account.carrierId, direction: 'directory', shelterId: null, handsetId: null, from: p.From, to: p.To }, w.deps.now());
      return answerTwiml(renderDirectory(decideDirectory({ from: p.From, to: p.To, digits }, view, attempt), w.urls));
    },
  }),
  route({
    method: 'post', path: '/twilio/voice/recorded', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'A voice message was recorded for a shelter; it is stored for the board',
    form: RecordedParams, bodyDescription: FORM, responses: twiml('thanks, and hang up'),
    handler: async ({ body: p, deps: w }) => {
      const view = await loadNetworkView(w.store, { calledE164: p.To });
      const account = await w.requireTenancy(p.AccountSid, { kind: 'called-number', called: view.called });
      if (p.RecordingUrl && !recordingUrlAllowed(p.RecordingUrl, account.apiBaseUrl)) throw new ForeignCallback('the recording URL is not on the carrier’s own API host');
      const decision = decideRecorded(
        { from: p.From, to: p.To, recordingUrl: p.RecordingUrl ?? null, recordingSid: p.RecordingSid ?? null, durationSeconds: p.RecordingDuration },
        view,
      );
      if (decision.step === 'store-message') {
        await storeVoiceMessage(
          w.store,
          {
            shelterId: decision.shelterId,
            from: decision.from || null,
            to: view.called?.e164 ?? null,
            recordingUrl: decision.recordingUrl,
            duration: decision.durationSeconds,
            recordingSid: decision.recordingSid,
          },
          w.deps.now(),
        );
      }
      return answerTwiml(renderRecorded(decision));
    },
  }),
  ...interceptRoutes,
  route({
    method: 'post', path: '/twilio/status', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'A call status callback: the call record on the board is updated',
    form: StatusParams, bodyDescription: FORM, responses: { 204: { description: 'recorded' } },
    handler: async ({ body: p, deps: w }) => {
      const recorded = await recordCallEvent(w.routing(), await w.memberOf(p.AccountSid), { callSid: p.CallSid, status: p.CallStatus, from: p.From, to: p.To, durationSeconds: p.CallDuration ?? null });
      if (!recorded.ok) throw new ForeignCallback(recorded.reason);
      return { status: 204 };
    },
  }),
  route({
    method: 'get', path: TONE_PATH, access: { kind: 'public' }, tags: ['twilio webhooks'],
    summary: 'The identification tone (識別音) calls play, as WAV; cacheable (ETag, If-None-Match)',
    responses: { 200: { description: 'the tone', schema: z.string().describe('audio/wav bytes').meta({ examples: ['RIFF…'] }), contentType: 'audio/wav' }, 304: { description: 'not modified' } },
    handler: async ({ req, res, deps: w }) => {
      res.set({ 'Cache-Control': `public, max-age=${TONE_MAX_AGE_SECONDS}`, ETag: w.toneEtag, 'Content-Type': 'audio/wav' });
      if (req.get('If-None-Match') === w.toneEtag) {
        res.status(304).end();
        return;
      }
      res.status(200).end(w.tone);
    },
  }),
];

export const twilioWebhooks: Surface<TwilioWebhookDeps, WebhookContext> = {
  routes: twilioWebhookRoutes,
  context: webhookContext,
  guards: (w) => ({ twilioSignature: verifyTwilioSignature({ publicUrl: w.publicUrl, authTokenForAccount: w.deps.authTokenForAccount, logger: w.deps.logger }) }),
  bodyLimit: '64kb',
  errors: {
    under: '/twilio',
    answer(err, req, res, w) {
      if (err instanceof ForeignCallback) {
        w.deps.logger?.warn({ path: req.path, accountSid: (req.body as { AccountSid?: unknown } | undefined)?.AccountSid ?? null, reason: err.message }, 'twilio webhook refused: not the signing member’s');
        sendProblem(res, { type: 'https://shelter-line.jp/problems/forbidden', title: 'Forbidden', status: 403, detail: err.message });
        return;
      }
      // The same Problem shape as the API: a bad request lists its fields, our own failure is logged.
      answerProblem(err, res, (e) => w.deps.logger?.error({ err: e }, 'twilio webhook failed'));
    },
  },
};

/** The webhooks (and the tone they play) as one router: what a server, or a test with only these, mounts. */
export const createTwilioWebhookRouter = (deps: TwilioWebhookDeps): Router => mountSurface(twilioWebhooks, deps);
