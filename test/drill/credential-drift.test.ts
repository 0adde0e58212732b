import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Handset, Shelter } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;

/**
 * Issue 27 item 4, the repro as a coordinator sent it: 10 shelters open with a softphone each, then
 * the 10 closes sent together with a drill clock advance, whose maintenance run (the drift check)
 * reads the handsets while the closes delete their credentials. Nothing may come back.
 */
describe('closes that land during a maintenance run (drill over HTTP)', () => {
  let drill: Drill;
  let ids: string[] = [];
  let usernames = new Map<string, string>();
  const twilioAccounts = () => drill.carriers.filter((c) => c.account).map((c) => ({ id: c.id, sid: c.account!.sid }));
  /** Every credential any carrier holds for these shelters: Twilio lists in the simulator, the api member's per its work orders. */
  const credentialsLeft = async () => {
    const left: string[] = [];
    for (const a of twilioAccounts()) {
      for (const l of drill.sim.snapshot(a.sid).credential_lists) {
        const shelterId = l.friendly_name.replace(/^shelter-/, '');
        if (ids.includes(shelterId)) left.push(...(l.usernames.length ? l.usernames.map((u) => `${a.id}:${shelterId}:${u}`) : [`${a.id}:${shelterId}:(empty list)`]));
      }
    }
    const api = await drill.server.deps.engine.carriers.get('ip-phone-net');
    for (const id of ids) left.push(...(await api.listCredentials(id)).map((u) => `ip-phone-net:${id}:${u}`));
    return left;
  };

  beforeAll(async () => {
    drill = await startTestDrill({ carriers: defaultDrillCarriers(30) });
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items.filter((s) => s.areaCodes.includes('0767')).slice(0, 10);
    ids = shelters.map((s) => s.id);
    await drill.api.call('POST', '/api/v1/shelters/open-bulk', { ids, lines: 2 });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    for (const id of ids) {
      const r = await drill.api.call<{ handset: Handset }>('POST', `/api/v1/shelters/${id}/handsets`, { vendor: 'softphone' });
      usernames.set(id, r.body.handset.sipUsername!);
    }
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    expect((await credentialsLeft()).length).toBeGreaterThanOrEqual(10);
  }, 120_000);
  afterAll(async () => drill?.dispose());

  it('re-creates no credential, and leaves none on any carrier once the closes and the maintenance run are done', async () => {
    const before = (await drill.server.deps.store.query('audit', { where: { action: 'drift.repaired' }, limit: 1000 })).items.length;
    // The clock advance queues the maintenance run; the closes are sent with it, all at once.
    await Promise.all([
      drill.api.call('POST', '/api/v1/drill/clock', { advanceDays: 0.01 }),
      ...ids.map((id) => drill.api.call('POST', `/api/v1/shelters/${id}/close`, { reason: 'drill: closes during maintenance' })),
    ]);
    await drill.server.deps.worker.drain({ timeoutMs: 120_000 });
    const repaired = ((await drill.server.deps.store.query('audit', { where: { action: 'drift.repaired' }, limit: 1000 })).items as AuditEvent[]).slice(before);
    const recreated = repaired.filter((e) => e.from === null && [...usernames.values()].includes(String(e.to)));
    expect(recreated.map((e) => `${e.entity.id} ${e.to}: ${e.reason}`), 'credentials of closing shelters put back').toEqual([]);
    expect(await credentialsLeft()).toEqual([]);
    // And a later run finds nothing to do for them.
    await drill.api.call('POST', '/api/v1/drill/clock', { advanceDays: 0.01 });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    expect(await credentialsLeft()).toEqual([]);
  }, 120_000);
});
