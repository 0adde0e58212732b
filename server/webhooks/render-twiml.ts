import twilio from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { DIRECTORY_PATH, type DirectoryDecision, type InboundDecision, type OutboundDecision, type RecordedDecision, type Say } from '../../provisioning/network/index.js';

/** Where relative paths of a decision point to, the tone's audio, and the whisper that plays it to a called party. */
export interface RenderUrls {
  /** ORCH_PUBLIC_URL without a trailing slash: every callback URL Twilio is given starts with it. */
  publicUrl: string;
  toneUrl: string;
  /** TwiML Twilio fetches when the called party answers (`<Number url>`): it plays the tone to them. */
  whisperUrl: string;
}

const VOICES = { 'ja-JP': 'Polly.Mizuki', 'en-US': 'Polly.Joanna' } as const;

function say(node: { say(attributes: VoiceResponse.SayAttributes, message: string): unknown }, lines: readonly Say[]): void {
  for (const line of lines) node.say({ language: line.language, voice: VOICES[line.language] }, line.text);
}

const absolute = (urls: RenderUrls, path: string): string => (/^https?:\/\//.test(path) ? path : `${urls.publicUrl}${path}`);

function sayAndHangUp(lines: readonly Say[]): string {
  const r = new twilio.twiml.VoiceResponse();
  say(r, lines);
  r.hangup();
  return r.toString();
}

export function renderInbound(d: InboundDecision, urls: RenderUrls): string {
  const r = new twilio.twiml.VoiceResponse();
  // The caller hears the tone before anything rings, so they know the number is a cloud phone.
  if ('identificationTone' in d && d.identificationTone.caller) r.play(urls.toneUrl);
  switch (d.step) {
    case 'ring-handsets': {
      const dial = r.dial({ action: absolute(urls, d.action), method: 'POST', timeout: d.timeoutSeconds, answerOnBridge: true });
      for (const t of d.targets) dial.sip(t.sipUri);
      break;
    }
    case 'ring-other-carrier':
      r.dial({ action: absolute(urls, d.action), method: 'POST', timeout: d.timeoutSeconds, callerId: d.callerId, answerOnBridge: true }).number(d.dial);
      break;
    case 'voicemail':
      say(r, d.prompts);
      r.record({ action: absolute(urls, d.action), method: 'POST', maxLength: d.maxLengthSeconds, playBeep: true, finishOnKey: '#', trim: 'trim-silence' });
      r.hangup();
      break;
    case 'intercept':
      return sayAndHangUp(d.messages);
    case 'hang-up':
      r.hangup();
      break;
  }
  return r.toString();
}

export function renderOutbound(d: OutboundDecision, urls: RenderUrls): string {
  const r = new twilio.twiml.VoiceResponse();
  switch (d.step) {
    case 'connect': {
      if (d.identificationTone.caller) r.play(urls.toneUrl);
      const dial = r.dial({ callerId: d.callerId, answerOnBridge: true });
      if (d.identificationTone.callee) dial.number({ url: urls.whisperUrl, method: 'POST' }, d.dial);
      else dial.number(d.dial);
      break;
    }
    case 'special': {
      // The same tone as any connected call: a special number is an ordinary call through a cloud phone.
      if (d.identificationTone.caller) r.play(urls.toneUrl);
      const dial = r.dial({ callerId: d.callerId, answerOnBridge: true });
      if (d.identificationTone.callee) dial.number({ url: urls.whisperUrl, method: 'POST' }, d.dial);
      else dial.number(d.dial);
      break;
    }
    case 'emergency':
      r.dial({ callerId: d.callerId }).number(d.dial);
      break;
    case 'directory':
      // The directory runs in this same call: no hotline number and no second leg are needed.
      r.redirect({ method: 'POST' }, absolute(urls, DIRECTORY_PATH));
      break;
    case 'emergency-guidance':
    case 'special-guidance':
    case 'refuse':
      return sayAndHangUp(d.messages);
  }
  return r.toString();
}

export function renderDirectory(d: DirectoryDecision, urls: RenderUrls): string {
  const r = new twilio.twiml.VoiceResponse();
  switch (d.step) {
    case 'ask': {
      const gather = r.gather({
        input: ['dtmf'],
        numDigits: d.numDigits,
        finishOnKey: d.finishOnKey,
        timeout: d.timeoutSeconds,
        action: absolute(urls, d.action),
        method: 'POST',
        actionOnEmptyResult: true,
      });
      say(gather, d.prompts);
      break;
    }
    case 'connect':
      say(r, d.messages);
      // From a shelter handset, the shelter's line is the caller ID (a SIP caller has no number of its own).
      r.dial(d.callerId ? { callerId: d.callerId } : {}).number(d.dial);
      break;
    case 'goodbye':
      return sayAndHangUp(d.messages);
  }
  return r.toString();
}

/** What the called party hears on answer, before the call is bridged: the identification tone. */
export function renderWhisper(urls: RenderUrls): string {
  const r = new twilio.twiml.VoiceResponse();
  r.play(urls.toneUrl);
  return r.toString();
}

export function renderRecorded(d: RecordedDecision): string {
  return sayAndHangUp(d.messages);
}
