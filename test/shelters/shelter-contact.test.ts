import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, allDocs, call, mint, registerCarrier, apiCarrierInput, snapshotStore, startApiServer, storeKinds, type ApiServer } from '../support/api-server.js';

const ONE = { id: 'CONTACT-0001', name: '七尾市連絡テスト避難所', municipalityCode: '172022', address: '石川県七尾市袖ケ江町イ部25', lat: 37.043, lon: 136.967, capacity: 120 };

describe.each(storeKinds())('a shelter\'s contact person, notes and last check-in on %s', (kind) => {
  let s: ApiServer;
  let coordinator: { id: string; token: string };
  let viewer: string;
  let carrier: string;

  beforeAll(async () => {
    s = await startApiServer({ store: kind });
    coordinator = await mint(s, 'coordinator');
    viewer = (await mint(s, 'viewer')).token;
    const c = await registerCarrier(s, apiCarrierInput('contact-carrier'));
    carrier = c.token;
    expect((await call(s, 'post', '/api/v1/shelters', { token: coordinator.token, json: ONE })).status).toBe(201);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('stores what a coordinator sets, audits it with actor, before and after, and a viewer reads it', async () => {
    const set = await call(s, 'patch', `/api/v1/shelters/${ONE.id}/contact`, { token: coordinator.token, json: { contactName: '七尾 花子', contactPhone: '090-1234-5678', notes: '発電機あり。\n夜間は体育館入口。' } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ contactName: '七尾 花子', contactPhone: '090-1234-5678', notes: '発電機あり。\n夜間は体育館入口。' });

    const changed = await call(s, 'patch', `/api/v1/shelters/${ONE.id}/contact`, { token: coordinator.token, json: { contactPhone: '0767-52-0100' } });
    expect(changed.body).toMatchObject({ contactName: '七尾 花子', contactPhone: '0767-52-0100' });

    const read = await call(s, 'get', `/api/v1/shelters/${ONE.id}`, { token: viewer });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ contactName: '七尾 花子', contactPhone: '0767-52-0100', notes: '発電機あり。\n夜間は体育館入口。' });

    const events = (await allDocs(s.store, 'audit')).filter((e) => e.action === 'shelter.contact').sort((a, b) => a.id.localeCompare(b.id));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ actor: { id: coordinator.id, role: 'coordinator' }, entity: { collection: 'shelters', id: ONE.id }, before: { contactName: null, contactPhone: null, notes: null }, after: { contactName: '七尾 花子', contactPhone: '090-1234-5678' } });
    // Only what changed is recorded.
    expect(events[1]!.before).toEqual({ contactPhone: '090-1234-5678' });
    expect(events[1]!.after).toEqual({ contactPhone: '0767-52-0100' });
  });

  it('clears a field with an empty string, and writes nothing when nothing changes', async () => {
    const cleared = await call(s, 'patch', `/api/v1/shelters/${ONE.id}/contact`, { token: coordinator.token, json: { notes: '' } });
    expect(cleared.body.notes).toBeNull();
    const before = await snapshotStore(s.store);
    const same = await call(s, 'patch', `/api/v1/shelters/${ONE.id}/contact`, { token: coordinator.token, json: { contactName: '七尾 花子' } });
    expect(same.status).toBe(200);
    expect(await snapshotStore(s.store)).toEqual(before);
  });

  it('records a check-in at the server\'s clock, by whom, and audits it', async () => {
    s.clock.set(new Date(Date.parse(START) + 3_600_000));
    const r = await call(s, 'post', `/api/v1/shelters/${ONE.id}/check-ins`, { token: coordinator.token });
    expect(r.status).toBe(201);
    expect(r.body.lastCheckIn).toEqual({ at: new Date(Date.parse(START) + 3_600_000).toISOString(), by: 'coordinator test' });
    const stored = await s.store.get('shelters', ONE.id);
    expect(stored?.lastCheckIn?.at).toBe(r.body.lastCheckIn.at);
    const events = (await allDocs(s.store, 'audit')).filter((e) => e.action === 'shelter.check-in');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { id: coordinator.id }, entity: { id: ONE.id }, before: { lastCheckIn: null }, after: { lastCheckIn: r.body.lastCheckIn.at } });
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    const before = await snapshotStore(s.store);
    const cases: Array<[unknown, string]> = [
      [{ contactName: 'x'.repeat(101) }, 'body.contactName'],
      [{ contactName: 'a\u0007b' }, 'body.contactName'],
      [{ contactName: '二行\nの名前' }, 'body.contactName'],
      [{ contactPhone: 'call me maybe' }, 'body.contactPhone'],
      [{ notes: 'n'.repeat(2001) }, 'body.notes'],
      [{ notes: 'bell\u0007' }, 'body.notes'],
      [{ lastCheckIn: { at: START, by: 'forged' } }, 'body'],
      [{}, 'body'],
    ];
    for (const [json, path] of cases) {
      const r = await call(s, 'patch', `/api/v1/shelters/${ONE.id}/contact`, { token: coordinator.token, json });
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path).join(' '), JSON.stringify(json)).toContain(path);
    }
    expect((await call(s, 'patch', '/api/v1/shelters/NO-SUCH/contact', { token: coordinator.token, json: { notes: 'x' } })).status).toBe(404);
    expect((await call(s, 'post', '/api/v1/shelters/NO-SUCH/check-ins', { token: coordinator.token })).status).toBe(404);
    expect(await snapshotStore(s.store)).toEqual(before);
  });

  it('lets neither a viewer nor a carrier write (403), and nothing changes', async () => {
    const before = await snapshotStore(s.store);
    for (const token of [viewer, carrier]) {
      expect((await call(s, 'patch', `/api/v1/shelters/${ONE.id}/contact`, { token, json: { notes: 'x' } })).status).toBe(403);
      expect((await call(s, 'post', `/api/v1/shelters/${ONE.id}/check-ins`, { token })).status).toBe(403);
    }
    expect((await call(s, 'get', `/api/v1/shelters/${ONE.id}`, { token: carrier })).status).toBe(403);
    expect(await snapshotStore(s.store)).toEqual(before);
  });
});
