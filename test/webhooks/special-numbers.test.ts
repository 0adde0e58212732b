import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetwork, type NetworkHarness } from '../support/network-harness.js';
import { names, parseTwiml, type Verb } from '../support/twiml.js';
import { Carrier, type SpecialNumber } from '../../provisioning/model/index.js';
import { callRecordId } from '../../provisioning/network/index.js';
import { putTranslation, setNaviDialRefusedPrefixes } from '../../provisioning/network/dial-plan-table.js';
import { DEFAULT_NAVI_DIAL_MINUTES_PER_HANDSET_PER_DAY } from '../../provisioning/compliance/abuse-limits.js';

let net: NetworkHarness;
beforeAll(async () => {
  net = await startNetwork();
});
afterAll(() => net.close());

const ADMIN = { id: 'admin', role: 'admin', label: 'test' } as const;
const GENERIC = ['この種類の番号にはおかけになれません', '番号は正しくありません'];

async function declare(carrierId: string, specialNumbers: SpecialNumber[], health: 'up' | 'down' = 'up') {
  const at = net.clock.now().toISOString();
  await net.store.put('carriers', Carrier.parse({
    id: carrierId, name: carrierId, kind: 'twilio', certifications: { etoc: { status: 'certified' } }, capacity: {}, health, specialNumbers, createdAt: at, updatedAt: at,
  }));
}

/** A handset dials `to` (as its phone puts it in the SIP URI) through its carrier's SIP domain. */
async function dial(username: string, carrier: 'a' | 'b', to: string): Promise<{ verbs: Verb[]; callSid: string }> {
  const res = await net.sim.placeSipCall({ domain: net.fx.domains[carrier], username, to });
  expect(res.status, res.note).toBe(200);
  return { verbs: parseTwiml(res.twiml), callSid: res.callSid };
}
const says = (verbs: Verb[]) => verbs.filter((v) => v.name === 'Say').map((v) => ({ language: v.attrs.language, text: v.text }));
const dialled = (verbs: Verb[]) => {
  const d = verbs.find((v) => v.name === 'Dial')!;
  return { callerId: d.attrs.callerId, targets: d.children.map((c) => [c.name, c.text]) };
};

describe('special numbers through the simulator', () => {
  beforeAll(async () => {
    await declare(net.fx.carriers.a, []);
    await declare(net.fx.carriers.b, []);
  });

  it('171 from a shelter whose only carrier cannot reach it plays the 171 guidance, Japanese then English', async () => {
    const { verbs } = await dial(net.fx.users.wakura, 'b', '171');
    expect(names(verbs)).toEqual(['Say', 'Say', 'Hangup']);
    const [ja, en] = says(verbs);
    expect(ja!.language).toBe('ja-JP');
    expect(ja!.text).toContain('災害用伝言ダイヤル');
    expect(ja!.text).toContain('特設公衆電話');
    expect(en).toEqual({ language: 'en-US', text: expect.stringContaining('web171') });
    for (const generic of GENERIC) expect(ja!.text).not.toContain(generic);
  });

  it('171 from a shelter with a line on a carrier declared capable dials 171 out on that line, that line as caller ID', async () => {
    await declare(net.fx.carriers.a, ['171']);
    // The handset calls through carrier B, which cannot reach 171; 御祓中 also has a line on A.
    const { verbs, callSid } = await dial(net.fx.users.both, 'b', '171');
    expect(names(verbs)).toEqual(['Play', 'Dial']);
    expect(dialled(verbs)).toEqual({ callerId: net.fx.misogi.a, targets: [['Number', '171']] });
    expect(await net.store.get('calls', callRecordId(callSid))).toMatchObject({ purpose: 'special', handsetId: 'hs-1' });
    // 和倉 has no line on A: still the guidance.
    expect(names((await dial(net.fx.users.wakura, 'b', '171')).verbs)).toEqual(['Say', 'Say', 'Hangup']);
  });

  it('does not send 171 to a capable carrier that is down', async () => {
    await declare(net.fx.carriers.a, ['171'], 'down');
    const { verbs } = await dial(net.fx.users.both, 'b', '171');
    expect(says(verbs)[0]!.text).toContain('災害用伝言ダイヤル');
    await declare(net.fx.carriers.a, ['171']);
  });

  it.each([
    ['%237119', 'the # escaped as SIP sends it'],
    [encodeURIComponent('＃７１１９'), 'full-width ＃ and digits'],
  ])('#7119 (%s: %s) is translated from the table, else explained', async (to) => {
    const guided = await dial(net.fx.users.wakura, 'b', to);
    expect(says(guided.verbs)[0]!.text).toContain('119番');
    for (const generic of GENERIC) expect(says(guided.verbs)[0]!.text).not.toContain(generic);

    await putTranslation(net.store, { service: '#7119', prefecture: '17', number: '076-222-0000', source: 'test row', sourceDate: '2026-11-30' }, { actor: ADMIN, at: net.clock.now() });
    const translated = await dial(net.fx.users.wakura, 'b', to);
    expect(names(translated.verbs)).toEqual(['Play', 'Dial']);
    expect(dialled(translated.verbs)).toEqual({ callerId: net.fx.wakura.b, targets: [['Number', '+81762220000']] });
    await net.store.delete('specialNumberTranslations', '7119-17');
  });

  it.each(['188', '189', '%238000', '%239110', '%231234'])('%s from a shelter with no capable carrier gets specific guidance, never the generic refusal', async (to) => {
    const { verbs } = await dial(net.fx.users.wakura, 'b', to);
    expect(names(verbs)).toEqual(['Say', 'Say', 'Hangup']);
    for (const s of says(verbs)) for (const generic of GENERIC) expect(s.text).not.toContain(generic);
  });

  it('a full-width short code ３４５６ rings that shelter, as 3456 does', async () => {
    const { verbs } = await dial(net.fx.users.both, 'a', encodeURIComponent('３４５６'));
    expect(dialled(verbs)).toEqual({ callerId: net.fx.misogi.a, targets: [['Number', net.fx.tokuda.a]] });
  });

  it('a full-width １１９ is an emergency call, not an invalid number', async () => {
    const { verbs } = await dial(net.fx.users.both, 'a', encodeURIComponent('１１９'));
    expect(names(verbs)).toEqual(['Dial']);
    expect(dialled(verbs)).toEqual({ callerId: net.fx.misogi.a, targets: [['Number', '119']] });
  });
});

describe('0570 through the simulator', () => {
  async function completed(callSid: string, to: string, seconds: number) {
    const res = await net.sim.sendWebhook({
      accountSid: net.accounts.a.sid, url: `${net.publicUrl}/twilio/status`,
      params: { CallSid: callSid, From: `sip:${net.fx.users.onlyA}@${net.fx.domains.a}`, To: `sip:${to}@${net.fx.domains.a}`, CallStatus: 'completed', CallDuration: String(seconds) },
    });
    expect(res.status).toBe(204);
  }

  it('connects with the shelter number as caller ID, and stops at the handset’s own daily 0570 minutes while other calls go on', async () => {
    const first = await dial(net.fx.users.onlyA, 'a', '0570-064-556');
    expect(names(first.verbs)).toEqual(['Play', 'Dial']);
    expect(dialled(first.verbs)).toEqual({ callerId: net.fx.misogi.a, targets: [['Number', '+81570064556']] });
    expect(await net.store.get('calls', callRecordId(first.callSid))).toMatchObject({ purpose: 'navi-dial', handsetId: 'hs-2' });
    await completed(first.callSid, '0570-064-556', DEFAULT_NAVI_DIAL_MINUTES_PER_HANDSET_PER_DAY * 60);

    const over = await dial(net.fx.users.onlyA, 'a', '0570064556');
    expect(names(over.verbs)).toEqual(['Say', 'Say', 'Hangup']);
    expect(says(over.verbs)[0]!.text).toContain('0570');
    expect(says(over.verbs)[0]!.text).toContain('上限');
    expect(names((await dial(net.fx.users.onlyA, 'a', '0312345678')).verbs)).toEqual(['Play', 'Dial']);
    // Another handset of the shelter has its own 0570 minutes.
    expect(names((await dial(net.fx.users.both, 'a', '0570064556')).verbs)).toEqual(['Play', 'Dial']);
  });

  it('refuses a prefix coordinators refused, saying so', async () => {
    await setNaviDialRefusedPrefixes(net.store, { refusedPrefixes: ['0570-06'] }, { actor: ADMIN, at: net.clock.now() });
    const { verbs } = await dial(net.fx.users.both, 'a', '0570064556');
    expect(says(verbs)[0]!.text).toContain('災害対策本部の設定');
    expect(names((await dial(net.fx.users.both, 'a', '0570100100')).verbs)).toEqual(['Play', 'Dial']);
  });
});
