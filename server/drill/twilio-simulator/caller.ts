import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { XMLParser } from 'fast-xml-parser';
import type { AccountState, DomainRecord, NumberRecord } from './state.js';
import { newSid } from './sids.js';

/**
 * Twilio's side of a call: it POSTs form parameters to the configured webhook, signed with
 * `X-Twilio-Signature` (HMAC-SHA1 of the URL plus the sorted parameters, keyed by the account's
 * auth token), and acts on the TwiML it gets back.
 */
export interface CallDirectory {
  account(sid: string): AccountState | undefined;
  findNumber(e164: string, accountSid?: string): { acct: AccountState; number: NumberRecord } | null;
  findDomain(domainName: string): { acct: AccountState; domain: DomainRecord } | null;
}

export interface CallResult {
  /** HTTP status of the webhook that answered; 0 when no webhook was reached. */
  status: number;
  twiml: string;
  callSid: string;
  /** Which URL answered (the VoiceUrl, or the fallback after the VoiceUrl failed). */
  answeredBy?: string;
  /** Why no TwiML was fetched, when that is the case. */
  note?: string;
  /** With `answer`: what the caller heard (`<Play>` before the `<Dial>`) and each dialled party's leg. */
  callerPlayed?: PlayedAudio[];
  calleeLegs?: CalleeLeg[];
}

/** One `<Play>` the simulator carried out: it fetched the audio, as Twilio does. */
export interface PlayedAudio {
  url: string;
  status: number;
  contentType: string;
  bytes: number;
}

/** A `<Dial><Number>` whose party answered: its whisper (`url`) was fetched and what it played. */
export interface CalleeLeg {
  callSid: string;
  to: string;
  callerId: string;
  whisperUrl: string | null;
  whisperStatus: number | null;
  played: PlayedAudio[];
}

export interface WebhookResult {
  status: number;
  body: string;
}

const API_VERSION = '2010-04-01';
/** Twilio gives a webhook 15 s before it counts as failed (error 11200) and tries the fallback. */
const WEBHOOK_TIMEOUT_MS = 15_000;

export async function sendSigned(authToken: string, url: string, method: 'GET' | 'POST', params: Record<string, string>): Promise<WebhookResult> {
  const headers: Record<string, string> = {
    'User-Agent': 'TwilioProxy/1.1',
    'I-Twilio-Idempotency-Token': randomUUID(),
  };
  let target = url;
  let body: string | undefined;
  if (method === 'GET') {
    // A GET webhook carries the parameters in the query, and the signature covers that full URL.
    const u = new URL(url);
    for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
    target = u.toString();
    headers['X-Twilio-Signature'] = twilio.getExpectedTwilioSignature(authToken, target, {});
  } else {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    headers['X-Twilio-Signature'] = twilio.getExpectedTwilioSignature(authToken, url, params);
    body = new URLSearchParams(params).toString();
  }
  try {
    const res = await fetch(target, { method, headers, body, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    return { status: 0, body: `webhook unreachable: ${(e as Error).message}` };
  }
}

function place(digits: string, prefix: 'To' | 'From' | 'Called' | 'Caller'): Record<string, string> {
  const country = parsePhoneNumberFromString(digits)?.country ?? '';
  return { [`${prefix}City`]: '', [`${prefix}Country`]: country, [`${prefix}State`]: '', [`${prefix}Zip`]: '' };
}

interface Target {
  authToken: string;
  voiceUrl: string;
  voiceMethod: 'GET' | 'POST';
  fallbackUrl: string;
  fallbackMethod: 'GET' | 'POST';
}

async function ring(target: Target, params: Record<string, string>): Promise<CallResult> {
  const callSid = params.CallSid!;
  if (target.voiceUrl === '') {
    // Twilio answers an unconfigured number with its own announcement; no webhook is called.
    return { status: 0, twiml: '', callSid, note: 'no VoiceUrl configured: Twilio plays its default message and hangs up' };
  }
  const first = await sendSigned(target.authToken, target.voiceUrl, target.voiceMethod, params);
  if (first.status >= 200 && first.status < 300) return { status: first.status, twiml: first.body, callSid, answeredBy: target.voiceUrl };
  if (target.fallbackUrl === '') return { status: first.status, twiml: first.body, callSid, answeredBy: target.voiceUrl, note: 'VoiceUrl failed (11200) and no fallback is set' };
  const second = await sendSigned(target.authToken, target.fallbackUrl, target.fallbackMethod, {
    ...params,
    ErrorCode: '11200',
    ErrorUrl: target.voiceUrl,
  });
  return { status: second.status, twiml: second.body, callSid, answeredBy: target.fallbackUrl, note: 'VoiceUrl failed (11200): fallback used' };
}

type XmlNode = Record<string, unknown> & { ':@'?: Record<string, string> };
const twimlParser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false, trimValues: true });

interface TwimlVerb {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: TwimlVerb[];
}

function verbs(nodes: XmlNode[]): TwimlVerb[] {
  return nodes.flatMap((node) => {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (!name || name === '#text' || name === '?xml') return [];
    const kids = (node[name] as XmlNode[]) ?? [];
    return [{ name, attrs: node[':@'] ?? {}, text: kids.filter((k) => '#text' in k).map((k) => String(k['#text'])).join(''), children: verbs(kids) }];
  });
}

function responseVerbs(xml: string): TwimlVerb[] {
  try {
    const response = (twimlParser.parse(xml) as XmlNode[]).find((n) => 'Response' in n);
    return response ? verbs(response.Response as XmlNode[]) : [];
  } catch {
    return [];
  }
}

async function play(url: string): Promise<PlayedAudio> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    const body = Buffer.from(await res.arrayBuffer());
    return { url, status: res.status, contentType: res.headers.get('content-type') ?? '', bytes: body.length };
  } catch {
    return { url, status: 0, contentType: '', bytes: 0 };
  }
}

/**
 * Carries out the TwiML as far as the parties hear it: the `<Play>`s before the `<Dial>` (the
 * caller), then every dialled `<Number>` answers and its `url` whisper is fetched (signed, as
 * Twilio does for the child leg) and played to that party before the bridge.
 */
async function answer(acct: AccountState, parentSid: string, twiml: string): Promise<Pick<CallResult, 'callerPlayed' | 'calleeLegs'>> {
  const top = responseVerbs(twiml);
  const dialAt = top.findIndex((v) => v.name === 'Dial');
  const callerPlayed = await Promise.all(top.slice(0, dialAt < 0 ? top.length : dialAt).filter((v) => v.name === 'Play').map((v) => play(v.text)));
  const calleeLegs: CalleeLeg[] = [];
  const dial = dialAt < 0 ? null : top[dialAt]!;
  for (const n of dial?.children.filter((c) => c.name === 'Number') ?? []) {
    const leg: CalleeLeg = { callSid: newSid('CA'), to: n.text, callerId: dial!.attrs.callerId ?? '', whisperUrl: n.attrs.url ?? null, whisperStatus: null, played: [] };
    if (leg.whisperUrl) {
      const method = n.attrs.method === 'GET' ? 'GET' : 'POST';
      const res = await sendSigned(acct.authToken, leg.whisperUrl, method, {
        AccountSid: acct.sid, ApiVersion: API_VERSION, CallSid: leg.callSid, ParentCallSid: parentSid, CallStatus: 'in-progress', Direction: 'outbound-dial', From: leg.callerId, To: leg.to,
      });
      leg.whisperStatus = res.status;
      if (res.status >= 200 && res.status < 300) leg.played = await Promise.all(responseVerbs(res.body).filter((v) => v.name === 'Play').map((v) => play(v.text)));
    }
    calleeLegs.push(leg);
  }
  return { callerPlayed, calleeLegs };
}

async function ringAndMaybeAnswer(acct: AccountState, target: Target, params: Record<string, string>, answerCall: boolean): Promise<CallResult> {
  const result = await ring(target, params);
  if (!answerCall || result.status < 200 || result.status >= 300) return result;
  return { ...result, ...(await answer(acct, result.callSid, result.twiml)) };
}

export async function placeCall(dir: CallDirectory, call: { to: string; from: string; accountSid?: string; answer?: boolean }): Promise<CallResult> {
  const found = dir.findNumber(call.to, call.accountSid);
  if (!found) throw new Error(`no simulated account owns ${call.to}${call.accountSid ? ` in ${call.accountSid}` : ''}`);
  const { acct, number: n } = found;
  const params: Record<string, string> = {
    AccountSid: acct.sid,
    ApiVersion: API_VERSION,
    CallSid: newSid('CA'),
    CallStatus: 'ringing',
    Called: call.to,
    Caller: call.from,
    Direction: 'inbound',
    From: call.from,
    To: call.to,
    ...place(call.to, 'To'),
    ...place(call.to, 'Called'),
    ...place(call.from, 'From'),
    ...place(call.from, 'Caller'),
  };
  return ringAndMaybeAnswer(
    acct,
    { authToken: acct.authToken, voiceUrl: n.voiceUrl, voiceMethod: n.voiceMethod, fallbackUrl: n.voiceFallbackUrl, fallbackMethod: n.voiceFallbackMethod },
    params,
    call.answer === true,
  );
}

export async function placeSipCall(dir: CallDirectory, call: { domain: string; username: string; to: string; answer?: boolean }): Promise<CallResult> {
  const found = dir.findDomain(call.domain.toLowerCase());
  if (!found) throw new Error(`no simulated SIP domain named ${call.domain}`);
  const { acct, domain: d } = found;
  const callSid = newSid('CA');
  // Twilio challenges the INVITE: the caller must be in a list mapped for calls on the domain.
  const allowed = [...d.callsMappings.keys()].some((listSid) =>
    [...(acct.credentialLists.get(listSid)?.credentials.values() ?? [])].some((c) => c.username === call.username),
  );
  if (!allowed) return { status: 0, twiml: '', callSid, note: `SIP 403: ${call.username} is not in a credential list mapped for calls on ${d.domainName}` };
  const from = `sip:${call.username}@${d.domainName}`;
  const to = `sip:${call.to}@${d.domainName}`;
  const params: Record<string, string> = {
    AccountSid: acct.sid,
    ApiVersion: API_VERSION,
    CallSid: callSid,
    CallStatus: 'ringing',
    Called: to,
    Caller: from,
    Direction: 'inbound',
    From: from,
    To: to,
    SipCallId: `${randomUUID()}@127.0.0.1`,
    SipDomain: d.domainName,
    SipDomainSid: d.sid,
    SipSourceIp: '127.0.0.1',
  };
  return ringAndMaybeAnswer(
    acct,
    { authToken: acct.authToken, voiceUrl: d.voiceUrl, voiceMethod: d.voiceMethod, fallbackUrl: d.voiceFallbackUrl, fallbackMethod: d.voiceFallbackMethod },
    params,
    call.answer === true,
  );
}

/** A follow-up request (Dial action, Record callback, status callback); AccountSid and ApiVersion are added as Twilio does. */
export async function sendWebhook(
  dir: CallDirectory,
  hook: { accountSid: string; url: string; params: Record<string, string>; method?: 'GET' | 'POST' },
): Promise<WebhookResult> {
  const acct = dir.account(hook.accountSid);
  if (!acct) throw new Error(`no simulated account ${hook.accountSid}`);
  return sendSigned(acct.authToken, hook.url, hook.method ?? 'POST', { AccountSid: acct.sid, ApiVersion: API_VERSION, ...hook.params });
}
