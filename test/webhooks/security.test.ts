import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetwork, type NetworkHarness } from '../support/network-harness.js';

let net: NetworkHarness;
beforeAll(async () => {
  net = await startNetwork();
});
afterAll(() => net.close());

const CALL_SID = `CA${'0'.repeat(31)}1`;

function statusParams(): Record<string, string> {
  return {
    AccountSid: net.accounts.a.sid, CallSid: CALL_SID, CallStatus: 'completed', CallDuration: '42',
    From: '+819012345678', To: net.fx.misogi.a, Direction: 'inbound', ApiVersion: '2010-04-01',
  };
}

function recordedParams(): Record<string, string> {
  return {
    AccountSid: net.accounts.a.sid, CallSid: CALL_SID, From: '+819012345678', To: net.fx.misogi.a,
    RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE1', RecordingSid: `RE${'1'.repeat(32)}`, RecordingDuration: '12',
  };
}

/** POSTs a form to `sendTo` signed as if Twilio had called `signedUrl` with `signedParams`. */
async function post(sendTo: string, body: Record<string, string>, signature: { url: string; params: Record<string, string>; token?: string } | null) {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (signature) headers['X-Twilio-Signature'] = twilio.getExpectedTwilioSignature(signature.token ?? net.accounts.a.authToken, signature.url, signature.params);
  const res = await fetch(sendTo, { method: 'POST', headers, body: new URLSearchParams(body).toString() });
  return { status: res.status, body: await res.text() };
}

async function nothingWritten() {
  expect((await net.store.query('calls')).items).toEqual([]);
  expect((await net.store.query('voiceMessages')).items).toEqual([]);
}

describe('webhook signatures', () => {
  const statusUrl = () => `${net.publicUrl}/twilio/status`;
  const recordedUrl = () => `${net.publicUrl}/twilio/voice/recorded`;

  it('refuses a status callback whose parameters were tampered with, and records nothing', async () => {
    const params = statusParams();
    const res = await post(statusUrl(), { ...params, CallDuration: '4200' }, { url: statusUrl(), params });
    expect(res.status).toBe(403);
    await nothingWritten();
  });

  it('refuses a recording callback with a tampered recording URL, and stores no message', async () => {
    const params = recordedParams();
    const res = await post(recordedUrl(), { ...params, RecordingUrl: 'https://evil.example/r.mp3' }, { url: recordedUrl(), params });
    expect(res.status).toBe(403);
    await nothingWritten();
  });

  it('refuses a request signed for another host, even the Host the app itself sees behind the proxy', async () => {
    const params = statusParams();
    for (const signedFor of [`https://evil.example/twilio/status`, `${net.appUrl}/twilio/status`]) {
      const res = await post(statusUrl(), params, { url: signedFor, params });
      expect(res.status).toBe(403);
    }
    await nothingWritten();
  });

  it('refuses a request signed for another path', async () => {
    const params = recordedParams();
    const res = await post(recordedUrl(), params, { url: `${net.publicUrl}/twilio/status`, params });
    expect(res.status).toBe(403);
    await nothingWritten();
  });

  it('refuses a request signed for another query string (a replayed Dial action)', async () => {
    const params = { AccountSid: net.accounts.a.sid, From: '+819012345678', To: net.fx.misogi.a, DialCallStatus: 'no-answer' };
    const res = await post(`${net.publicUrl}/twilio/voice/inbound?stage=after-other-carrier`, params, {
      url: `${net.publicUrl}/twilio/voice/inbound?stage=after-handsets`,
      params,
    });
    expect(res.status).toBe(403);
  });

  it('refuses a request without a signature, and routes nothing', async () => {
    const res = await post(`${net.publicUrl}/twilio/voice/inbound`, { AccountSid: net.accounts.a.sid, From: '+819012345678', To: net.fx.misogi.a }, null);
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('<Response>');
    expect(res.body).not.toContain('<Dial');
  });

  it('refuses a request signed with another account’s token', async () => {
    const params = statusParams();
    const res = await post(statusUrl(), params, { url: statusUrl(), params, token: net.accounts.b.authToken });
    expect(res.status).toBe(403);
    await nothingWritten();
  });

  it('refuses a request from an account we do not know', async () => {
    const params = { ...statusParams(), AccountSid: `AC${'f'.repeat(32)}` };
    const res = await post(statusUrl(), params, { url: statusUrl(), params });
    expect(res.status).toBe(403);
    await nothingWritten();
  });

  it('accepts a correctly signed request through the proxy: the public URL decides, not the Host header', async () => {
    // A status callback must be about a call we routed: route one first.
    const placed = await net.sim.placeCall({ to: net.fx.misogi.a, from: '+819012345678' });
    expect(placed.status).toBe(200);
    const params = { ...statusParams(), CallSid: placed.callSid };
    const res = await post(statusUrl(), params, { url: statusUrl(), params });
    expect(res.status).toBe(204);
    expect((await net.store.query('calls')).items).toHaveLength(1);
  });

  it('answers a signed but malformed callback with 400 and a reason', async () => {
    const params = { ...statusParams(), CallSid: 'not-a-call' };
    const res = await post(statusUrl(), params, { url: statusUrl(), params });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).detail).toContain('CallSid');
  });
});
