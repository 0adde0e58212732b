import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../provisioning/model/index.js';
import { auditEvent } from '../../provisioning/audit/audit-log.js';
import { START, call, mint, snapshotStore, startApiServer, storeKinds, type ApiServer } from '../support/api-server.js';

const at = (minutes: number) => new Date(Date.parse(START) + minutes * 60_000).toISOString();
const shelter = (id: string, name: string) => ({ id, name, municipalityCode: '172022', address: '石川県七尾市', lat: 37.04, lon: 136.96 });

describe.each(storeKinds())('audit log filters on %s', (kind) => {
  let s: ApiServer;
  let a: { id: string; token: string };
  let b: { id: string; token: string };
  const audit = async (query: string) => {
    const r = await call(s, 'get', `/api/v1/audit?${query}`, { token: s.adminToken });
    expect(r.status, query).toBe(200);
    return r.body as { items: AuditEntry[]; nextCursor: string | null };
  };
  const actions = (items: AuditEntry[]) => items.map((e) => `${e.action} ${e.entity.id}`);

  beforeAll(async () => {
    s = await startApiServer({ store: kind });
    a = await mint(s, 'coordinator');
    b = await mint(s, 'coordinator');
    s.clock.set(at(60));
    await call(s, 'post', '/api/v1/shelters', { token: a.token, json: shelter('FLT-1', '七尾第一避難所') });
    s.clock.set(at(120));
    await call(s, 'post', '/api/v1/shelters', { token: b.token, json: shelter('FLT-2', '七尾第二避難所') });
    s.clock.set(at(180));
    await call(s, 'patch', '/api/v1/shelters/FLT-1/contact', { token: a.token, json: { contactName: '七尾 花子' } });
    s.clock.set(at(240));
    await call(s, 'post', '/api/v1/shelters/FLT-1/check-ins', { token: b.token });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('filters by shelter, newest first, naming the shelter instead of its id', async () => {
    const page = await audit('shelterId=FLT-1');
    expect(actions(page.items)).toEqual(['shelter.check-in FLT-1', 'shelter.contact FLT-1', 'shelter.upsert FLT-1']);
    for (const e of page.items) expect(e).toMatchObject({ entityName: '七尾第一避難所', shelterId: 'FLT-1' });
  });

  it('filters by person (the acting token) and by action', async () => {
    expect(actions((await audit(`actor=${a.id}`)).items)).toEqual(['shelter.contact FLT-1', 'shelter.upsert FLT-1']);
    expect((await audit(`actor=${b.id}`)).items.every((e) => e.actor.id === b.id && e.actor.label === 'coordinator test')).toBe(true);
    expect(actions((await audit('action=shelter.upsert')).items)).toEqual(['shelter.upsert FLT-2', 'shelter.upsert FLT-1']);
    // Tokens are named by their label.
    expect((await audit('action=token.mint')).items.map((e) => e.entityName)).toEqual(['coordinator test', 'coordinator test']);
  });

  it('filters by a date range, inclusive at both ends, alone and with other filters', async () => {
    expect(actions((await audit(`from=${at(120)}&to=${at(180)}`)).items)).toEqual(['shelter.contact FLT-1', 'shelter.upsert FLT-2']);
    expect(actions((await audit(`shelterId=FLT-1&from=${at(150)}`)).items)).toEqual(['shelter.check-in FLT-1', 'shelter.contact FLT-1']);
    expect(actions((await audit(`to=${at(119)}&action=shelter.upsert`)).items)).toEqual(['shelter.upsert FLT-1']);
    expect((await audit(`from=${at(241)}`)).items).toEqual([]);
  });

  it('pages a filtered range and stops at its start', async () => {
    const first = await audit(`shelterId=FLT-1&from=${at(100)}&limit=1`);
    expect(actions(first.items)).toEqual(['shelter.check-in FLT-1']);
    const second = await audit(`shelterId=FLT-1&from=${at(100)}&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(actions(second.items)).toEqual(['shelter.contact FLT-1']);
    const third = await audit(`shelterId=FLT-1&from=${at(100)}&limit=1&cursor=${encodeURIComponent(second.nextCursor!)}`);
    expect(third).toEqual({ items: [], nextCursor: null });
  });

  it('finds a grouped allocation row that names the shelter among its related shelters, merged in time order across pages', async () => {
    // One row for numbers given to several shelters at once (commit-allocation): entity is the first, the others are related.
    const grouped = { ...auditEvent({ at: new Date(at(200)), actor: { id: 'system', role: 'system' }, action: 'number.reserved', entity: { collection: 'shelters', id: 'FLT-2' }, to: 'reserved' }), related: ['FLT-1'] };
    await s.store.put('audit', grouped);
    expect(actions((await audit('shelterId=FLT-1')).items)).toEqual(['shelter.check-in FLT-1', 'number.reserved FLT-2', 'shelter.contact FLT-1', 'shelter.upsert FLT-1']);
    expect(actions((await audit('shelterId=FLT-1&action=number.reserved')).items)).toEqual(['number.reserved FLT-2']);
    expect((await audit('shelterId=FLT-1&action=shelter.contact')).items).toHaveLength(1);
    // Page by page, one at a time: the same four, in the same order, then the end.
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 6; i++) {
      const page = await audit(`shelterId=FLT-1&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...actions(page.items));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['shelter.check-in FLT-1', 'number.reserved FLT-2', 'shelter.contact FLT-1', 'shelter.upsert FLT-1']);
    expect(cursor).toBeNull();
    expect((await call(s, 'get', '/api/v1/audit?shelterId=FLT-1&cursor=bogus', { token: s.adminToken })).status).toBe(400);
    await s.store.delete('audit', grouped.id);
  });

  it('refuses bad filters with 400 naming the parameter, and changes nothing', async () => {
    const before = await snapshotStore(s.store);
    const cases: Array<[string, string]> = [
      [`from=${at(200)}&to=${at(100)}`, 'query.from'],
      ['from=yesterday', 'query.from'],
      ['to=2025-13-01', 'query.to'],
      ['shelterId=..%2Fx', 'query.shelterId'],
      ['action=DROP%20TABLE', 'query.action'],
      ['actor=%00', 'query.actor'],
      ['colour=red', 'query'],
    ];
    for (const [query, path] of cases) {
      const r = await call(s, 'get', `/api/v1/audit?${query}`, { token: s.adminToken });
      expect(r.status, query).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path).join(' '), query).toContain(path);
    }
    expect((await call(s, 'get', '/api/v1/audit?shelterId=FLT-1', { token: a.token })).status).toBe(403);
    expect(await snapshotStore(s.store)).toEqual(before);
  });
});
