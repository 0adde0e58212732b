import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetwork, type NetworkHarness } from '../support/network-harness.js';
import { names, parseTwiml, type Verb } from '../support/twiml.js';

let net: NetworkHarness;
beforeAll(async () => {
  net = await startNetwork();
});
afterAll(() => net.close());

const FAMILY = '+819011112222';
const says = (verbs: Verb[]) => verbs.filter((v) => v.name === 'Say').map((v) => ({ language: v.attrs.language, text: v.text }));

/** The caller keys in `digits` at the Gather, which posts them to its action URL. */
async function key(gather: Verb, callSid: string, digits: string | null): Promise<Verb[]> {
  const res = await net.sim.sendWebhook({
    accountSid: net.accounts.a.sid,
    url: gather.attrs.action!,
    params: { CallSid: callSid, From: FAMILY, To: net.fx.hotline, CallStatus: 'in-progress', Direction: 'inbound', ...(digits === null ? {} : { Digits: digits }) },
  });
  expect(res.status).toBe(200);
  return parseTwiml(res.body);
}

async function callHotline() {
  const res = await net.sim.placeCall({ to: net.fx.hotline, from: FAMILY });
  expect(res.status).toBe(200);
  return { callSid: res.callSid, verbs: parseTwiml(res.twiml) };
}

describe('the directory hotline', () => {
  it('asks for a 4-digit shelter code, in Japanese then English', async () => {
    const { verbs } = await callHotline();
    expect(names(verbs)).toEqual(['Gather']);
    const gather = verbs[0]!;
    expect(gather.attrs.numDigits).toBe('7');
    expect(gather.attrs.finishOnKey).toBe('#');
    expect(gather.attrs.action).toBe(`${net.publicUrl}/twilio/voice/directory?attempt=1`);
    expect(says(gather.children).map((s) => s.language)).toEqual(['ja-JP', 'en-US']);
    expect(says(gather.children)[0]!.text).toContain('4桁');
  });

  it("connects the caller to the shelter whose code was keyed in", async () => {
    const { callSid, verbs } = await callHotline();
    const next = await key(verbs[0]!, callSid, net.fx.misogi.shortCode);
    expect(names(next)).toEqual(['Say', 'Say', 'Dial']);
    // Same carrier as the hotline first: 御祓中's A number.
    expect(next[2]!.children.map((c) => [c.name, c.text])).toEqual([['Number', net.fx.misogi.a]]);
  });

  it('asks again after an unknown code, saying so first', async () => {
    const { callSid, verbs } = await callHotline();
    const again = await key(verbs[0]!, callSid, '9999');
    expect(names(again)).toEqual(['Gather']);
    expect(again[0]!.attrs.action).toBe(`${net.publicUrl}/twilio/voice/directory?attempt=2`);
    const [ja, en] = says(again[0]!.children);
    expect(ja!.language).toBe('ja-JP');
    expect(ja!.text.indexOf('見つかりませんでした')).toBeLessThan(ja!.text.indexOf('4桁'));
    expect(en!.language).toBe('en-US');
  });

  it('says goodbye and hangs up after three wrong or empty attempts', async () => {
    const { callSid, verbs } = await callHotline();
    const second = await key(verbs[0]!, callSid, '9999');
    const third = await key(second[0]!, callSid, null);
    expect(third[0]!.attrs.action).toBe(`${net.publicUrl}/twilio/voice/directory?attempt=3`);
    const end = await key(third[0]!, callSid, '1234');
    expect(names(end)).toEqual(['Say', 'Say', 'Hangup']);
    expect(says(end)[0]!.text).toContain('失礼いたします');
  });

  it('does not connect to a shelter that has closed', async () => {
    const { callSid, verbs } = await callHotline();
    await net.store.put('shelters', { ...net.fx.shelters.find((s) => s.id === net.fx.tokuda.id)!, desiredStatus: 'closed' });
    try {
      const next = await key(verbs[0]!, callSid, net.fx.tokuda.shortCode);
      expect(names(next)).toEqual(['Gather']);
    } finally {
      await net.store.put('shelters', net.fx.shelters.find((s) => s.id === net.fx.tokuda.id)!);
    }
  });
});
