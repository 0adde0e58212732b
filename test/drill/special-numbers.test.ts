import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord, Handset, Shelter } from '../../provisioning/model/index.js';
import { memberScope, naviDialMinutesToday, outboundUsage } from '../../provisioning/compliance/abuse-limits.js';
import { DRILL_TRANSLATION_EXAMPLE } from '../../server/drill/start-drill.js';
import { parseTwiml } from '../support/twiml.js';
import { startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;

describe('special numbers in a drill', () => {
  let drill: Drill;
  beforeAll(async () => {
    drill = await startTestDrill();
  }, 60_000);
  afterAll(async () => drill?.dispose());

  it('loads exactly one translation row, labelled as an example and not a real centre', async () => {
    const { body } = await drill.api.call<{ items: Array<Record<string, unknown>> }>('GET', '/api/v1/dial-plan/translations');
    expect(body.items).toEqual([expect.objectContaining({ id: '7119-17', service: '#7119', prefecture: '17', e164: '+81767520199', example: true, source: expect.stringContaining('DRILL EXAMPLE ONLY') })]);
  });

  it('a softphone of an open Nanao shelter dialling #7119 reaches the example row’s number with its shelter line as caller ID', async () => {
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    const shelter = shelters.find((s) => s.areaCodes.includes('0767'))!;
    await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/open`, { lines: 2 });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/handsets`, { vendor: 'softphone' });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });

    const store = drill.server.deps.store;
    const [handset] = (await store.query('handsets', { where: { shelterId: shelter.id } })).items as Handset[];
    const twilioIds = new Set(drill.carriers.filter((c) => c.kind === 'twilio').map((c) => c.id));
    const cred = handset!.credentials.find((c) => c.state === 'active' && twilioIds.has(c.carrierId))!;
    expect(cred, 'an active credential on a simulated Twilio member').toBeDefined();
    const line = (await store.query('numbers', { where: { shelterId: shelter.id, carrierId: cred.carrierId } })).items.find((n) => n.state === 'in_service')!;

    const res = await drill.sim.placeSipCall({ domain: cred.domain, username: cred.username, to: encodeURIComponent(DRILL_TRANSLATION_EXAMPLE.service) });
    expect(res.status, res.note).toBe(200);
    const dial = parseTwiml(res.twiml).find((v) => v.name === 'Dial')!;
    expect(dial.attrs.callerId).toBe(line.e164);
    expect(dial.children.map((c) => c.text)).toEqual(['+81767520199']);
  }, 120_000);

  it('the member on its own platform carries out #7119 (translated) and 0570: both calls complete and count toward the abuse limits', async () => {
    const store = drill.server.deps.store;
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    const shelter = shelters.filter((s) => s.areaCodes.includes('0767') && s.desiredStatus !== 'open')[0]!;
    // Three lines: one on each member, so the api member lends the shelter a line and registers its handset.
    await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/open`, { lines: 3 });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    await drill.api.call('PATCH', '/api/v1/carriers/hokuriku-voice', { manualDown: true });
    await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/handsets`, { vendor: 'softphone' });
    await drill.api.call('PATCH', '/api/v1/carriers/hokuriku-voice', { manualDown: false });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    const [handset] = (await store.query('handsets', { where: { shelterId: shelter.id } })).items as Handset[];
    const cred = handset!.credentials.find((c) => c.state === 'active' && c.carrierId === 'ip-phone-net')!;
    expect(cred, 'an active credential on the api member').toBeDefined();
    const now = drill.server.deps.clock.now();
    const member = await memberScope(store, 'ip-phone-net');
    const before = await outboundUsage(store, member, shelter.id, handset!.id, now);

    const service = await drill.member!.placeCall({ username: cred.username, domain: cred.domain, dialled: '#7119', talkSeconds: 150 });
    expect(service.answer).toMatchObject({ action: 'special', service: '#7119', route: 'translated', dial: '+81767520199' });
    expect(service.connected).toBe(true);
    const navi = await drill.member!.placeCall({ username: cred.username, domain: cred.domain, dialled: '0570123456', talkSeconds: 61 });
    expect(navi.answer).toMatchObject({ action: 'connect', purpose: 'navi-dial' });

    const records = (await store.query('calls', { where: { shelterId: shelter.id }, limit: 100 })).items as CallRecord[];
    const record = (callId: string) => records.find((c) => c.callSid === `ip-phone-net:${callId}`);
    expect(record(service.callId)).toMatchObject({ status: 'completed', durationSeconds: 150, purpose: 'special', handsetId: handset!.id });
    expect(record(navi.callId)).toMatchObject({ status: 'completed', durationSeconds: 61, purpose: 'navi-dial' });
    const after = await outboundUsage(store, member, shelter.id, handset!.id, now);
    expect(after.handset.lastHour - before.handset.lastHour).toBe(2);
    expect(after.shelter.minutesToday - before.shelter.minutesToday).toBe(3 + 2);
    expect(await naviDialMinutesToday(store, member, shelter.id, handset!.id, now)).toBe(2);
  }, 120_000);
});
