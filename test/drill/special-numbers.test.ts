import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handset, Shelter } from '../../provisioning/model/index.js';
import { DRILL_TRANSLATION_EXAMPLE } from '../../server/drill/start-drill.js';
import { parseTwiml } from '../webhooks/support/twiml.js';
import { startTestDrill } from './drill-fixture.js';

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
});
