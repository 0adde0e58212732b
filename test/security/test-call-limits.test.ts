import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Carrier } from '../../provisioning/model/index.js';
import { allDocs, call, mint, startApiServer, storeKinds, type ApiServer } from '../support/api-server.js';
import { FIXTURE, seedNetwork } from '../support/network-fixture.js';

/**
 * The audit's finding: a coordinator placed 15 test calls in 455 ms, each ringing every handset
 * of the shelter. Test calls are limited per shelter (3 in 15 minutes) and per coordinator (here
 * 4 an hour), answered 429 with Retry-After and a Japanese message, and every refusal is audited.
 */
describe.each(storeKinds())('test calls on %s', (kind) => {
  let s: ApiServer;
  let x: { id: string; token: string };
  let y: { id: string; token: string };
  beforeAll(async () => {
    s = await startApiServer({ store: kind, env: { ORCH_TEST_CALLS_PER_COORDINATOR: '4' } });
    const at = s.clock.now().toISOString();
    // Members on their own platforms: the test call asks nothing of a carrier we cannot reach here.
    for (const id of [FIXTURE.carriers.a, FIXTURE.carriers.b]) {
      const carrier: Carrier = {
        id, version: 0, name: `Carrier ${id}`, kind: 'api', certifications: { numberUsePlan: null, etoc: { status: 'certified' } },
        capacity: { requestsPerSecond: 10, concurrency: 4 }, status: 'active', health: 'up', manualDown: false, lendingChain: [], createdAt: at, updatedAt: at,
      };
      await s.store.put('carriers', carrier);
    }
    await seedNetwork(s.store, FIXTURE);
    x = await mint(s, 'coordinator');
    y = await mint(s, 'coordinator');
  });
  afterAll(() => s?.close());

  const testCall = (who: { token: string }, shelterId: string) => call(s, 'post', `/api/v1/shelters/${shelterId}/test-calls`, { token: who.token });
  const refusals = async () => (await allDocs(s.store, 'audit')).filter((e: AuditEvent) => e.action === 'shelter.test-call.refused');

  it('refuses the fourth test call of a shelter in 15 minutes, from anyone, with 429, Retry-After and a Japanese message, audited', async () => {
    for (let i = 0; i < 3; i++) expect((await testCall(x, FIXTURE.misogi.id)).status, `call ${i + 1}`).toBe(201);
    const fourth = await testCall(x, FIXTURE.misogi.id);
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get('retry-after'))).toBe(15 * 60);
    expect(fourth.body).toMatchObject({ type: 'https://shelter-line.jp/problems/test-call-limited', status: 429, retryAfterSeconds: 15 * 60 });
    expect(fourth.body.detail).toMatch(/試験通話/);
    // Another coordinator is refused for the same shelter: it is the shelter's phones that ring.
    expect((await testCall(y, FIXTURE.misogi.id)).status).toBe(429);
    const audited = await refusals();
    expect(audited).toHaveLength(2);
    expect(audited.map((e) => e.actor.id).sort()).toEqual([x.id, y.id].sort());
    expect(audited[0]).toMatchObject({ entity: { collection: 'shelters', id: FIXTURE.misogi.id }, after: { limit: 'shelter' } });
    // Nothing else changed: the shelter still shows the last test call that was placed.
    const shelter = (await call(s, 'get', `/api/v1/shelters/${FIXTURE.misogi.id}`, { token: x.token })).body;
    expect(shelter.lastTestCall.by).toBe('coordinator test');
  });

  it('refuses a coordinator’s test calls beyond its hourly count on any shelter, and lets others call', async () => {
    expect((await testCall(x, FIXTURE.wakura.id)).status).toBe(201);
    // x has placed 4 this hour (refusals do not count).
    const over = await testCall(x, FIXTURE.ishizaki.id);
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ type: 'https://shelter-line.jp/problems/test-call-limited' });
    expect(Number(over.headers.get('retry-after'))).toBe(60 * 60);
    expect((await refusals()).at(-1)).toMatchObject({ actor: { id: x.id }, after: { limit: 'coordinator' } });
    expect((await testCall(y, FIXTURE.ishizaki.id)).status).toBe(201);
  });

  it('lets the shelter be tested again once its window has passed, and the coordinator after the hour', async () => {
    s.clock.advance(15 * 60_000);
    expect((await testCall(y, FIXTURE.misogi.id)).status).toBe(201);
    expect((await testCall(x, FIXTURE.misogi.id)).status).toBe(429);
    s.clock.advance(45 * 60_000);
    expect((await testCall(x, FIXTURE.misogi.id)).status).toBe(201);
  });
});
