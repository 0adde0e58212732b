import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Handset, PhoneNumber, Shelter, TestCallResult } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { DRILL_START, startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;

describe('a test call rings a shelter\'s handsets through its carriers (the real twilio SDK against the simulator)', () => {
  let drill: Drill;
  let shelter: Shelter;
  let handset: Handset;
  let closed: Shelter;
  const clock = new ManualClock(DRILL_START);
  const apiCalls = () => drill.carriers.flatMap((c) => drill.sim.snapshot(c.account!.sid).api_calls.map((call) => ({ carrierId: c.id, ...call })));

  beforeAll(async () => {
    const [a, b] = defaultDrillCarriers(10);
    drill = await startTestDrill({ carriers: [a!, b!], clock });
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items.filter((s) => s.areaCodes.includes('0767'));
    shelter = shelters[0]!;
    closed = shelters[1]!;
    await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/open`, { lines: 2 });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const registered = await drill.api.call<{ handset: Handset }>('POST', `/api/v1/shelters/${shelter.id}/handsets`, { mac: '80-5E-C0-AB-CD-EF', vendor: 'yealink', label: '受付' });
    expect(registered.status).toBe(201);
    handset = registered.body.handset;
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
  }, 90_000);
  afterAll(async () => drill?.dispose());

  /** The handset registers on one carrier's registrar, as a phone does once plugged in (a softphone's REGISTER). */
  const registerOn = async (carrierId: string) => {
    const cred = (await drill.server.deps.store.get('handsets', handset.id))!.credentials.find((c) => c.carrierId === carrierId)!;
    expect(drill.sim.registerSip({ domain: cred.domain, username: cred.username, password: drill.server.deps.engine.secrets.open(cred.passwordEncrypted) })).toBe(true);
  };

  it('says "not registered" for a phone that never registered, never that the call succeeded, though the carrier accepted the calls', async () => {
    const r = await drill.api.call<TestCallResult>('POST', `/api/v1/shelters/${shelter.id}/test-calls`);
    expect(r.status).toBe(201);
    expect(r.body.results.map((x) => [x.carrierId, x.outcome, x.carrierStatus])).toEqual(expect.arrayContaining([
      [drill.carriers[0]!.id, 'not_registered', 'failed'],
      [drill.carriers[1]!.id, 'not_registered', 'failed'],
    ]));
    expect(r.body.results.every((x) => x.callRef !== null)).toBe(true); // placed, and the carrier said what became of them
    expect((await drill.server.deps.store.get('shelters', shelter.id))!.lastTestCall).toMatchObject({ reached: 0, notReached: 2, unsupported: 0 });
  });

  it('places one call per handset credential, to its SIP address from the shelter\'s number on that carrier, and reports what each carrier said', async () => {
    const detail = (await drill.api.call<{ numbers: PhoneNumber[]; handsets: Handset[] }>('GET', `/api/v1/shelters/${shelter.id}`)).body;
    const creds = detail.handsets.find((h) => h.id === handset.id)!.credentials;
    expect(creds.map((c) => c.state)).toEqual(['active', 'active']);
    const registered = creds[0]!.carrierId;
    await registerOn(registered);
    const before = new Set(apiCalls().map((x) => x.sid));

    const r = await drill.api.call<TestCallResult>('POST', `/api/v1/shelters/${shelter.id}/test-calls`);
    expect(r.status).toBe(201);
    expect(r.body.results).toHaveLength(2);
    const calls = apiCalls().filter((x) => !before.has(x.sid));
    expect(calls).toHaveLength(2);
    for (const c of creds) {
      const outcome = r.body.results.find((x) => x.carrierId === c.carrierId)!;
      const lineOnCarrier = detail.numbers.find((n) => n.carrierId === c.carrierId && n.state === 'in_service')!.e164;
      expect(outcome).toMatchObject({
        handsetId: handset.id, handsetLabel: '受付', to: `sip:${c.username}@${c.domain}`, from: lineOnCarrier,
        ...(c.carrierId === registered ? { outcome: 'rang', carrierStatus: 'ringing' } : { outcome: 'not_registered', carrierStatus: 'failed' }),
      });
      const seen = calls.find((x) => x.carrierId === c.carrierId)!;
      // What the simulator received through the SDK: the handset's SIP address, our number as caller ID, a spoken message.
      expect(seen).toMatchObject({ sid: outcome.callRef, to: `sip:${c.username}@${c.domain}`, from: lineOnCarrier });
      expect(seen.twiml).toMatch(/<Say language="ja-JP">シェルターラインの試験通話です/);
    }
    const stored = await drill.server.deps.store.get('shelters', shelter.id);
    expect(stored!.lastTestCall).toMatchObject({ reached: 1, notReached: 1, unsupported: 0, at: r.body.at });
    const audit = (await drill.api.call<{ items: AuditEvent[] }>('GET', '/api/v1/audit?action=shelter.test-call')).body.items;
    expect(audit[0]).toMatchObject({ actor: { role: 'admin' }, entity: { id: shelter.id }, after: { reached: 1, notReached: 1 } });
  });

  it('says "carrier down" for a carrier that answers 503, and for one marked down without calling it at all', async () => {
    const [a, b] = drill.carriers as [typeof drill.carriers[0], typeof drill.carriers[0]];
    // A shelter takes 3 test calls in 15 minutes (ORCH_TEST_CALLS_PER_SHELTER): two were placed above, two more come here.
    clock.advance(15 * 60_000);
    await registerOn(b.id);
    drill.sim.setOutage(a.account!.sid, true);
    try {
      const r = await drill.api.call<TestCallResult>('POST', `/api/v1/shelters/${shelter.id}/test-calls`);
      expect(r.body.results.find((x) => x.carrierId === a.id)).toMatchObject({ outcome: 'carrier_down', callRef: null });
      expect(r.body.results.find((x) => x.carrierId === b.id)).toMatchObject({ outcome: 'rang' });
    } finally {
      drill.sim.setOutage(a.account!.sid, false);
    }
    // Both carriers marked down (the coordinator's view): nothing is called, nothing is said to ring.
    for (const c of [a, b]) await drill.api.call('POST', `/api/v1/carriers/${c.id}/health`, { down: true, reason: 'drill: both down' });
    const before = apiCalls().length;
    const r = await drill.api.call<TestCallResult>('POST', `/api/v1/shelters/${shelter.id}/test-calls`);
    expect(r.body.results.map((x) => x.outcome)).toEqual(['carrier_down', 'carrier_down']);
    expect(apiCalls().length).toBe(before);
    expect((await drill.server.deps.store.get('shelters', shelter.id))!.lastTestCall).toMatchObject({ reached: 0, notReached: 2 });
    for (const c of [a, b]) await drill.api.call('POST', `/api/v1/carriers/${c.id}/health`, { down: false, reason: 'drill: back' });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
  });

  it('refuses a closed shelter (409) and a viewer (403) without ringing anything or writing', async () => {
    const before = apiCalls().length;
    const auditBefore = (await drill.api.call<{ items: AuditEvent[] }>('GET', '/api/v1/audit?action=shelter.test-call')).body.items.length;
    expect((await drill.api.call('POST', `/api/v1/shelters/${closed.id}/test-calls`, undefined, { ok: [409] })).status).toBe(409);
    expect((await drill.api.call('POST', '/api/v1/shelters/NO-SUCH/test-calls', undefined, { ok: [404] })).status).toBe(404);
    const { body: viewer } = await drill.api.call<{ token: string }>('POST', '/api/v1/tokens', { label: 'wall', role: 'viewer' });
    const asViewer = await fetch(`${drill.url}/api/v1/shelters/${shelter.id}/test-calls`, { method: 'POST', headers: { authorization: `Bearer ${viewer.token}` } });
    expect(asViewer.status).toBe(403);
    expect(apiCalls().length).toBe(before);
    expect((await drill.api.call<{ items: AuditEvent[] }>('GET', '/api/v1/audit?action=shelter.test-call')).body.items.length).toBe(auditBefore);
    expect((await drill.server.deps.store.get('shelters', closed.id))!.lastTestCall ?? null).toBeNull();
  });
});
