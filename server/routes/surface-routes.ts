import { z } from 'zod';
import { ReportInput, ReportReceipt } from '../../provisioning/model/index.js';
import { REPORT_PATH } from '../reports/report-window-routes.js';
import type { DocumentedRoute } from '../http/openapi.js';
import { DirectoryParams, DirectoryQuery, InboundParams, InboundQuery, RecordedParams, StatusParams, TONE_PATH, WHISPER_PATH, WebhookParams } from '../webhooks/twilio-webhook-routes.js';

/**
 * The surfaces mounted by their own routers (Twilio webhooks, handset files), described for the
 * document and the route-table test; their routers check the same paths (test/api/openapi.test.ts).
 */
const TWIML = z.string().describe('TwiML: an XML <Response> document').meta({ examples: ['<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>'] });
const twiml = (description: string) => ({ 200: { description, schema: TWIML, contentType: 'text/xml' } });
const SIGNATURE = [{ name: 'X-Twilio-Signature', required: true, description: 'Twilio\'s signature of the public URL and the form parameters' }];
const signed = { kind: 'external', mechanism: 'twilio-signature' } as const;
const HTML = z.string().describe('an HTML page (lang="ja")').meta({ examples: ['<!doctype html><html lang="ja">…</html>'] });
const FORM = 'application/x-www-form-urlencoded as Twilio posts it; parameters not listed are accepted and ignored.';

export const surfaceRoutes: DocumentedRoute[] = [
  {
    method: 'post', path: '/twilio/voice/inbound', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'A call to a shelter number: ring its handsets on that carrier, then its number on the other carrier, then take a voice message (stage walks these steps)',
    query: InboundQuery, form: InboundParams, bodyDescription: FORM, responses: twiml('what to do with the call'),
  },
  {
    method: 'post', path: '/twilio/voice/outbound', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'A call from a shelter handset (From and To are SIP URIs): short codes, domestic numbers with the shelter\'s caller ID, refusals and emergency guidance',
    form: WebhookParams, bodyDescription: FORM, responses: twiml('the dial, or a spoken refusal'),
  },
  {
    method: 'post', path: WHISPER_PATH, access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'The called party answered one of our outbound calls (`<Dial><Number url>`): the identification tone is played to them before the call is bridged',
    form: WebhookParams, bodyDescription: FORM, responses: twiml('<Play> of the identification tone'),
  },
  {
    method: 'post', path: '/twilio/voice/directory', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'The directory hotline: the caller keys a shelter\'s short code (Digits) or hears the nearest shelters',
    query: DirectoryQuery, form: DirectoryParams, bodyDescription: FORM, responses: twiml('a prompt, or the dial to the shelter'),
  },
  {
    method: 'post', path: '/twilio/voice/recorded', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'A voice message was recorded for a shelter; it is stored for the board',
    form: RecordedParams, bodyDescription: FORM, responses: twiml('thanks, and hang up'),
  },
  {
    method: 'post', path: '/twilio/voice/intercept', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'Where released (reason=closed) and suspended (reason=suspended) numbers point: a fixed announcement',
    query: z.object({ reason: z.enum(['closed', 'suspended']).optional() }), form: WebhookParams, bodyDescription: FORM, responses: twiml('the announcement, then hang up'),
  },
  {
    method: 'post', path: '/twilio/voice/fallback', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'Twilio\'s voice fallback URL: an apology when the primary webhook failed',
    form: WebhookParams, bodyDescription: FORM, responses: twiml('the apology, then hang up'),
  },
  {
    method: 'post', path: '/twilio/status', access: signed, tags: ['twilio webhooks'], headers: SIGNATURE,
    summary: 'A call status callback: the call record on the board is updated',
    form: StatusParams, bodyDescription: FORM, responses: { 204: { description: 'recorded' } },
  },
  {
    method: 'get', path: TONE_PATH, access: { kind: 'public' }, tags: ['twilio webhooks'],
    summary: 'The identification tone (識別音) calls play, as WAV; cacheable (ETag, If-None-Match)',
    responses: { 200: { description: 'the tone', schema: z.string().describe('audio/wav bytes').meta({ examples: ['RIFF…'] }), contentType: 'audio/wav' }, 304: { description: 'not modified' } },
  },
  {
    method: 'get', path: '/p/:token/:file', access: { kind: 'external', mechanism: 'device-token' }, tags: ['handsets'],
    headers: [{ name: 'User-Agent', required: false, description: 'a desk phone names its MAC here; a User-Agent naming another MAC is refused' }],
    summary: 'A handset\'s provisioning file in its vendor\'s format (Yealink {mac}.cfg, Grandstream cfg{mac}.xml, Polycom {mac}.cfg, softphone JSON); rate-limited per address (60 a minute)',
    params: z.object({ token: z.string().min(1).max(200).meta({ examples: ['0123456789abcdefghijklmnopqrAa7'] }), file: z.string().min(1).max(100).meta({ examples: ['001565aabbcc.cfg'] }) }),
    responses: {
      200: {
        description: 'the file in the vendor\'s format; a softphone also gets its QR code (qr.png, qr.svg)', schema: z.string(), contentType: 'text/plain',
        also: [{ contentType: 'application/xml', schema: z.string() }, { contentType: 'image/png', schema: z.string() }, { contentType: 'image/svg+xml', schema: z.string() }],
      },
      403: { description: 'the User-Agent names another MAC, or the handset is revoked' },
      404: { description: 'unknown token or file' },
      429: { description: 'too many provisioning requests from this address' },
    },
  },
  {
    method: 'get', path: REPORT_PATH, access: { kind: 'public' }, tags: ['reports'],
    summary: 'The public reporting window (申告窓口): a plain HTML form, Japanese first, no sign-in and no JavaScript needed',
    responses: { 200: { description: 'the form', schema: HTML, contentType: 'text/html' } },
  },
  {
    method: 'post', path: REPORT_PATH, access: { kind: 'public' }, tags: ['reports'],
    summary: 'Send a report about a call received from a number: the form (answered with a page) or JSON (answered with a receipt). Rate-limited per address (ORCH_REPORTS_PER_HOUR, default 20 an hour); the same report sent again is counted once',
    body: ReportInput, form: ReportInput,
    bodyDescription: 'calledAt: a local time in Japan (2024-01-09T10:15, as a datetime-local field sends it) or ISO 8601 with an offset; not in the future. number: a Japanese number in any written form.',
    responses: {
      201: { description: 'received; a receipt (JSON) or the thank-you page (form)', schema: ReportReceipt, also: [{ contentType: 'text/html', schema: HTML }] },
      200: { description: 'the same report was received before: counted once', schema: ReportReceipt, also: [{ contentType: 'text/html', schema: HTML }] },
      400: { description: 'a field is missing or wrong (not a Japanese number, a time in the future, too long); the form comes back with each field\'s problem', also: [{ contentType: 'text/html', schema: HTML }] },
      413: { description: 'the body is larger than 1 MB', also: [{ contentType: 'text/html', schema: HTML }] },
      415: { description: 'neither a form nor JSON', also: [{ contentType: 'text/html', schema: HTML }] },
      429: { description: 'too many reports from this address in an hour; the message is in Japanese and Retry-After says when to try again', also: [{ contentType: 'text/html', schema: HTML }] },
    },
  },
];
