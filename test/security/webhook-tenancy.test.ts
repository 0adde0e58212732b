import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetwork, type NetworkHarness } from '../support/network-harness.js';
import { names, parseTwiml } from '../support/twiml.js';
import { snapshotStore } from '../support/api-server.js';

/**
 * The audit's attacker holds only member A's own auth token. Every request below is signed
 * validly by A (through the simulator, as Twilio would sign for A) but is about B's number or
 * B's handset: each must be refused 403 and change nothing in the store.
 */
let net: NetworkHarness;
beforeAll(async () => {
  net = await startNetwork();
});
afterAll(() => net.close());

const CALLER = '+819012345678';
const sid = (n: number) => `CA${String(n).padStart(32, 'f')}`;
const url = (path: string) => `${net.publicUrl}${path}`;
const fromA = (path: string, params: Record<string, string>) => net.sim.sendWebhook({ accountSid: net.accounts.a.sid, url: url(path), params });
const fromB = (path: string, params: Record<string, string>) => net.sim.sendWebhook({ accountSid: net.accounts.b.sid, url: url(path), params });

async function unchanged<T>(act: () => Promise<T>): Promise<T> {
  const before = await snapshotStore(net.store, []);
  const result = await act();
  expect(await snapshotStore(net.store, [])).toEqual(before);
  return result;
}

describe('a callback signed by member A about member B (forged but validly signed)', () => {
  it('inbound to B’s number is refused 403 and routes nothing', async () => {
    const res = await unchanged(() => fromA('/twilio/voice/inbound', { CallSid: sid(1), From: CALLER, To: net.fx.wakura.b, Direction: 'inbound' }));
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('<Dial');
  });

  it('a recording on B’s number is refused 403 and no voice message reaches the shelter’s board', async () => {
    const res = await unchanged(() =>
      fromA('/twilio/voice/recorded', { CallSid: sid(2), From: CALLER, To: net.fx.wakura.b, RecordingUrl: 'https://evil.example/r.mp3', RecordingSid: `RE${'9'.repeat(32)}`, RecordingDuration: '12' }),
    );
    expect(res.status).toBe(403);
  });

  it('an outbound call as B’s handset is refused 403', async () => {
    const res = await unchanged(() =>
      fromA('/twilio/voice/outbound', { CallSid: sid(3), From: `sip:${net.fx.users.wakura}@${net.fx.domains.b}`, To: `sip:0312345678@${net.fx.domains.b}` }),
    );
    expect(res.status).toBe(403);
  });

  it('in-progress status callbacks for B’s handset are refused, write nothing, and B’s real call still connects without an abuse alert', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await unchanged(() =>
        fromA('/twilio/status', { CallSid: sid(10 + i), CallStatus: 'in-progress', From: `sip:${net.fx.users.wakura}@${net.fx.domains.b}`, To: `sip:0312345678@${net.fx.domains.b}` }),
      );
      expect(res.status).toBe(403);
    }
    const real = await net.sim.placeSipCall({ domain: net.fx.domains.b, username: net.fx.users.wakura, to: '0312345678' });
    expect(real.status).toBe(200);
    expect(names(parseTwiml(real.twiml))).toEqual(['Play', 'Dial']);
    expect((await net.store.query('alerts')).items.filter((a) => a.kind.startsWith('abuse_'))).toEqual([]);
  });

  it('a status callback from A about a call B routed is refused 403 and leaves B’s call record as it was', async () => {
    const real = await net.sim.placeSipCall({ domain: net.fx.domains.b, username: net.fx.users.wakura, to: '0312345678' });
    expect(real.status).toBe(200);
    const res = await unchanged(() =>
      fromA('/twilio/status', { CallSid: real.callSid, CallStatus: 'in-progress', From: `sip:${net.fx.users.wakura}@${net.fx.domains.b}`, To: `sip:0312345678@${net.fx.domains.b}` }),
    );
    expect(res.status).toBe(403);
    // B itself may report on its own call.
    const own = await fromB('/twilio/status', { CallSid: real.callSid, CallStatus: 'completed', CallDuration: '5', From: `sip:${net.fx.users.wakura}@${net.fx.domains.b}`, To: `sip:0312345678@${net.fx.domains.b}` });
    expect(own.status).toBe(204);
  });

  it('a status callback about a call nobody routed through us is refused, even from the number’s own carrier', async () => {
    const res = await unchanged(() => fromB('/twilio/status', { CallSid: sid(20), CallStatus: 'in-progress', From: CALLER, To: net.fx.wakura.b }));
    expect(res.status).toBe(403);
  });
});

describe('recording URLs', () => {
  it('are accepted only from the carrier’s own API host', async () => {
    const placed = await net.sim.placeCall({ to: net.fx.wakura.b, from: CALLER });
    expect(placed.status).toBe(200);
    const base = { CallSid: placed.callSid, From: CALLER, To: net.fx.wakura.b, RecordingSid: `RE${'8'.repeat(32)}`, RecordingDuration: '9' };
    for (const bad of ['https://evil.example/r.mp3', 'https://api.twilio.com.evil.example/r.mp3', 'javascript:alert(1)', 'http://api.twilio.com/2010-04-01/x']) {
      const res = await unchanged(() => fromB('/twilio/voice/recorded', { ...base, RecordingUrl: bad }));
      expect(res.status, bad).toBe(403);
    }
    const ok = await fromB('/twilio/voice/recorded', { ...base, RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${net.accounts.b.sid}/Recordings/${base.RecordingSid}` });
    expect(ok.status).toBe(200);
    expect((await net.store.query('voiceMessages', { where: { shelterId: net.fx.wakura.id } })).items).toHaveLength(1);
  });
});
