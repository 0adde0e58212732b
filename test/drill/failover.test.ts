import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Carrier, Job, Shelter } from '../../provisioning/model/index.js';
import { driftCheck } from '../../provisioning/reconcile/drift-check.js';
import { runJob } from '../../provisioning/reconcile/run-job.js';
import { defaultDrillCarriers, ensureDrillCarriers } from '../../server/drill/drill-carriers.js';
import { allNumbers, startTestDrill } from '../support/drill-fixture.js';

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

/**
 * Issue 27 item 3: emergency-capable numbers are scarce during an outage. X (3 lines) and Y (2
 * lines) each lose their 0AB-J lines; only two emergency-capable numbers are free, on a carrier
 * that joined after they opened. X's failover runs first: before, it took both.
 */
describe('failover when emergency-capable numbers are scarce', () => {
  let drill: Drill;
  afterAll(async () => drill?.dispose());

  /** Runs one queued job now, in this process, before any other: the order a busy queue may well pick. */
  async function runFirst(jobId: string): Promise<void> {
    const { store, engine } = drill.server.deps;
    const claimed = await store.transaction(async (tx) => {
      const j = (await tx.get('jobs', jobId))!;
      const next: Job = { ...j, status: 'running', attempts: j.attempts + 1, version: j.version + 1, lease: { owner: engine.owner, until: new Date(engine.clock.now().getTime() + engine.leaseMs).toISOString() } };
      tx.put('jobs', next);
      return next;
    });
    await runJob(engine, claimed);
  }

  it('gives no shelter a second emergency-capable line while another affected shelter has none', async () => {
    const [noto, hokuriku, ipPhone] = defaultDrillCarriers(10);
    drill = await startTestDrill({ carriers: [noto!, ipPhone!] });
    const { store } = drill.server.deps;
    const [x, y] = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items.filter((s) => s.areaCodes.includes('0767')).map((s) => s.id);
    await drill.api.call('POST', `/api/v1/shelters/${x}/open`, { lines: 3 });
    await drill.api.call('POST', `/api/v1/shelters/${y}/open`, { lines: 2 });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    const lines = async (id: string) => (await store.query('numbers', { where: { shelterId: id }, limit: 20 })).items.filter((n) => n.state === 'in_service');
    expect((await lines(x!)).filter((n) => n.carrierId === DOWN)).toHaveLength(2);
    expect((await lines(y!)).filter((n) => n.carrierId === DOWN)).toHaveLength(1);
    // A member joins with two emergency-capable 0767 numbers: all there is when the outage comes.
    await ensureDrillCarriers(drill.api, drill.sim, drill.simUrl, [{ ...hokuriku!, numbers: ['+81767530100', '+81767530101'] }]);

    const { body } = await drill.api.call<{ jobs: string[] }>('POST', `/api/v1/carriers/${DOWN}/health`, { down: true, reason: 'drill: outage' });
    const xJob = (await Promise.all(body.jobs.map((id) => store.get('jobs', id)))).find((j) => j?.shelterId === x)!;
    await runFirst(xJob.id);
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });

    const emergencyOf = async (id: string) => (await lines(id)).filter((n) => n.carrierId !== DOWN && n.emergencyCapable).map((n) => n.e164);
    expect(await emergencyOf(y!), `${y} has no emergency-capable line while ${x} holds ${await emergencyOf(x!)}`).toHaveLength(1);
    expect(await emergencyOf(x!)).toHaveLength(1);
    for (const id of [x!, y!]) expect((await store.get('shelters', id))!.service!.emergencyCapable, id).toBe(true);
  }, 120_000);
});
