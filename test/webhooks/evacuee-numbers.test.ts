import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetwork, type NetworkHarness } from '../support/network-harness.js';
import { names, parseTwiml } from '../support/twiml.js';

// Issue 18 as it was reported: a provisioned softphone in drill mode dials each number of the
// table through the simulator, and got a generic refusal or "invalid number" for every one.
let net: NetworkHarness;
beforeAll(async () => {
  net = await startNetwork();
});
afterAll(() => net.close());

const GENERIC = ['この種類の番号にはおかけになれません', '番号は正しくありません'];

describe('the numbers evacuees dial, as the issue reported them', () => {
  it.each([
    ['171', '災害用伝言ダイヤル'],
    ['%237119', '救急安心センター'],
    ['%238000', '子ども医療電話相談'],
    ['%239110', '警察相談専用電話'],
    ['188', '消費者ホットライン'],
    ['189', '児童相談所'],
  ])('%s gets its own guidance, not a generic refusal', async (to, service) => {
    const res = await net.sim.placeSipCall({ domain: net.fx.domains.b, username: net.fx.users.wakura, to });
    expect(res.status, res.note).toBe(200);
    const verbs = parseTwiml(res.twiml);
    const ja = verbs.find((v) => v.name === 'Say')!;
    for (const generic of GENERIC) expect(ja.text).not.toContain(generic);
    expect(ja.text).toContain(service);
  });

  it('0570 connects', async () => {
    const res = await net.sim.placeSipCall({ domain: net.fx.domains.a, username: net.fx.users.both, to: '0570064556' });
    expect(names(parseTwiml(res.twiml))).toEqual(['Play', 'Dial']);
  });

  it('a full-width １１９ is an emergency call', async () => {
    const res = await net.sim.placeSipCall({ domain: net.fx.domains.a, username: net.fx.users.both, to: encodeURIComponent('１１９') });
    const verbs = parseTwiml(res.twiml);
    expect(names(verbs)).toEqual(['Dial']);
    expect(verbs[0]!.children.map((c) => c.text)).toEqual(['119']);
  });
});
