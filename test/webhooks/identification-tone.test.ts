import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetwork, type NetworkHarness } from '../support/network-harness.js';
import { names, parseTwiml } from '../support/twiml.js';

/** The 識別音 is heard by both parties of a call through the network, and never delays an emergency call. */
describe('the identification tone (識別音)', () => {
  let net: NetworkHarness;
  beforeAll(async () => {
    net = await startNetwork();
  });
  afterAll(() => net.close());

  const tone = () => `${net.publicUrl}/twilio/tone.wav`;
  const whisper = () => `${net.publicUrl}/twilio/voice/whisper`;

  it('outbound domestic: the handset hears it first, and the called party hears it on answer (whisper)', async () => {
    const res = await net.sim.placeSipCall({ domain: net.fx.domains.a, username: net.fx.users.both, to: '0312345678' });
    const verbs = parseTwiml(res.twiml);
    expect(names(verbs)).toEqual(['Play', 'Dial']);
    expect(verbs[0]!.text).toBe(tone());
    const number = verbs[1]!.children[0]!;
    expect(number).toMatchObject({ name: 'Number', text: '+81312345678', attrs: { url: whisper(), method: 'POST' } });
  });

  it('inbound: the caller hears it before the shelter’s handsets ring', async () => {
    const res = await net.sim.placeCall({ to: net.fx.misogi.a, from: '+819012345678' });
    const verbs = parseTwiml(res.twiml);
    expect(names(verbs)).toEqual(['Play', 'Dial']);
    expect(verbs[0]!.text).toBe(tone());
    expect(verbs[1]!.children.map((c) => c.name)).toEqual(['Sip', 'Sip']);
  });

  it('inbound to a shelter with no handset on that carrier: the tone, then its other carrier', async () => {
    const verbs = parseTwiml((await net.sim.placeCall({ to: net.fx.ishizaki.a, from: '+819012345678' })).twiml);
    expect(names(verbs)).toEqual(['Play', 'Dial']);
    expect(verbs[1]!.children.map((c) => c.text)).toEqual([net.fx.ishizaki.b]);
  });

  it('is not played again on a later step of the same call, nor on a call our other carrier forwarded', async () => {
    const first = await net.sim.placeCall({ to: net.fx.misogi.a, from: '+819012345678' });
    const action = parseTwiml(first.twiml)[1]!.attrs.action!;
    const next = await net.sim.sendWebhook({ accountSid: net.accounts.a.sid, url: action, params: { CallSid: first.callSid, From: '+819012345678', To: net.fx.misogi.a, DialCallStatus: 'no-answer' } });
    expect(names(parseTwiml(next.body))).toEqual(['Dial']);
    // Forwarded by carrier A with the shelter's own number as caller ID: the caller heard it there.
    const forwarded = await net.sim.placeCall({ to: net.fx.misogi.b, from: net.fx.misogi.a });
    expect(names(parseTwiml(forwarded.twiml))).toEqual(['Dial']);
  });

  it.each(['110', '118', '119'])('emergency %s: no tone, no whisper, no delay', async (service) => {
    const verbs = parseTwiml((await net.sim.placeSipCall({ domain: net.fx.domains.a, username: net.fx.users.both, to: service })).twiml);
    expect(names(verbs)).toEqual(['Dial']);
    expect(verbs[0]!.children).toEqual([expect.objectContaining({ name: 'Number', text: service, attrs: {} })]);
    expect(JSON.stringify(verbs)).not.toContain('tone.wav');
  });

  it('on the simulator the callee leg fetched the whisper and played the tone (a WAV) before the bridge', async () => {
    const before = net.sim.calleeLegs().length;
    const res = await net.sim.placeSipCall({ domain: net.fx.domains.a, username: net.fx.users.both, to: '09012345678', answer: true });
    expect(res.callerPlayed).toEqual([{ url: tone(), status: 200, contentType: 'audio/wav', bytes: expect.any(Number) }]);
    expect(res.calleeLegs).toHaveLength(1);
    const leg = res.calleeLegs![0]!;
    expect(leg).toMatchObject({ to: '+819012345678', callerId: net.fx.misogi.a, whisperUrl: whisper(), whisperStatus: 200 });
    expect(leg.played).toEqual([{ url: tone(), status: 200, contentType: 'audio/wav', bytes: expect.any(Number) }]);
    expect(leg.played[0]!.bytes).toBeGreaterThan(44);
    expect(net.sim.calleeLegs().slice(before)).toEqual([leg]);
  });

  it('an emergency call on the simulator: the callee leg plays nothing', async () => {
    const res = await net.sim.placeSipCall({ domain: net.fx.domains.a, username: net.fx.users.both, to: '119', answer: true });
    expect(res.callerPlayed).toEqual([]);
    expect(res.calleeLegs).toEqual([expect.objectContaining({ to: '119', whisperUrl: null, played: [] })]);
  });

  it('refuses the whisper to a caller without a valid Twilio signature', async () => {
    const res = await fetch(whisper(), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `AccountSid=${net.accounts.a.sid}` });
    expect(res.status).toBe(403);
  });
});

describe('the identification tone, configured', () => {
  let net: NetworkHarness;
  beforeAll(async () => {
    net = await startNetwork({ tonePolicy: { outbound: true, inbound: false }, toneUrl: 'https://audio.example.jp/jusa-standard-tone.wav' });
  });
  afterAll(() => net.close());

  it('plays the operator’s own audio file (e.g. the official JUSA one) to both outbound parties', async () => {
    const verbs = parseTwiml((await net.sim.placeSipCall({ domain: net.fx.domains.a, username: net.fx.users.both, to: '0312345678' })).twiml);
    expect(verbs[0]!.text).toBe('https://audio.example.jp/jusa-standard-tone.wav');
    const whisper = await net.sim.sendWebhook({ accountSid: net.accounts.a.sid, url: verbs[1]!.children[0]!.attrs.url!, params: { CallSid: 'CA' + '1'.repeat(32), From: net.fx.misogi.a, To: '+81312345678' } });
    expect(parseTwiml(whisper.body)).toEqual([expect.objectContaining({ name: 'Play', text: 'https://audio.example.jp/jusa-standard-tone.wav' })]);
  });

  it('leaves inbound calls without the tone when the operator switched that direction off', async () => {
    expect(names(parseTwiml((await net.sim.placeCall({ to: net.fx.misogi.a, from: '+819012345678' })).twiml))).toEqual(['Dial']);
  });
});
