import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiClient } from '../../server/drill/api-client.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { settleAgedNumbers } from '../../provisioning/reconcile/settle-aged-numbers.js';
import type { Shelter } from '../../provisioning/model/index.js';
import { allNumbers, DRILL_START, startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const DAY = 86_400_000;
const SHELTER = 'CC0000000504';

/** A drill with the police's authority token and SHELTER open. */
async function drillWithOpenShelter(clock: ManualClock): Promise<{ drill: Drill; police: ApiClient }> {
  const drill = await startTestDrill({ clock });
  const { body } = await drill.api.call<{ token: string }>('POST', '/api/v1/tokens', { label: 'Ishikawa prefectural police', role: 'authority' });
  await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/open`, {});
  await drill.server.deps.worker.drain();
  return { drill, police: apiClient(drill.url, body.token) };
}

describe('number suspension (番号の利用停止)', () => {
  let drill: Drill;
  let police: ApiClient;
  const clock = new ManualClock(DRILL_START);
  let suspended = '';

  beforeAll(async () => {
    ({ drill, police } = await drillWithOpenShelter(clock));
  }, 60_000);
  afterAll(async () => drill?.dispose());

  it('replaces the routing on the simulator with the intercept before the request returns', async () => {
    const line = (await allNumbers(drill)).find((n) => n.shelterId === SHELTER && n.state === 'in_service' && n.carrierId !== 'ip-phone-net');
    expect(line).toBeDefined();
    suspended = line!.e164;
    const account = drill.carriers.find((c) => c.id === line!.carrierId)!.account!;
    const { status, body } = await police.call<{ e164: string; carrierId: string; shelterId: string; lendingChain: string[]; effectiveAt: string; requestedAt: string }>(
      'POST', '/api/v1/suspensions', { number: suspended, reason: '特殊詐欺 利用の疑い (drill)', requestId: 'ISHIKAWA-2024-0001' },
    );
    const onSimulator = drill.sim.snapshot(account.sid).numbers.find((n) => n.phone_number === suspended)!;
    expect(status).toBe(201);
    expect(onSimulator.voice_url).toBe(`${drill.url}/twilio/voice/intercept?reason=suspended`);
    expect(body).toMatchObject({ carrierId: line!.carrierId, shelterId: SHELTER });
    expect(body.lendingChain.length).toBeGreaterThan(0);
    expect(body.effectiveAt).toBeTruthy();
    expect((await drill.server.deps.store.get('numbers', suspended))!.state).toBe('suspended');
    // The shelter's service stops counting it before any job runs, and never publishes it.
    const detail = (await drill.api.call<Shelter & { numbers: Array<{ e164: string; health: string | null }> }>('GET', `/api/v1/shelters/${SHELTER}`)).body;
    expect(detail.numbers.find((n) => n.e164 === suspended)!.health).toBe('suspended');
    expect(detail.service!.publishedNumber).not.toBe(suspended);
    expect((await drill.server.deps.store.get('shelters', SHELTER))!.service!.lines.find((l) => l.e164 === suspended)!.health).toBe('suspended');
  });

  it('refuses an unauthenticated caller; answers an unknown number and a second suspension with what was done (200)', async () => {
    expect((await apiClient(drill.url, 'not-a-token').call('POST', '/api/v1/suspensions', { number: suspended, reason: 'x' }, { ok: [401] })).status).toBe(401);
    const unknown = await police.call<{ outcome: string }>('POST', '/api/v1/suspensions', { number: '+81767999999', reason: 'x' }, { ok: [200] });
    expect(unknown.body.outcome).toBe('not-lent');
    const again = await police.call<{ outcome: string }>('POST', '/api/v1/suspensions', { number: suspended, reason: 'again' }, { ok: [200] });
    expect(again.body.outcome).toBe('already-suspended');
  });

  it('never hands the suspended number out again, even after its aging would have ended', async () => {
    await drill.server.deps.worker.drain();
    const replaced = (await allNumbers(drill)).filter((n) => n.shelterId === SHELTER && n.state === 'in_service');
    expect(replaced.length).toBeGreaterThan(0); // the shelter got a replacement line
    await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/close`, {});
    await drill.server.deps.worker.drain();
    clock.advance(91 * DAY);
    await settleAgedNumbers(drill.server.deps.engine);
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    const some = shelters.filter((s) => s.areaCodes.includes('0767')).slice(0, 30);
    for (const s of some) await drill.api.call('POST', `/api/v1/shelters/${s.id}/open`, {});
    await drill.server.deps.worker.drain();
    const n = (await drill.server.deps.store.get('numbers', suspended))!;
    expect(n.state).toBe('suspended');
    expect(n.shelterId === null || n.shelterId === SHELTER).toBe(true);
    expect((await allNumbers(drill)).filter((x) => x.state === 'in_service').map((x) => x.e164)).not.toContain(suspended);
  }, 60_000);

  it('is lifted only by an admin with a reason, and the number then ages', async () => {
    expect((await police.call('POST', `/api/v1/suspensions/${encodeURIComponent(suspended)}/lift`, { reason: 'cleared' }, { ok: [403] })).status).toBe(403);
    expect((await drill.api.call('POST', `/api/v1/suspensions/${encodeURIComponent(suspended)}/lift`, {}, { ok: [400, 422] })).status).toBeGreaterThanOrEqual(400);
    const { body } = await drill.api.call<{ state: string; agingUntil: string }>('POST', `/api/v1/suspensions/${encodeURIComponent(suspended)}/lift`, { reason: 'police withdrew the request' });
    expect(body.state).toBe('aging');
    expect(Date.parse(body.agingUntil)).toBeGreaterThan(clock.now().getTime());
  });
});

/** `POST /api/v1/suspensions` with `fraud: true` (the board's suspension form can send it): the same refusal as a converted report. */
describe('a suspension request for fraud, with its window', () => {
  let drill: Drill;
  let police: ApiClient;
  const clock = new ManualClock(DRILL_START);

  beforeAll(async () => {
    ({ drill, police } = await drillWithOpenShelter(clock));
  }, 60_000);
  afterAll(async () => drill?.dispose());

  it('revokes the handset that called in the window, reports only that window’s calls, and refuses the shelter a replacement line until an admin review', async () => {
    const store = drill.server.deps.store;
    const { body: created } = await drill.api.call<{ handset: { id: string } }>('POST', `/api/v1/shelters/${SHELTER}/handsets`, { vendor: 'yealink', mac: '001565eeff01' }, { ok: [201] });
    await drill.server.deps.worker.drain();
    const handset = (await store.get('handsets', created.handset.id))!;
    const cred = handset.credentials.find((c) => c.role === 'primary')!;
    const line = (await allNumbers(drill)).find((n) => n.shelterId === SHELTER && n.carrierId === cred.carrierId && n.state === 'in_service')!;
    const account = drill.carriers.find((c) => c.id === line.carrierId)!.account!;
    const call = async (to: string, seconds: number) => {
      const placed = await drill.sim.placeSipCall({ domain: cred.domain, username: handset.sipUsername!, to, answer: true });
      expect(placed.status, placed.note).toBe(200);
      clock.advance(seconds * 1000);
      const done = await drill.sim.sendWebhook({ accountSid: account.sid, url: `${drill.url}/twilio/status`, params: { CallSid: placed.callSid, CallStatus: 'completed', CallDuration: String(seconds), From: `sip:${handset.sipUsername}@${cred.domain}`, To: `sip:${to}@${cred.domain}` } });
      expect(done.status).toBe(204);
    };
    const windowStart = clock.now().toISOString();
    await call('09012345678', 95);
    const windowEnd = new Date(clock.now().getTime() + 60_000).toISOString();
    clock.advance(3 * 3_600_000);
    await call('0312345678', 40); // after the window: not in the report
    const before = (await allNumbers(drill)).filter((n) => n.shelterId === SHELTER && n.state === 'in_service').length;

    const { status, body } = await police.call<{ outcome: string; fraud: { handsetIds: string[]; calls: Array<{ to: string; durationSeconds: number }>; windowStart: string; windowEnd: string } }>(
      'POST', '/api/v1/suspensions', { number: line.e164, reason: '特殊詐欺に利用 (drill)', fraud: true, window: { from: windowStart, to: windowEnd } },
    );
    expect(status).toBe(201);
    expect(body.fraud).toMatchObject({ handsetIds: [handset.id], windowStart, windowEnd });
    expect(body.fraud.calls.map((c) => [c.to, c.durationSeconds])).toEqual([['+819012345678', 95]]);
    expect((await store.get('handsets', handset.id))!.status).toBe('revoked');
    expect((await store.get('fraudHolds', SHELTER))!.refusal).toMatchObject({ e164: line.e164, revokedHandsetIds: [handset.id] });

    await drill.server.deps.worker.drain();
    const inService = () => allNumbers(drill).then((all) => all.filter((n) => n.shelterId === SHELTER && n.state === 'in_service').length);
    expect(await inService()).toBe(before - 1); // no replacement while refused
    await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/line-refusal/review`, { note: 'handset seized; staff briefed' });
    await drill.server.deps.worker.drain();
    expect(await inService()).toBe(before);
    const actions = (await store.query('audit', { limit: 1000 })).items.map((e) => e.action);
    for (const a of ['number.suspended', 'handset.revoked', 'shelter.new_lines_refused', 'shelter.new_lines_refusal_reviewed']) expect(actions, a).toContain(a);
  }, 60_000);
});
