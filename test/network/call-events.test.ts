import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';
import { callActivity, callRecordId, loadNetworkView, recordCallStatus, storeVoiceMessage } from '../../provisioning/network/index.js';
import { FIXTURE as fx, seedNetwork } from '../support/network-fixture.js';
import { openTempSqliteStore, removeTempSqliteStore } from '../support/temp-sqlite-store.js';

let store: SqliteStore;
beforeAll(async () => {
  store = openTempSqliteStore();
  await seedNetwork(store, fx);
});
afterAll(async () => {
  await removeTempSqliteStore(store);
});

let n = 0;
const sid = () => `CA${(++n).toString(16).padStart(32, '0')}`;
const inbound = (callSid: string, status: string, durationSeconds: number | null = null) => ({
  callSid, status, from: '+819012345678', to: fx.misogi.a, durationSeconds,
});

describe('call activity per shelter', () => {
  it('counts a day in Japan time: a call at 23:59 JST is yesterday, 00:00 JST is today', async () => {
    const shelterId = fx.misogi.id;
    await recordCallStatus(store, inbound(sid(), 'completed', 120), new Date('2024-01-09T14:59:00Z')); // 23:59 JST
    await recordCallStatus(store, inbound(sid(), 'completed', 59), new Date('2024-01-09T15:00:00Z')); // 00:00 JST next day
    await recordCallStatus(store, inbound(sid(), 'completed', 121), new Date('2024-01-09T15:10:00Z'));
    expect(await callActivity(store, shelterId, new Date('2024-01-09T15:30:00Z'))).toEqual({ activeCalls: 0, callsToday: 2, minutesToday: 4 });
  });

  it('no longer counts a call as active once it is older than any call can last', async () => {
    const shelterId = fx.ishizaki.id;
    const at = new Date('2024-01-10T01:00:00Z');
    await recordCallStatus(store, { ...inbound(sid(), 'in-progress'), to: fx.ishizaki.a }, at);
    expect((await callActivity(store, shelterId, at)).activeCalls).toBe(1);
    expect((await callActivity(store, shelterId, new Date(at.getTime() + 5 * 3600_000))).activeCalls).toBe(0);
  });

  it('keeps an ended call ended when a late ringing callback arrives', async () => {
    const callSid = sid();
    await recordCallStatus(store, inbound(callSid, 'completed', 30), new Date('2024-01-10T02:00:00Z'));
    const late = await recordCallStatus(store, inbound(callSid, 'ringing'), new Date('2024-01-10T02:00:01Z'));
    expect(late).toMatchObject({ status: 'completed', durationSeconds: 30, endedAt: '2024-01-10T02:00:00.000Z', startedAt: '2024-01-10T02:00:00.000Z' });
    expect(await store.get('calls', callRecordId(callSid))).toMatchObject({ status: 'completed' });
  });

  it('refuses a call SID that is not Twilio’s', async () => {
    await expect(recordCallStatus(store, inbound('CA123', 'ringing'), new Date())).rejects.toThrow(/not a Twilio call SID/);
  });
});

describe('voice messages', () => {
  it('are stored once per recording', async () => {
    const msg = { shelterId: fx.misogi.id, from: '+819012345678', to: fx.misogi.a, recordingUrl: 'https://api.twilio.com/r/RE1', duration: 9.6, recordingSid: `RE${'9'.repeat(32)}` };
    const first = await storeVoiceMessage(store, msg, new Date('2024-01-10T03:00:00Z'));
    const again = await storeVoiceMessage(store, msg, new Date('2024-01-10T03:00:05Z'));
    expect(again).toEqual(first);
    expect(first).toMatchObject({ durationSeconds: 10, listened: false, createdAt: '2024-01-10T03:00:00.000Z' });
  });

  it('refuse a message whose number is not E.164', async () => {
    await expect(storeVoiceMessage(store, { shelterId: fx.misogi.id, from: null, to: '0767520959', recordingUrl: 'https://r', duration: 3 }, new Date())).rejects.toThrow(/E\.164/);
  });
});

describe('the network view', () => {
  it('holds only active credentials of active handsets, and finds a caller by SIP user and domain whatever its case', async () => {
    const v = await loadNetworkView(store, { sipUsername: fx.users.both, sipDomain: fx.domains.b.toUpperCase() });
    expect(v.caller).toMatchObject({ handsetId: 'hs-1', carrierId: fx.carriers.b, domain: fx.domains.b });
    expect(v.shelter?.id).toBe(fx.misogi.id);
    expect(v.handsets.map((h) => `${h.handsetId}@${h.carrierId}`).sort()).toEqual(['hs-1@carrier-a', 'hs-1@carrier-b', 'hs-2@carrier-a']);
  });

  it('finds a shelter by short code only while it is open', async () => {
    expect((await loadNetworkView(store, { shortCode: fx.tokuda.shortCode })).shortCodeShelter?.id).toBe(fx.tokuda.id);
    expect((await loadNetworkView(store, { shortCode: '0000' })).shortCodeShelter).toBeNull();
  });
});
