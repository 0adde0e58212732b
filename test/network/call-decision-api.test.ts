import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord, Handset, PhoneNumber } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { driftCheck } from '../../provisioning/reconcile/drift-check.js';
import { allNumbers, startTestDrill } from '../support/drill-fixture.js';
import { parseTwiml } from '../support/twiml.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const API = 'ip-phone-net';
const TWILIO = 'noto-cloud';
const SHELTERS = ['CC0000000504', 'CC0000000505', 'CC0000000506'];
/** The operator's directory hotline (a number pointed at /twilio/voice/directory). */
const DIRECTORY = '+81767520000';

describe('the call-decision API and the drill\'s api member taking calls through it', () => {
  let drill: Drill;
  let numbers: PhoneNumber[];
  let handsets: Handset[];
  const tokenOf = (id: string) => drill.carriers.find((c) => c.id === id)!.token!;
  const ask = (token: string, path: string, body: unknown) =>
    fetch(`${drill.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** A handset credential on the given carrier (every shelter's handset registers on two of them). */
  const credentialOn = (carrierId: string) => {
    for (const h of handsets) for (const c of h.credentials) if (c.carrierId === carrierId && c.state === 'active') return { username: c.username, domain: c.domain, shelterId: h.shelterId };
    throw new Error(`no handset has a credential on ${carrierId}`);
  };
  const callCount = async () => (await drill.server.deps.store.query('calls', { limit: 1000 })).items.length;

  beforeAll(async () => {
    drill = await startTestDrill({ carriers: defaultDrillCarriers(10), env: { ORCH_DIRECTORY_NUMBER: DIRECTORY } });
    // Three lines each, so every member lends one line per shelter.
    for (const id of SHELTERS) await drill.api.call('POST', `/api/v1/shelters/${id}/open`, { lines: 3 });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    // Handsets register on a healthy carrier first: with one Twilio member down, the api member is their backup.
    await drill.api.call('PATCH', '/api/v1/carriers/hokuriku-voice', { manualDown: true });
    for (const id of SHELTERS) await drill.api.call('POST', `/api/v1/shelters/${id}/handsets`, { vendor: 'softphone' });
    await drill.api.call('PATCH', '/api/v1/carriers/hokuriku-voice', { manualDown: false });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    numbers = (await allNumbers(drill)).filter((n) => n.state === 'in_service');
    handsets = (await drill.server.deps.store.query('handsets', { limit: 100 })).items;
  }, 90_000);
  afterAll(async () => drill?.dispose());

  /** What a drill operator does: place calls through the simulator's control API, over HTTP. */
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${drill.simUrl}/_sim${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };

  it('shows calls on all three carriers: two through Twilio webhooks, the api member through the decision API, all placed from the drill\'s /_sim control', async () => {
    for (const carrierId of ['noto-cloud', 'hokuriku-voice']) {
      const line = numbers.find((n) => n.carrierId === carrierId);
      if (line) expect((await control('/calls', { to: line.e164, from: '+81312345678' })).status).toBe(200);
    }
    const apiLine = numbers.find((n) => n.carrierId === API)!;
    const received = await control('/api-member/calls', { from: '+81312345678', to: apiLine.e164, talkSeconds: 90 });
    expect(received.status).toBe(200);
    expect(received.body.connected).toBe(true);
    const h = credentialOn(API);
    const placed = await control('/api-member/sip-calls', { username: h.username, domain: h.domain, to: '0312345678', talkSeconds: 61 });
    expect(placed.status).toBe(200);
    expect(placed.body.answer).toMatchObject({ action: 'connect', dial: '+81312345678', identificationTone: { caller: true, callee: true } });

    const calls = (await drill.server.deps.store.query('calls', { limit: 100 })).items as CallRecord[];
    expect(new Set(calls.map((c) => c.carrierId))).toEqual(new Set(['noto-cloud', 'hokuriku-voice', API]));
    const inbound = calls.find((c) => c.callSid === `${API}:${received.body.callId}`)!;
    expect(inbound).toMatchObject({ direction: 'inbound', status: 'completed', durationSeconds: 90, shelterId: apiLine.shelterId });
    const outbound = calls.find((c) => c.callSid === `${API}:${placed.body.callId}`)!;
    expect(outbound).toMatchObject({ direction: 'outbound', status: 'completed', durationSeconds: 61, shelterId: h.shelterId });
    // The same member, in process (as the rest of this file drives it): ids of its own choosing.
    const again = await drill.member!.placeCall({ ...h, dialled: '0312345678', talkSeconds: 61, callId: 'drill-out-1' });
    expect(again.connected).toBe(true);
  }, 30_000);

  it('answers a bad control body with 400, and a number the member does not lend with 502 naming the decision API\'s 403, writing no call', async () => {
    const before = await callCount();
    expect((await control('/api-member/calls', { from: '+81312345678' })).status).toBe(400);
    expect((await control('/api-member/sip-calls', { username: 'u', domain: 'd', to: '0312345678', extra: 1 })).status).toBe(400);
    const twilioLine = numbers.find((n) => n.carrierId === TWILIO)!;
    const refused = await control('/api-member/calls', { from: '+81312345678', to: twilioLine.e164 });
    expect(refused.status).toBe(502);
    expect(refused.body.detail).toMatch(/answered 403/);
    expect(await callCount()).toBe(before);
  });

  it('refuses (403, nothing written) a member asking about another member\'s number or handset', async () => {
    const before = await callCount();
    const apiLine = numbers.find((n) => n.carrierId === API)!;
    const inbound = await ask(tokenOf(TWILIO), '/api/v1/call-decisions/inbound', { callId: 'x-1', from: '+81312345678', to: apiLine.e164 });
    expect(inbound.status).toBe(403);
    expect((await inbound.json()).detail).toMatch(/another member/);
    const h = credentialOn(API);
    const outbound = await ask(tokenOf(TWILIO), '/api/v1/call-decisions/outbound', { callId: 'x-2', handset: { username: h.username, domain: h.domain }, dialled: '0312345678' });
    expect(outbound.status).toBe(403);
    expect((await outbound.json()).detail).toMatch(/another member/);
    // The call routed for the api member is not the other member's to report on: no such call of theirs.
    const event = await ask(tokenOf(TWILIO), '/api/v1/call-events', { callId: 'drill-out-1', event: 'completed', durationSeconds: 3600 });
    expect(event.status).toBe(404);
    expect(await callCount()).toBe(before);
    const stillOurs = (await drill.server.deps.store.query('calls', { limit: 100 })).items.find((c) => c.callSid === `${API}:drill-out-1`)!;
    expect(stillOurs.durationSeconds).toBe(61);
  });

  it('refuses an admin or coordinator token: the API is for members\' platforms', async () => {
    const res = await ask(drill.adminToken, '/api/v1/call-decisions/outbound', { callId: 'x-3', handset: { username: 'a', domain: 'b' }, dialled: '110' });
    expect(res.status).toBe(403);
  });

  it('answers bad input with 400 naming the fields, and writes nothing', async () => {
    const before = await callCount();
    const res = await ask(tokenOf(API), '/api/v1/call-decisions/outbound', { callId: 'has space', handset: { username: '' }, dialled: '' });
    expect(res.status).toBe(400);
    const paths = ((await res.json()).errors as Array<{ path: string }>).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.callId', 'body.handset.username', 'body.handset.domain', 'body.dialled']));
    const event = await ask(tokenOf(API), '/api/v1/call-events', { callId: 'drill-out-1', event: 'hung-up' });
    expect(event.status).toBe(400);
    expect(await callCount()).toBe(before);
  });

  it('answers an event about a call never routed with 404', async () => {
    const res = await ask(tokenOf(API), '/api/v1/call-events', { callId: 'never-routed', event: 'answered' });
    expect(res.status).toBe(404);
  });

  it('counts status events in the abuse limits: a handset with two calls up is refused a third, but never 110', async () => {
    const h = credentialOn(API);
    for (const callId of ['up-1', 'up-2']) {
      const r = await ask(tokenOf(API), '/api/v1/call-decisions/outbound', { callId, handset: { username: h.username, domain: h.domain }, dialled: '0312345678' });
      expect((await r.json()).action).toBe('connect');
      expect((await ask(tokenOf(API), '/api/v1/call-events', { callId, event: 'answered' })).status).toBe(200);
    }
    const third = await ask(tokenOf(API), '/api/v1/call-decisions/outbound', { callId: 'up-3', handset: { username: h.username, domain: h.domain }, dialled: '0312345678' });
    expect(await third.json()).toMatchObject({ action: 'announce', kind: 'refusal', reason: 'usage-limit', sipResponse: { code: 403 } });
    const emergency = await ask(tokenOf(API), '/api/v1/call-decisions/outbound', { callId: 'up-4', handset: { username: h.username, domain: h.domain }, dialled: '110' });
    // The api member lends 050 numbers only: 110 gets guidance, never the usage-limit refusal.
    expect(await emergency.json()).toMatchObject({ action: 'announce', kind: 'emergency-guidance', reason: '110', sipResponse: { code: 380 } });
    const alerts = (await drill.server.deps.store.query('alerts', { limit: 100 })).items;
    expect(alerts.some((a) => a.kind === 'abuse_handset-concurrent' && a.shelterId === h.shelterId)).toBe(true);
    for (const callId of ['up-1', 'up-2']) await ask(tokenOf(API), '/api/v1/call-events', { callId, event: 'completed', durationSeconds: 30 });
    const fourth = await ask(tokenOf(API), '/api/v1/call-decisions/outbound', { callId: 'up-5', handset: { username: h.username, domain: h.domain }, dialled: '0312345678' });
    expect((await fourth.json()).action).toBe('connect');
  });

  it('carries the dial plan\'s codes to the member: 184 withholds the shelter line, 9000000 is the directory, the shelter\'s own code is refused', async () => {
    const h = credentialOn(API);
    const line = numbers.find((n) => n.shelterId === h.shelterId && n.carrierId === API)!;
    const outbound = async (callId: string, dialled: string) => (await ask(tokenOf(API), '/api/v1/call-decisions/outbound', { callId, handset: { username: h.username, domain: h.domain }, dialled })).json();
    expect(await outbound('c184', '1840312345678')).toMatchObject({ action: 'connect', dial: '+81312345678', callerId: line.e164, callerIdPresentation: 'withheld' });
    expect(await outbound('c186', '1860312345678')).toMatchObject({ action: 'connect', callerIdPresentation: 'sent' });
    expect(await outbound('cdir', '9000000')).toEqual({ action: 'directory', dial: DIRECTORY, callerId: line.e164, callerIdPresentation: 'sent', shelterId: h.shelterId, handsetId: expect.any(String) });
    const own = (await drill.server.deps.store.get('shelters', h.shelterId))!.shortCode!;
    expect(await outbound('cown', own)).toMatchObject({ action: 'announce', kind: 'refusal', reason: 'own-short-code', sipResponse: { code: 403 } });
    for (const callId of ['c184', 'c186', 'cdir']) await ask(tokenOf(API), '/api/v1/call-events', { callId, event: 'completed', durationSeconds: 0 });
    const directory = (await drill.server.deps.store.query('calls', { limit: 1000 })).items.find((c) => c.callSid === `${API}:cdir`);
    expect(directory).toMatchObject({ direction: 'outbound', purpose: 'directory', to: DIRECTORY, handsetId: expect.any(String) });
  });

  it('forwards a call the member\'s handsets miss with the outside caller\'s number, and never sends back a call forwarded to it', async () => {
    const apiLine = numbers.find((n) => n.carrierId === API)!;
    const inbound = async (callId: string, from: string) => (await ask(tokenOf(API), '/api/v1/call-decisions/inbound', { callId, from, to: apiLine.e164 })).json();
    const walk = await inbound('in-fwd-1', '+819011112222');
    expect(walk).toMatchObject({ action: 'ring', onNoAnswer: { action: 'forward', callerId: '+819011112222', onNoAnswer: { action: 'voicemail' } } });
    // A call to the shelter's Twilio line whose walk forwarded it here, showing the caller: ring here, then voicemail.
    const twilioLine = numbers.find((n) => n.shelterId === apiLine.shelterId && n.e164 === walk.onNoAnswer.dial)!;
    const first = await control('/calls', { to: twilioLine.e164, from: '+819033334444' });
    expect(first.status).toBe(200);
    const [dial] = parseTwiml(first.body.twiml).filter((v) => v.name === 'Dial');
    const onward = await drill.sim.sendWebhook({
      accountSid: drill.carriers.find((c) => c.id === twilioLine.carrierId)!.account!.sid, url: dial!.attrs.action!,
      params: { CallSid: first.body.callSid, From: '+819033334444', To: twilioLine.e164, CallStatus: 'in-progress', Direction: 'inbound', DialCallStatus: 'no-answer' },
    });
    expect(parseTwiml(onward.body).find((v) => v.name === 'Dial')!.attrs.callerId).toBe('+819033334444');
    const forwarded = await inbound('in-fwd-2', '+819033334444');
    expect(forwarded).toMatchObject({ action: 'ring', identificationTone: { caller: false }, onNoAnswer: { action: 'voicemail' } });
  });

  it('names the call-decision API in the JSON member\'s route_number orders, and keeps TwiML for a member declaring it', async () => {
    const routed = drill.member!.completed.find((o) => o.action === 'route_number')!;
    expect(routed.params).toMatchObject({ callControl: 'json', contract: 'shelter-line.call-decision.v1', inboundDecisionUrl: `${drill.url}/api/v1/call-decisions/inbound`, eventsUrl: `${drill.url}/api/v1/call-events` });
    expect(routed.params.voiceUrl).toBeUndefined();
    const patched = await drill.api.call<{ callControl?: string }>('PATCH', `/api/v1/carriers/${API}`, { callControl: 'twiml' });
    expect(patched.body.callControl).toBe('twiml');
    // The next line it lends is routed the Twilio-compatible way: voice URL, fallback and status callback.
    await drill.api.call('POST', '/api/v1/shelters/CC0000000507/open', { lines: 3 });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const line = (await allNumbers(drill)).find((n) => n.shelterId === 'CC0000000507' && n.carrierId === API)!;
    const twiml = drill.member!.completed.find((o) => o.action === 'route_number' && o.params.e164 === line.e164)!;
    expect(twiml.params).toMatchObject({ callControl: 'twiml', voiceUrl: `${drill.url}/twilio/voice/inbound` });
    expect(twiml.params.inboundDecisionUrl).toBeUndefined();
    // Lines it already carried are routed again the new way by the drift check, not left on the old contract.
    const earlier = numbers.find((n) => n.carrierId === API)!;
    await driftCheck(drill.server.deps.engine); // an api member's repair is a new work order, answered in its own time
    const rerouted = () => drill.member!.completed.find((o) => o.action === 'route_number' && o.params.e164 === earlier.e164 && o.params.callControl === 'twiml');
    // The member is another party: it long-polls its orders over HTTP and answers when it gets them,
    // on no clock of ours. Wait for that answer, at most 10 s of real time, and say so if it never came.
    const deadline = performance.now() + 10_000;
    while (!rerouted()) {
      if (performance.now() > deadline) throw new Error(`the api member did not re-route ${earlier.e164} under TwiML within 10 s of the drift check`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(rerouted()?.params).toMatchObject({ callControl: 'twiml', voiceUrl: `${drill.url}/twilio/voice/inbound` });
    const again = await driftCheck(drill.server.deps.engine);
    expect([...again.repaired.map((r) => r.e164), ...again.unreachable.map((u) => u.item)]).not.toContain(earlier.e164); // converged
    const refused = await drill.api.call('PATCH', `/api/v1/carriers/${TWILIO}`, { callControl: 'json' }, { ok: [409] });
    expect(refused.status).toBe(409);
  });
});
