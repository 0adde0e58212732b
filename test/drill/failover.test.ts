import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Carrier, Shelter } from '../../provisioning/model/index.js';
import { driftCheck } from '../../provisioning/reconcile/maintenance.js';
import { allNumbers, startTestDrill } from './drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const DOWN = 'noto-cloud';

describe('carrier failover during a mass opening', () => {
  let drill: Drill;
  let opened: string[] = [];

  beforeAll(async () => {
    drill = await startTestDrill();
  }, 60_000);
  afterAll(async () => drill?.dispose());

  it('leaves every open shelter a line in service on a healthy carrier while one carrier answers 503', async () => {
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    opened = shelters.filter((s) => s.areaCodes.includes('0767')).slice(0, 30).map((s) => s.id);
    expect(opened.length).toBe(30);
    await drill.api.call('POST', '/api/v1/shelters/open-bulk', { ids: opened });
    const down = drill.carriers.find((c) => c.id === DOWN)!.account!;
    drill.sim.setLatency(20); // a far-away API, so the opening is still under way when the outage hits
    const draining = drill.server.deps.worker.drain({ timeoutMs: 100_000 }); // a safety net in real time; backoffs are jumped over
    // Bounded: the opening is under way when a tenth line is in service; a stuck opening fails here, not in a hang.
    const giveUp = performance.now() + 30_000;
    while ((await allNumbers(drill)).filter((n) => n.state === 'in_service').length < 10) {
      if (performance.now() > giveUp) throw new Error('the opening never reached 10 lines in service');
      await new Promise((r) => setTimeout(r, 20));
    }
    drill.sim.setOutage(down.sid, true); // the carrier goes dark mid-opening: 503 on every call
    await draining;
    drill.sim.setLatency(0);

    const carrier = (await drill.server.deps.store.get('carriers', DOWN)) as Carrier;
    expect(carrier.health).toBe('down');
    const numbers = await allNumbers(drill);
    const withoutLine = opened.filter((id) => !numbers.some((n) => n.shelterId === id && n.state === 'in_service' && n.carrierId !== DOWN));
    expect(withoutLine).toEqual([]);
  }, 120_000);

  it('brings the recovered carrier back in line through the drift check', async () => {
    const down = drill.carriers.find((c) => c.id === DOWN)!.account!;
    drill.sim.setOutage(down.sid, false);
    await drill.api.call('POST', `/api/v1/carriers/${DOWN}/health`, { down: false, reason: 'carrier recovered' });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    await driftCheck(drill.server.deps.engine);
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });

    const report = await driftCheck(drill.server.deps.engine);
    expect(report.repaired).toEqual([]); // converged: a second pass finds nothing to repair
    const byE164 = new Map((await allNumbers(drill)).map((n) => [n.e164, n]));
    for (const c of drill.carriers.filter((x) => x.account)) {
      for (const sn of drill.sim.snapshot(c.account!.sid).numbers) {
        const n = byE164.get(sn.phone_number);
        if (n?.state === 'in_service') expect(sn.voice_url, sn.phone_number).toBe(`${drill.url}/twilio/voice/inbound`);
      }
    }
    const numbers = [...byE164.values()];
    for (const id of opened) expect(numbers.some((n) => n.shelterId === id && n.state === 'in_service'), id).toBe(true);
  }, 60_000);
});
