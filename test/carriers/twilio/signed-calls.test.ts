import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOMAIN_SPEC, ROUTING, startHarness, type Harness } from './harness.js';

/** A tiny webhook receiver standing in for our server: it records what Twilio sent and answers TwiML. */
interface Received {
  path: string;
  signature: string;
  params: Record<string, string>;
}

let h: Harness;
let receiver: Server;
let base: string;
let received: Received[];
let failPrimary: boolean;

beforeEach(async () => {
  h = await startHarness();
  received = [];
  failPrimary = false;
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.post('/twilio/*path', (req, res) => {
    received.push({ path: req.path, signature: String(req.headers['x-twilio-signature']), params: req.body as Record<string, string> });
    if (failPrimary && req.path === '/twilio/voice/inbound') return void res.status(500).send('boom');
    res.type('text/xml').send(`<Response><Say language="ja-JP">${req.path}</Say></Response>`);
  });
  receiver = app.listen(0, '127.0.0.1');
  await new Promise((r) => receiver.once('listening', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterEach(async () => {
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
  await h.close();
});

const local = (path: string) => `${base}${new URL(path).pathname}`;
const routing = () => ({ voiceUrl: local(ROUTING.voiceUrl), voiceFallbackUrl: local(ROUTING.voiceFallbackUrl), statusCallback: local(ROUTING.statusCallback) });

describe('calls placed by the simulator', () => {
  it('a call to a routed number reaches its VoiceUrl signed with the account auth token', async () => {
    h.sim.seedNumbers(h.account.sid, ['+81767520959']);
    await h.carrier().routeNumber('+81767520959', routing());
    const result = await h.sim.placeCall({ to: '+81767520959', from: '+819012345678' });
    expect(result.status).toBe(200);
    expect(result.twiml).toContain('/twilio/voice/inbound');
    expect(result.callSid).toMatch(/^CA[0-9a-f]{32}$/);
    const [hit] = received;
    expect(hit!.params).toMatchObject({
      AccountSid: h.account.sid,
      ApiVersion: '2010-04-01',
      CallSid: result.callSid,
      CallStatus: 'ringing',
      Direction: 'inbound',
      From: '+819012345678',
      To: '+81767520959',
      Called: '+81767520959',
      Caller: '+819012345678',
      ToCountry: 'JP',
    });
    const url = routing().voiceUrl;
    expect(twilio.validateRequest(h.account.authToken, hit!.signature, url, hit!.params)).toBe(true);
    expect(twilio.validateRequest(h.account.authToken, hit!.signature, url, { ...hit!.params, From: '+819099999999' })).toBe(false);
    expect(twilio.validateRequest('another-accounts-token', hit!.signature, url, hit!.params)).toBe(false);
  });

  it('when the VoiceUrl fails, Twilio calls the fallback with ErrorCode 11200', async () => {
    h.sim.seedNumbers(h.account.sid, ['+81767520959']);
    await h.carrier().routeNumber('+81767520959', routing());
    failPrimary = true;
    const result = await h.sim.placeCall({ to: '+81767520959', from: '+819012345678' });
    expect(result).toMatchObject({ status: 200, answeredBy: routing().voiceFallbackUrl });
    const fallback = received[1]!;
    expect(fallback.params).toMatchObject({ ErrorCode: '11200', ErrorUrl: routing().voiceUrl });
    expect(twilio.validateRequest(h.account.authToken, fallback.signature, routing().voiceFallbackUrl, fallback.params)).toBe(true);
  });

  it('a number with no VoiceUrl calls no webhook and says so', async () => {
    h.sim.seedNumbers(h.account.sid, ['+81767520959']);
    const result = await h.sim.placeCall({ to: '+81767520959', from: '+819012345678' });
    expect(result).toMatchObject({ status: 0, twiml: '' });
    expect(result.note).toMatch(/no VoiceUrl/);
    expect(received).toHaveLength(0);
    await expect(h.sim.placeCall({ to: '+81300000000', from: '+819012345678' })).rejects.toThrow(/no simulated account owns/);
  });

  it('a handset call goes to the SIP domain VoiceUrl with SIP From/To, only for credentials mapped for calls', async () => {
    const carrier = h.carrier();
    const { domain } = await carrier.ensureSipDomain({ ...DOMAIN_SPEC, voiceUrl: local(DOMAIN_SPEC.voiceUrl) });
    await carrier.ensureCredential({ shelterId: 'sh_001', username: 'h001a', password: 'Noto2024Shelter' });
    const result = await h.sim.placeSipCall({ domain, username: 'h001a', to: '0767520959' });
    expect(result.status).toBe(200);
    const hit = received[0]!;
    expect(hit.path).toBe('/twilio/voice/outbound');
    expect(hit.params).toMatchObject({
      From: `sip:h001a@${domain}`,
      To: `sip:0767520959@${domain}`,
      SipDomain: domain,
      SipDomainSid: h.sim.snapshot(h.account.sid).sip_domains[0]!.sid,
      Direction: 'inbound',
    });
    expect(twilio.validateRequest(h.account.authToken, hit.signature, local(DOMAIN_SPEC.voiceUrl), hit.params)).toBe(true);
    const stranger = await h.sim.placeSipCall({ domain, username: 'intruder', to: '0767520959' });
    expect(stranger).toMatchObject({ status: 0 });
    expect(stranger.note).toMatch(/SIP 403/);
    expect(received).toHaveLength(1);
  });

  it('follow-up webhooks (Dial action) are signed the same way', async () => {
    const url = `${base}/twilio/voice/dial-result?shelter=sh_001`;
    const result = await h.sim.sendWebhook({ accountSid: h.account.sid, url, params: { CallSid: 'CA' + '0'.repeat(32), DialCallStatus: 'no-answer' } });
    expect(result.status).toBe(200);
    const hit = received[0]!;
    expect(hit.params).toMatchObject({ AccountSid: h.account.sid, DialCallStatus: 'no-answer' });
    expect(twilio.validateRequest(h.account.authToken, hit.signature, url, hit.params)).toBe(true);
    expect(twilio.validateRequest(h.account.authToken, hit.signature, url, { ...hit.params, DialCallStatus: 'completed' })).toBe(false);
  });
});
