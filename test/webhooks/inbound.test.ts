import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetwork, type NetworkHarness } from '../support/network-harness.js';
import { names, parseTwiml, type Verb } from '../support/twiml.js';

let net: NetworkHarness;
beforeAll(async () => {
  net = await startNetwork();
});
afterAll(() => net.close());

const CALLER = '+819012345678';

async function call(to: string, from = CALLER) {
  const res = await net.sim.placeCall({ to, from });
  expect(res.status).toBe(200);
  const verbs = parseTwiml(res.twiml);
  // A new call opens with the identification tone (identification-tone.test.ts); the routing follows it.
  const toned = verbs[0]?.name === 'Play' && verbs[0].text === `${net.publicUrl}/twilio/tone.wav`;
  return { callSid: res.callSid, toned, verbs: toned ? verbs.slice(1) : verbs };
}

/** Twilio's Dial action callback after the dialled party did (not) answer. */
async function dialEnded(dial: Verb, accountSid: string, c: { callSid: string; to: string; from?: string }, status: string) {
  const res = await net.sim.sendWebhook({
    accountSid,
    url: dial.attrs.action!,
    params: { CallSid: c.callSid, From: c.from ?? CALLER, To: c.to, CallStatus: 'in-progress', Direction: 'inbound', DialCallStatus: status },
  });
  expect(res.status).toBe(200);
  return parseTwiml(res.body);
}

const says = (verbs: Verb[]) => verbs.filter((v) => v.name === 'Say').map((v) => ({ language: v.attrs.language, text: v.text }));

describe('a call to a shelter number', () => {
  it('rings every handset of the shelter registered on that carrier at once', async () => {
    const { verbs } = await call(net.fx.misogi.a);
    expect(names(verbs)).toEqual(['Dial']);
    const dial = verbs[0]!;
    expect(dial.attrs.action).toBe(`${net.publicUrl}/twilio/voice/inbound?stage=after-handsets`);
    expect(dial.children.map((c) => c.name)).toEqual(['Sip', 'Sip']);
    // Same-account SIP only: carrier A's domain; revoked handsets and pending credentials are left out.
    expect(dial.children.map((c) => c.text).sort()).toEqual([
      `sip:${net.fx.users.both}@${net.fx.domains.a}`,
      `sip:${net.fx.users.onlyA}@${net.fx.domains.a}`,
    ]);
  });

  it('rings the handsets of the carrier the call came in on, not those of the other carrier', async () => {
    const { verbs } = await call(net.fx.misogi.b);
    expect(verbs[0]!.children.map((c) => c.text)).toEqual([`sip:${net.fx.users.both}@${net.fx.domains.b}`]);
  });

  it.each(['no-answer', 'busy', 'failed'])('rings the shelter number on its other carrier when the handsets end with %s', async (status) => {
    const first = await call(net.fx.misogi.a);
    const next = await dialEnded(first.verbs[0]!, net.accounts.a.sid, { callSid: first.callSid, to: net.fx.misogi.a }, status);
    expect(names(next)).toEqual(['Dial']);
    const dial = next[0]!;
    expect(dial.children.map((c) => [c.name, c.text])).toEqual([['Number', net.fx.misogi.b]]);
    // The shelter's phones there see who is calling (Twilio accepts the calling number as callerId).
    expect(dial.attrs.callerId).toBe(CALLER);
    expect(dial.attrs.action).toBe(`${net.publicUrl}/twilio/voice/inbound?stage=after-other-carrier`);
  });

  it('rings the other carrier at once when no handset is registered on the called carrier', async () => {
    const { verbs } = await call(net.fx.ishizaki.a);
    expect(names(verbs)).toEqual(['Dial']);
    expect(verbs[0]!.children.map((c) => [c.name, c.text])).toEqual([['Number', net.fx.ishizaki.b]]);
    expect(verbs[0]!.attrs.callerId).toBe(CALLER);
  });

  it('forwards a withheld caller behind the shelter number called, never as the caller\'s own', async () => {
    const { verbs } = await call(net.fx.ishizaki.a, 'anonymous');
    expect(verbs[0]!.attrs.callerId).toBe(net.fx.ishizaki.a);
  });

  it('knows a forward by the call records when it shows the caller\'s number: the other line rings its handsets, then voicemail, and plays no second tone', async () => {
    const caller = '+819055556666';
    // Carrier A's handsets do not answer: its walk forwards the call to the shelter's B line, showing the caller.
    const first = await call(net.fx.misogi.a, caller);
    const onward = await dialEnded(first.verbs[0]!, net.accounts.a.sid, { callSid: first.callSid, to: net.fx.misogi.a, from: caller }, 'no-answer');
    expect(onward[0]!.attrs.callerId).toBe(caller);
    const forwarded = await call(net.fx.misogi.b, caller);
    expect(forwarded.toned).toBe(false);
    expect(forwarded.verbs[0]!.children.map((c) => c.name)).toEqual(['Sip']);
    const next = await dialEnded(forwarded.verbs[0]!, net.accounts.b.sid, { callSid: forwarded.callSid, to: net.fx.misogi.b, from: caller }, 'no-answer');
    expect(names(next)).toEqual(['Say', 'Say', 'Record', 'Hangup']);
    // The same caller dialling B on their own (A never forwarded a call of theirs) is a new call: tone, and B's walk goes on to A.
    const other = '+819077778888';
    const direct = await call(net.fx.misogi.b, other);
    expect(direct.toned).toBe(true);
    const directNext = await dialEnded(direct.verbs[0]!, net.accounts.b.sid, { callSid: direct.callSid, to: net.fx.misogi.b, from: other }, 'no-answer');
    expect(directNext[0]!.children.map((c) => [c.name, c.text])).toEqual([['Number', net.fx.misogi.a]]);
  });

  it('never forwards a call back to the carrier that forwarded it', async () => {
    // The forwarded leg arrives on carrier B from the shelter's own A number: ring B's handsets, then voicemail.
    const forwarded = await call(net.fx.misogi.b, net.fx.misogi.a);
    expect(names(forwarded.verbs)).toEqual(['Dial']);
    expect(forwarded.verbs[0]!.children.map((c) => c.name)).toEqual(['Sip']);
    const next = await dialEnded(forwarded.verbs[0]!, net.accounts.b.sid, { callSid: forwarded.callSid, to: net.fx.misogi.b, from: net.fx.misogi.a }, 'no-answer');
    expect(names(next)).toEqual(['Say', 'Say', 'Record', 'Hangup']);
    expect(next.some((v) => v.name === 'Dial')).toBe(false);
  });

  it('takes a voice message (Japanese prompt first, then English) when the other carrier does not answer either', async () => {
    const first = await call(net.fx.misogi.a);
    const second = await dialEnded(first.verbs[0]!, net.accounts.a.sid, { callSid: first.callSid, to: net.fx.misogi.a }, 'no-answer');
    const last = await dialEnded(second[0]!, net.accounts.a.sid, { callSid: first.callSid, to: net.fx.misogi.a }, 'no-answer');
    expect(names(last)).toEqual(['Say', 'Say', 'Record', 'Hangup']);
    expect(says(last).map((s) => s.language)).toEqual(['ja-JP', 'en-US']);
    expect(says(last)[0]!.text).toContain('発信音のあとに');
    const record = last[2]!;
    expect(record.attrs.maxLength).toBe('120');
    expect(record.attrs.action).toBe(`${net.publicUrl}/twilio/voice/recorded`);
  });

  it('goes straight to voice messages when the shelter has no handset and no other carrier', async () => {
    const { verbs } = await call(net.fx.tokuda.a);
    expect(names(verbs)).toEqual(['Say', 'Say', 'Record', 'Hangup']);
  });

  it('hangs up once a handset answered and the call ended', async () => {
    const first = await call(net.fx.misogi.a);
    const next = await dialEnded(first.verbs[0]!, net.accounts.a.sid, { callSid: first.callSid, to: net.fx.misogi.a }, 'completed');
    expect(names(next)).toEqual(['Hangup']);
  });

  it('tells callers of a closed shelter number that it is no longer in service, and hangs up', async () => {
    const { verbs } = await call(net.fx.aging);
    expect(names(verbs)).toEqual(['Say', 'Say', 'Hangup']);
    expect(says(verbs)[0]).toEqual({ language: 'ja-JP', text: expect.stringContaining('この避難所の電話は現在使われていません') });
    expect(says(verbs)[1]!.language).toBe('en-US');
  });

  it('plays a short intercept on a suspended number and never rings the shelter', async () => {
    const { verbs } = await call(net.fx.suspended);
    expect(names(verbs)).toEqual(['Say', 'Say', 'Hangup']);
    expect(says(verbs)[0]!.text).toBe('この電話番号は現在ご利用いただけません。');
  });
});
