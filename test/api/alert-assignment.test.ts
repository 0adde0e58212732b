import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseAlert } from '../../provisioning/alerts/alerts.js';
import type { Alert } from '../../provisioning/model/index.js';
import { allDocs, call, mint, snapshotStore, startApiServer, storeKinds, type ApiServer } from '../support/api-server.js';

describe.each(storeKinds())('assigning an alert to a person on %s', (kind) => {
  let s: ApiServer;
  let coordinator: { id: string; token: string };
  let alert: Alert;

  beforeAll(async () => {
    s = await startApiServer({ store: kind });
    coordinator = await mint(s, 'coordinator');
    alert = await raiseAlert(s.store, s.clock.now(), { severity: 'critical', kind: 'shelter_no_line', shelterId: 'ALR-1', text: { code: 'alert.shelter_no_line', params: { shelter: '七尾第一避難所' } } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('assigns, reassigns and unassigns, each audited with before and after, and the board feed carries it', async () => {
    const r = await call(s, 'put', `/api/v1/alerts/${alert.id}/assignee`, { token: coordinator.token, json: { assignee: '山田 一郎' } });
    expect(r.status).toBe(200);
    expect(r.body.assignee).toEqual({ name: '山田 一郎', at: s.clock.now().toISOString(), by: 'coordinator test' });
    s.clock.advance(60_000);
    await call(s, 'put', `/api/v1/alerts/${alert.id}/assignee`, { token: coordinator.token, json: { assignee: '佐藤 花子' } });
    const listed = (await call(s, 'get', '/api/v1/alerts', { token: coordinator.token })).body.items.find((a: Alert) => a.id === alert.id);
    expect(listed.assignee.name).toBe('佐藤 花子');
    await call(s, 'put', `/api/v1/alerts/${alert.id}/assignee`, { token: coordinator.token, json: { assignee: null } });
    expect((await s.store.get('alerts', alert.id))!.assignee).toBeNull();

    const events = (await allDocs(s.store, 'audit')).filter((e) => e.action === 'alert.assign').sort((a, b) => a.id.localeCompare(b.id));
    expect(events.map((e) => [e.before.assignee, e.after.assignee])).toEqual([[null, '山田 一郎'], ['山田 一郎', '佐藤 花子'], ['佐藤 花子', null]]);
    expect(events[0]).toMatchObject({ actor: { id: coordinator.id }, entity: { collection: 'alerts', id: alert.id }, shelterId: 'ALR-1' });
  });

  it('keeps the assignee when the same alert is raised again', async () => {
    await call(s, 'put', `/api/v1/alerts/${alert.id}/assignee`, { token: coordinator.token, json: { assignee: '山田 一郎' } });
    const again = await raiseAlert(s.store, s.clock.now(), { severity: 'warning', kind: 'shelter_no_line', shelterId: 'ALR-1', text: { code: 'alert.shelter_no_line', params: { shelter: '七尾第一避難所（更新）' } } });
    expect(again.id).toBe(alert.id);
    expect(again.assignee?.name).toBe('山田 一郎');
  });

  it('refuses bad input (400), an unknown alert (404) and a viewer (403), changing nothing', async () => {
    const before = await snapshotStore(s.store);
    for (const json of [{ assignee: 'x'.repeat(101) }, { assignee: '改行\nあり' }, {}, { assignee: '山田', extra: 1 }, { assignee: 42 }]) {
      const r = await call(s, 'put', `/api/v1/alerts/${alert.id}/assignee`, { token: coordinator.token, json });
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(r.body.errors.length).toBeGreaterThan(0);
    }
    expect((await call(s, 'put', '/api/v1/alerts/alr_nope/assignee', { token: coordinator.token, json: { assignee: '山田' } })).status).toBe(404);
    const viewer = await mint(s, 'viewer');
    expect((await call(s, 'put', `/api/v1/alerts/${alert.id}/assignee`, { token: viewer.token, json: { assignee: '山田' } })).status).toBe(403);
    const tokensAfterMint = await snapshotStore(s.store);
    expect({ ...tokensAfterMint, tokens: [], audit: [] }).toEqual({ ...before, tokens: [], audit: [] });
    expect((await snapshotStore(s.store)).alerts).toEqual(before.alerts);
  });
});
