import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Carrier, Shelter } from '../../provisioning/model/index.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { scheduleMaintenance } from '../../provisioning/reconcile/worker.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { DRILL_START, startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const DOWN = 'noto-cloud';
const MINUTE = 60_000;

/**
 * The drill's clock, moved only by the test and by drains, that also plays what happens outside
 * our control at a given drill time (here: the carrier answering again).
 */
class ScheduledClock extends ManualClock {
  private events: Array<{ at: number; run: () => void }> = [];
  at(when: number, run: () => void): void {
    this.events.push({ at: when, run });
  }
  override advance(ms: number): void {
    const to = this.now().getTime() + ms;
    for (const e of this.events.filter((x) => x.at <= to).sort((a, b) => a.at - b.at)) {
      super.set(new Date(e.at));
      e.run();
    }
    this.events = this.events.filter((x) => x.at > to);
    super.set(new Date(to));
  }
}

/**
 * Issue 17 item 1, end to end: the carrier goes dark (503 on every call) while shelters open, the
 * adapter marks it down from those failures, then the carrier answers again. Nobody marks it up.
 */
describe('a carrier the adapter marked down comes back by itself (drill time)', () => {
  let drill: Drill;
  const clock = new ScheduledClock(DRILL_START);
  let shelters: string[] = [];
  const store = () => drill.server.deps.store;

  /** The carrier goes dark as more shelters open, and answers again `answersAfterMs` of drill time later. */
  async function outage(open: string[], answersAfterMs: number) {
    const account = drill.carriers.find((c) => c.id === DOWN)!.account!;
    const darkAt = clock.now().getTime();
    drill.sim.setOutage(account.sid, true);
    clock.at(darkAt + answersAfterMs, () => drill.sim.setOutage(account.sid, false));
    await drill.api.call('POST', '/api/v1/shelters/open-bulk', { ids: open });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    // The worker's part, played by hand: a second at a time, whatever is due runs (the carrier's probe
    // among it), and the maintenance minute is scheduled.
    for (let s = 0; s < 3 * 60 && ((await store().get('carriers', DOWN)) as Carrier).health === 'down'; s++) {
      clock.advance(1_000);
      if (clock.now().getTime() % MINUTE < 1_000) await scheduleMaintenance(drill.server.deps.engine, MINUTE);
      await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    }
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    const audit = (await store().query('audit', { where: { action: 'carrier.down' }, limit: 100 })).items as AuditEvent[];
    const down = audit.filter((e) => e.entity.id === DOWN && Date.parse(e.at) >= darkAt).sort((a, b) => a.at.localeCompare(b.at))[0]!;
    const carrier = (await store().get('carriers', DOWN)) as Carrier;
    return {
      carrier,
      downAfterMs: Date.parse(down.at) - darkAt,
      answersAgainAt: darkAt + answersAfterMs,
      upAfterAnsweringMs: Date.parse(carrier.healthChangedAt!) - (darkAt + answersAfterMs),
      downReason: down.reason,
    };
  }

  /**
   * Open shelters not back to full service: fewer working lines than the two they want, or a line
   * still down. A replacement line from the failover stays by design (README, "What happens to a
   * dead line"), so a shelter may end with three working lines.
   */
  async function notBack(ids: string[]): Promise<string[]> {
    const short: string[] = [];
    for (const id of ids) {
      const s = (await store().get('shelters', id)) as Shelter;
      const down = s.service?.lines.filter((l) => l.health !== 'working').map((l) => `${l.e164} ${l.health}`) ?? [];
      if (s.actualStatus !== 'open' || s.service!.wantedLines !== 2 || s.service!.workingLines < 2 || down.length > 0) short.push(`${id}: ${s.actualStatus} ${s.service?.workingLines}/${s.service?.wantedLines} ${down.join(', ')}`);
    }
    return short;
  }
  /** Working lines on the carrier that went down: all of them count again once its routing is confirmed. */
  async function workingOnDown(ids: string[]): Promise<number> {
    let n = 0;
    for (const id of ids) n += ((await store().get('shelters', id)) as Shelter).service!.lines.filter((l) => l.carrierId === DOWN && l.health === 'working').length;
    return n;
  }

  beforeAll(async () => {
    const [a, b] = defaultDrillCarriers(40);
    drill = await startTestDrill({ carriers: [a!, b!], clock });
    const all = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items.filter((s) => s.areaCodes.includes('0767'));
    shelters = all.slice(0, 18).map((s) => s.id);
    await drill.api.call('POST', '/api/v1/shelters/open-bulk', { ids: shelters.slice(0, 6) });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    expect(await notBack(shelters.slice(0, 6))).toEqual([]);
  }, 90_000);
  afterAll(async () => drill?.dispose());

  it('answers again 5 s into the outage: up two good probes later (≤ 10 s), then every shelter open with every line working, none marked by hand', async () => {
    const started = performance.now();
    const r = await outage(shelters.slice(6, 12), 5_000);
    const settledInMs = performance.now() - started;
    expect(r.downReason).toMatch(/calls in a row failed/);
    expect(r.downAfterMs).toBeLessThan(1_000); // a fast-failing outage: marked down within a second
    expect(r.carrier.health).toBe('up');
    expect(r.carrier.healthReason).toMatch(/^health probe: 2 probes in a row answered/);
    // Two good probes 5 s apart: never on the first answer, never later than two intervals.
    expect(r.upAfterAnsweringMs).toBeGreaterThanOrEqual(5_000);
    expect(r.upAfterAnsweringMs).toBeLessThanOrEqual(10_000);
    expect(await notBack(shelters.slice(0, 12))).toEqual([]);
    expect(await workingOnDown(shelters.slice(0, 12))).toBeGreaterThan(0);
    console.info(`[recovery] answers again 5 s into the outage → up ${r.upAfterAnsweringMs / 1000} s later (drill time; marked down ${r.downAfterMs} ms after going dark); 12 shelters open with every line working, ${Math.round(settledInMs)} ms of real time for the whole outage`);
  }, 120_000);

  it('answers again 40 s into the outage: up two good probes later too, never left to a maintenance minute', async () => {
    const r = await outage(shelters.slice(12, 18), 40_000);
    expect(r.carrier.health).toBe('up');
    expect(r.carrier.healthReason).toMatch(/^health probe/);
    expect(r.upAfterAnsweringMs).toBeGreaterThanOrEqual(5_000);
    expect(r.upAfterAnsweringMs).toBeLessThanOrEqual(10_000);
    expect(await notBack(shelters)).toEqual([]);
    console.info(`[recovery] answers again 40 s into the outage → up ${r.upAfterAnsweringMs / 1000} s later (drill time)`);
  }, 120_000);
});
