import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetwork, type NetworkHarness } from '../support/network-harness.js';
import { names, parseTwiml, type Verb } from '../support/twiml.js';

let net: NetworkHarness;
beforeAll(async () => {
  net = await startNetwork();
});
afterAll(() => net.close());

/** A handset dials `to` through its carrier's SIP domain. */
async function dial(username: string, carrier: 'a' | 'b', to: string): Promise<Verb[]> {
  const res = await net.sim.placeSipCall({ domain: net.fx.domains[carrier], username, to });
  expect(res.status, res.note).toBe(200);
  return parseTwiml(res.twiml);
}

const says = (verbs: Verb[]) => verbs.filter((v) => v.name === 'Say').map((v) => ({ language: v.attrs.language, text: v.text }));
const dialled = (verbs: Verb[]) => {
  const d = verbs.find((v) => v.name === 'Dial')!;
  return { callerId: d.attrs.callerId, targets: d.children.map((c) => [c.name, c.text]) };
};

describe('a call from a shelter handset', () => {
  it('plays the identification tone first, then dials the shelter a short code names', async () => {
    const verbs = await dial(net.fx.users.both, 'a', net.fx.tokuda.shortCode);
    expect(names(verbs)).toEqual(['Play', 'Dial']);
    expect(verbs[0]!.text).toBe(`${net.publicUrl}/twilio/tone.wav`);
    expect(dialled(verbs)).toEqual({ callerId: net.fx.misogi.a, targets: [['Number', net.fx.tokuda.a]] });
  });

  it('refuses a short code no open shelter has, saying why', async () => {
    const verbs = await dial(net.fx.users.both, 'a', '9999');
    expect(names(verbs)).toEqual(['Say', 'Say', 'Hangup']);
    expect(says(verbs)[0]!.text).toContain('避難所は見つかりませんでした');
  });

  it.each([
    ['0767-52-0959', '+81767520959', 'a fixed 0AB-J number'],
    ['0312345678', '+81312345678', 'a Tokyo number'],
    ['09012345678', '+819012345678', 'a mobile'],
    ['05012345678', '+815012345678', 'an 050 IP phone'],
    ['0120123456', '+81120123456', 'toll-free 0120'],
    ['08001234567', '+818001234567', 'toll-free 0800'],
    ['+81312345678', '+81312345678', 'a +81 number'],
  ])('dials %s as %s (%s) with the shelter number of that carrier as caller ID', async (digits, e164) => {
    const verbs = await dial(net.fx.users.both, 'a', digits);
    expect(names(verbs)).toEqual(['Play', 'Dial']);
    expect(dialled(verbs)).toEqual({ callerId: net.fx.misogi.a, targets: [['Number', e164]] });
  });

  it('uses the shelter number on the carrier the handset calls through as caller ID', async () => {
    const verbs = await dial(net.fx.users.both, 'b', '0312345678');
    expect(dialled(verbs).callerId).toBe(net.fx.misogi.b);
  });

  it.each([
    ['01012125551234', '国際電話', 'international via 010'],
    ['+12125551234', '国際電話', 'international in + form'],
    ['001010442071234567', '事業者識別番号', '00XY then international'],
    ['00330312345678', '事業者識別番号', 'carrier prefix 0033'],
    ['00410312345678', '事業者識別番号', 'carrier prefix 0041'],
    ['00880312345678', '事業者識別番号', 'carrier prefix 0088'],
    ['0990123456', '有料情報サービス', 'premium 0990'],
    ['0180123456', '0180', 'information service 0180'],
    ['177', 'この種類の番号', 'a service number'],
    ['0312', '正しくありません', 'an incomplete number'],
  ])('refuses %s with a reason in Japanese then English (%s, %s)', async (digits, reason) => {
    const verbs = await dial(net.fx.users.both, 'a', digits);
    expect(names(verbs)).toEqual(['Say', 'Say', 'Hangup']);
    const [ja, en] = says(verbs);
    expect(ja).toEqual({ language: 'ja-JP', text: expect.stringContaining(reason) });
    expect(en!.language).toBe('en-US');
  });

  it.each(['110', '118', '119'])('connects %s when the line is emergency-capable, with the shelter number as caller ID', async (service) => {
    const verbs = await dial(net.fx.users.both, 'a', service);
    expect(names(verbs)).toEqual(['Dial']);
    expect(dialled(verbs)).toEqual({ callerId: net.fx.misogi.a, targets: [['Number', service]] });
  });

  it.each(['110', '119'])('guides %s callers on a line that cannot make emergency calls to a special public phone or a mobile, Japanese first', async (service) => {
    const verbs = await dial(net.fx.users.wakura, 'b', service);
    expect(names(verbs)).toEqual(['Say', 'Say', 'Hangup']);
    const [ja, en] = says(verbs);
    expect(ja!.language).toBe('ja-JP');
    expect(ja!.text).toContain('特設公衆電話');
    expect(ja!.text).toContain('携帯電話');
    expect(en).toEqual({ language: 'en-US', text: expect.stringContaining('mobile phone') });
  });

  it('refuses a handset that is not active with us, even when the carrier still lets it call', async () => {
    const verbs = await dial(net.fx.users.revoked, 'a', '0312345678');
    expect(names(verbs)).toEqual(['Say', 'Say', 'Hangup']);
    expect(says(verbs)[0]!.text).toContain('登録されていません');
  });

  it('refuses the shelter\'s own short code with a reason, in both forms', async () => {
    for (const digits of [net.fx.misogi.shortCode, `917${net.fx.misogi.shortCode}`]) {
      const verbs = await dial(net.fx.users.both, 'a', digits);
      expect(names(verbs), digits).toEqual(['Say', 'Say', 'Hangup']);
      expect(says(verbs)[0]!.text).toContain('この避難所の番号です');
    }
  });

  it.each(['184110', '184119', '186110'])('connects %s to the emergency centre: the prefix never stands in the way of 110/118/119', async (digits) => {
    const verbs = await dial(net.fx.users.both, 'a', digits);
    expect(names(verbs)).toEqual(['Dial']);
    expect(dialled(verbs)).toEqual({ callerId: net.fx.misogi.a, targets: [['Number', digits.slice(3)]] });
  });

  it('places 186 + a number as the number, and refuses 184 + a number on a Twilio line (it cannot withhold), saying to dial without 184', async () => {
    expect(dialled(await dial(net.fx.users.both, 'a', '1860312345678'))).toEqual({ callerId: net.fx.misogi.a, targets: [['Number', '+81312345678']] });
    const verbs = await dial(net.fx.users.both, 'a', '1840312345678');
    expect(names(verbs)).toEqual(['Say', 'Say', 'Hangup']);
    expect(says(verbs)[0]!.text).toContain('184をつけずに');
  });

  it('takes 9000000 into the directory in the same call; the code keyed there rings that shelter with the shelter line as caller ID', async () => {
    const res = await net.sim.placeSipCall({ domain: net.fx.domains.a, username: net.fx.users.both, to: '9000000' });
    const verbs = parseTwiml(res.twiml);
    expect(names(verbs)).toEqual(['Redirect']);
    expect(verbs[0]!.text).toBe(`${net.publicUrl}/twilio/voice/directory`);
    const from = `sip:${net.fx.users.both}@${net.fx.domains.a}`;
    const to = `sip:9000000@${net.fx.domains.a}`;
    const hook = (url: string, digits?: string) => net.sim.sendWebhook({ accountSid: net.accounts.a.sid, url, params: { CallSid: res.callSid, From: from, To: to, CallStatus: 'in-progress', Direction: 'inbound', ...(digits ? { Digits: digits } : {}) } });
    const asked = parseTwiml((await hook(verbs[0]!.text)).body);
    expect(names(asked)).toEqual(['Gather']);
    // 4 digits reach a shelter of the handset's own prefecture (Ishikawa), as when dialled directly.
    const connected = parseTwiml((await hook(asked[0]!.attrs.action!, net.fx.tokuda.shortCode)).body);
    expect(names(connected)).toEqual(['Say', 'Say', 'Dial']);
    expect(dialled(connected)).toEqual({ callerId: net.fx.misogi.a, targets: [['Number', net.fx.tokuda.a]] });
    // Another member's account may not run the directory for this handset.
    const foreign = await net.sim.sendWebhook({ accountSid: net.accounts.b.sid, url: verbs[0]!.text, params: { CallSid: res.callSid, From: from, To: to } });
    expect(foreign.status).toBe(403);
  });

  it('answers 7119 and 8000 without # as the services (no shelter of the prefecture holds those codes)', async () => {
    for (const [digits, name] of [['7119', '救急安心センター'], ['8000', '子ども医療電話相談']]) {
      const verbs = await dial(net.fx.users.both, 'a', digits!);
      expect(names(verbs), digits).toEqual(['Say', 'Say', 'Hangup']);
      expect(says(verbs)[0]!.text).toContain(name);
    }
  });
});
