import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetwork, type NetworkHarness } from '../support/network-harness.js';
import { names, parseTwiml, type Verb } from '../support/twiml.js';
import type { CallRecord } from '../../provisioning/model/index.js';
import { checkOutboundAllowance, DEFAULT_ABUSE_LIMITS, outboundUsage } from '../../provisioning/compliance/abuse-limits.js';

let net: NetworkHarness;
beforeAll(async () => {
  net = await startNetwork();
});
afterAll(() => net.close());

async function dial(username: string, to: string): Promise<Verb[]> {
  const res = await net.sim.placeSipCall({ domain: net.fx.domains.a, username, to });
  expect(res.status, res.note).toBe(200);
  return parseTwiml(res.twiml);
}

function call(n: number, over: Partial<CallRecord>): CallRecord {
  const at = net.clock.now();
  return {
    id: `call_abuse_${n}`, version: 0, callSid: `CA${String(n).padStart(32, '0')}`, carrierId: net.fx.carriers.a, shelterId: net.fx.misogi.id, handsetId: 'hs-1',
    direction: 'outbound', from: `sip:${net.fx.users.both}@x`, to: '+81312345678', callerId: null, status: 'in-progress', durationSeconds: 0,
    startedAt: new Date(at.getTime() - 60_000).toISOString(), endedAt: null, ...over,
  };
}

describe('outbound abuse limits', () => {
  it('counts active calls, calls in the last hour and minutes today per handset and shelter', async () => {
    await net.store.putMany('calls', [
      call(1, {}),
      call(2, { status: 'completed', durationSeconds: 125, endedAt: net.clock.now().toISOString() }),
      call(3, { handsetId: 'hs-2', startedAt: new Date(net.clock.now().getTime() - 2 * 3600_000).toISOString(), status: 'completed', durationSeconds: 60 }),
      call(4, { direction: 'inbound', handsetId: null }),
    ]);
    const usage = await outboundUsage(net.store, { carrierId: net.fx.carriers.a, maxCallMs: 4 * 3600_000 }, net.fx.misogi.id, 'hs-1', net.clock.now());
    expect(usage).toEqual({ handset: { active: 1, lastHour: 2 }, shelter: { active: 1, lastHour: 2, minutesToday: 4 } });
    expect(checkOutboundAllowance(usage)).toEqual({ ok: true });
    expect(checkOutboundAllowance({ ...usage, handset: { active: 2, lastHour: 2 } })).toMatchObject({ ok: false, limit: 'handset-concurrent' });
    expect(checkOutboundAllowance({ ...usage, shelter: { ...usage.shelter, minutesToday: DEFAULT_ABUSE_LIMITS.perShelter.minutesPerDay } })).toMatchObject({ ok: false, limit: 'shelter-minutes-per-day' });
  });

  it('refuses a handset over its concurrent-call limit with a spoken reason and an alert, but never an emergency call', async () => {
    await net.store.put('calls', call(5, {}));
    const refused = await dial(net.fx.users.both, '0312345678');
    expect(names(refused)).toEqual(['Say', 'Say', 'Hangup']);
    expect(refused[0]!.attrs.language).toBe('ja-JP');
    expect(refused[0]!.text).toContain('上限');
    const alerts = (await net.store.query('alerts')).items;
    expect(alerts.some((a) => a.kind === 'abuse_handset-concurrent' && a.shelterId === net.fx.misogi.id)).toBe(true);
    expect(alerts.find((a) => a.kind === 'abuse_handset-concurrent')?.text).toEqual({ code: 'alert.abuse_limit', params: { shelter: net.fx.misogi.id, limit: 'handset-concurrent' } });

    const emergency = await dial(net.fx.users.both, '119');
    expect(names(emergency)).toContain('Dial');
    expect(emergency.find((v) => v.name === 'Dial')!.children.map((c) => c.text)).toEqual(['119']);

    // Another handset of the same shelter is under its own limit and still calls out.
    const other = await dial(net.fx.users.onlyA, '0312345678');
    expect(names(other)).toEqual(['Play', 'Dial']);
  });
});
