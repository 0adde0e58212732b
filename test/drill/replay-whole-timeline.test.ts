import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEvent, PhoneNumber } from '../../provisioning/model/index.js';
import { newJob, PRIORITY } from '../../provisioning/jobs/job-queue.js';
import { allNumbers, DRILL_START, startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const JUNE = '2024-06-01T00:00:00.000Z';

describe('the whole 2024 Nanao timeline at max speed, in drill time', () => {
  let drill: Drill;
  afterAll(async () => drill?.dispose());

  it('ends with every number released before 2024-06-01 available again, none settled before its aging ended, and no credential of a closed shelter on any carrier', { timeout: 600_000 }, async () => {
    drill = await startTestDrill();
    const taken: string[] = [];
    const started = performance.now();
    let softphones = 0;
    const result = await drill.replay({
      speed: 0,
      onSnapshot: async (s) => {
        taken.push(s.takenAt);
        // Every shelter that opens gets a softphone, as staff would plug one in.
        for (const id of s.opened) {
          const r = await drill.api.call('POST', `/api/v1/shelters/${id}/handsets`, { vendor: 'softphone' }, { ok: [201, 409] });
          if (r.status === 201) softphones++;
        }
        // A maintenance run queued now runs beside the next snapshot's closes, as a worker's minute would.
        await drill.server.deps.store.put('jobs', newJob('drift_repair', drill.clock.now(), { type: 'network' }, { priority: PRIORITY.drift, requestedBy: 'test: maintenance beside the closes' }));
      },
    });
    const seconds = (performance.now() - started) / 1000;
    console.info(`[whole timeline] ${result.snapshots} snapshots replayed in ${seconds.toFixed(1)} s at max speed`);
    expect(result.snapshots).toBe(118);
    expect(taken[0]!.slice(0, 10)).toBe(DRILL_START.slice(0, 10));
    // The clock followed the replay: it is at the last snapshot's moment (2024), not today.
    expect(drill.clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse(taken.at(-1)!));
    expect(drill.clock.now().toISOString() < '2024-09-03').toBe(true);

    const { store } = drill.server.deps;
    const audit: AuditEvent[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: AuditEvent[]; nextCursor: string | null } = await store.query('audit', { orderBy: { field: 'at' }, limit: 1000, cursor });
      audit.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(audit.every((e) => e.at < '2024-09-03'), 'every audit entry is dated in drill time').toBe(true);
    const ofNumbers = audit.filter((e) => e.entity.collection === 'numbers');

    const byNumber = new Map<string, AuditEvent[]>();
    for (const e of ofNumbers) byNumber.set(e.entity.id, [...(byNumber.get(e.entity.id) ?? []), e]);
    const settledEarly = ofNumbers.filter((e) => e.from === 'aging' && e.to === 'available' && e.at < String((e.before as { agingUntil?: string } | null)?.agingUntil));
    expect(settledEarly, 'settled before their aging ended').toEqual([]);

    const releases = ofNumbers.filter((e) => e.to === 'aging' && e.at < JUNE);
    expect(releases.length).toBeGreaterThan(20);
    const numbers = new Map((await allNumbers(drill)).map((n) => [n.e164, n] as [string, PhoneNumber]));
    const stuck: string[] = [];
    for (const r of releases) {
      const after = byNumber.get(r.entity.id)!.filter((e) => e.at >= r.at && e.id !== r.id);
      const next = after.find((e) => e.from === 'aging');
      // Either its own shelter reclaimed it while it aged, or it settled once its aging was over.
      if (!next) stuck.push(`${r.entity.id} released ${r.at}, now ${numbers.get(r.entity.id)?.state}`);
      else if (next.to === 'available') expect(next.at >= String((r.after as { agingUntil: string }).agingUntil), r.entity.id).toBe(true);
    }
    expect(stuck, 'released before June and never settled').toEqual([]);
    // No closed shelter left a credential on any carrier: Twilio members' lists, the api member's done or asked creates.
    await drill.server.deps.worker.drain({ timeoutMs: 120_000 });
    const shelters = new Map((await store.query('shelters', { limit: 1000 })).items.map((sh) => [sh.id, sh]));
    const closed = (id: string) => shelters.get(id)?.desiredStatus !== 'open';
    const left: string[] = [];
    for (const c of drill.carriers) {
      if (c.account) {
        for (const l of drill.sim.snapshot(c.account.sid).credential_lists) {
          const id = l.friendly_name.replace(/^shelter-/, '');
          if (closed(id)) left.push(`${c.id}:${id}:${l.usernames.join(' ') || '(empty list)'}`);
        }
      } else {
        const adapter = await drill.server.deps.engine.carriers.get(c.id);
        for (const id of await adapter.credentialShelters()) if (closed(id)) left.push(`${c.id}:${id}:${(await adapter.listCredentials(id)).join(' ')}`);
      }
    }
    expect(softphones).toBeGreaterThan(20);
    expect(left, 'credentials of closed shelters still on a carrier').toEqual([]);
    const stillAging = [...numbers.values()].filter((n) => n.state === 'aging' && n.agingUntil! < drill.clock.now().toISOString());
    console.info(`[whole timeline] ${softphones} softphones registered, 0 credentials of closed shelters left; ${releases.length} releases before June; ${ofNumbers.filter((e) => e.from === 'aging' && e.to === 'available').length} settlements; ${stillAging.length} numbers past their aging still aging at the end`);
  });
});
