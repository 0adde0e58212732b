import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callActivity, callRecordId } from '../../provisioning/network/index.js';
import { startNetwork, type NetworkHarness } from '../support/network-harness.js';
import { names, parseTwiml } from '../support/twiml.js';

let net: NetworkHarness;
beforeAll(async () => {
  net = await startNetwork();
});
afterAll(() => net.close());

const CALLER = '+819012345678';

async function status(accountSid: string, params: Record<string, string>) {
  const res = await net.sim.sendWebhook({ accountSid, url: `${net.publicUrl}/twilio/status`, params });
  expect(res.status).toBe(204);
}

describe('status callbacks', () => {
  it('record an inbound call on its shelter, from ringing to completed, with its duration', async () => {
    const placed = await net.sim.placeCall({ to: net.fx.tokuda.a, from: CALLER });
    const base = { CallSid: placed.callSid, From: CALLER, To: net.fx.tokuda.a, Direction: 'inbound' };
    await status(net.accounts.a.sid, { ...base, CallStatus: 'ringing' });
    net.clock.advance(5_000);
    await status(net.accounts.a.sid, { ...base, CallStatus: 'in-progress' });
    expect(await callActivity(net.store, net.fx.tokuda.id, net.clock.now())).toEqual({ activeCalls: 1, callsToday: 1, minutesToday: 0 });

    net.clock.advance(61_000);
    await status(net.accounts.a.sid, { ...base, CallStatus: 'completed', CallDuration: '61' });
    const record = await net.store.get('calls', callRecordId(placed.callSid));
    expect(record).toMatchObject({ shelterId: net.fx.tokuda.id, direction: 'inbound', status: 'completed', durationSeconds: 61, from: CALLER, to: net.fx.tokuda.a });
    expect(record!.endedAt).toBe(net.clock.now().toISOString());
    expect(await callActivity(net.store, net.fx.tokuda.id, net.clock.now())).toEqual({ activeCalls: 0, callsToday: 1, minutesToday: 2 });
  });

  it('record a handset call on the handset and its shelter', async () => {
    const placed = await net.sim.placeSipCall({ domain: net.fx.domains.b, username: net.fx.users.wakura, to: '0312345678' });
    await status(net.accounts.b.sid, {
      CallSid: placed.callSid,
      From: `sip:${net.fx.users.wakura}@${net.fx.domains.b}`,
      To: `sip:0312345678@${net.fx.domains.b}`,
      CallStatus: 'completed',
      CallDuration: '30',
    });
    expect(await net.store.get('calls', callRecordId(placed.callSid))).toMatchObject({ shelterId: net.fx.wakura.id, handsetId: 'hs-5', direction: 'outbound', durationSeconds: 30 });
  });
});

describe('voice messages', () => {
  it('are stored with the shelter of the called number when the recording ends, once even if Twilio retries', async () => {
    const placed = await net.sim.placeCall({ to: net.fx.tokuda.a, from: CALLER });
    expect(names(parseTwiml(placed.twiml))).toContain('Record');
    const params = {
      CallSid: placed.callSid,
      From: CALLER,
      To: net.fx.tokuda.a,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${net.accounts.a.sid}/Recordings/RE${'2'.repeat(32)}`,
      RecordingSid: `RE${'2'.repeat(32)}`,
      RecordingDuration: '17',
    };
    for (let i = 0; i < 2; i++) {
      const res = await net.sim.sendWebhook({ accountSid: net.accounts.a.sid, url: `${net.publicUrl}/twilio/voice/recorded`, params });
      expect(res.status).toBe(200);
      expect(names(parseTwiml(res.body))).toEqual(['Say', 'Say', 'Hangup']);
    }
    const { items } = await net.store.query('voiceMessages', { where: { shelterId: net.fx.tokuda.id } });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ from: CALLER, to: net.fx.tokuda.a, recordingUrl: params.RecordingUrl, durationSeconds: 17, listened: false });
  });

  it('are not stored when nothing was recorded', async () => {
    const res = await net.sim.sendWebhook({
      accountSid: net.accounts.a.sid,
      url: `${net.publicUrl}/twilio/voice/recorded`,
      params: { CallSid: `CA${'3'.repeat(32)}`, From: CALLER, To: net.fx.misogi.a, RecordingDuration: '0', RecordingUrl: '' },
    });
    expect(res.status).toBe(200);
    expect((await net.store.query('voiceMessages', { where: { shelterId: net.fx.misogi.id } })).items).toEqual([]);
  });
});

describe('the identification tone', () => {
  it('is served as a RIFF/WAVE PCM file with caching headers, and revalidates with its ETag', async () => {
    const res = await fetch(`${net.publicUrl}/twilio/tone.wav`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    const wav = Buffer.from(await res.arrayBuffer());
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(wav.readUInt16LE(20)).toBe(1);

    const again = await fetch(`${net.publicUrl}/twilio/tone.wav`, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
  });
});
