import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDocs, apiCarrierInput, call, mint, registerCarrier, snapshotStore, startApiServer, storeKinds, type ApiServer } from '../support/api-server.js';

describe.each(storeKinds())('dial plan API on %s', (kind) => {
  let s: ApiServer;
  let coordinator: string;
  let viewer: string;
  beforeAll(async () => {
    s = await startApiServer({ store: kind });
    coordinator = (await mint(s, 'coordinator')).token;
    viewer = (await mint(s, 'viewer')).token;
  });
  afterAll(async () => {
    await s?.close();
  });

  const audit = async (action: string) => (await allDocs(s.store, 'audit')).filter((e) => e.action === action);

  describe('carrier special-number capabilities', () => {
    it('are declared at registration', async () => {
      const r = await registerCarrier(s, apiCarrierInput('ntt-like', { specialNumbers: ['171', '#7119'] }));
      expect(r.body.carrier.specialNumbers).toEqual(['171', '#7119']);
      expect((await s.store.get('carriers', 'ntt-like'))!.specialNumbers).toEqual(['171', '#7119']);
    });

    it('are changed later by an admin, audited with who, before, after and why', async () => {
      await registerCarrier(s, apiCarrierInput('cloud-only'));
      const r = await call(s, 'put', '/api/v1/carriers/cloud-only/special-numbers', { token: s.adminToken, json: { specialNumbers: ['189', '171', '188'], reason: 'member confirmed' } });
      expect(r.status).toBe(200);
      expect(r.body.specialNumbers).toEqual(['171', '188', '189']);
      const [event] = await audit('carrier.special_numbers');
      expect(event).toMatchObject({ entity: { id: 'cloud-only' }, actor: { role: 'admin' }, before: { specialNumbers: [] }, after: { specialNumbers: ['171', '188', '189'] }, reason: 'member confirmed' });
    });

    it('may not be changed by a coordinator or the carrier itself', async () => {
      const own = await registerCarrier(s, apiCarrierInput('self-declared'));
      for (const token of [coordinator, own.token]) {
        const r = await call(s, 'put', '/api/v1/carriers/self-declared/special-numbers', { token, json: { specialNumbers: ['171'] } });
        expect(r.status).toBe(403);
      }
      expect((await s.store.get('carriers', 'self-declared'))!.specialNumbers).toEqual([]);
    });

    it('refuse an unknown or repeated special number with the field at fault, changing nothing', async () => {
      const before = await snapshotStore(s.store);
      for (const specialNumbers of [['177'], ['171', '171'], ['＃7119']]) {
        const r = await call(s, 'put', '/api/v1/carriers/cloud-only/special-numbers', { token: s.adminToken, json: { specialNumbers } });
        expect(r.status).toBe(400);
        expect(r.body.errors[0].path).toMatch(/^body\.specialNumbers/);
      }
      expect(await snapshotStore(s.store)).toEqual(before);
      expect((await call(s, 'put', '/api/v1/carriers/nobody/special-numbers', { token: s.adminToken, json: { specialNumbers: [] } })).status).toBe(404);
    });
  });

  describe('the special-number translation table', () => {
    it('ships empty', async () => {
      const r = await call(s, 'get', '/api/v1/dial-plan/translations', { token: coordinator });
      expect(r.status).toBe(200);
      expect(r.body.items).toEqual([]);
    });

    it('is kept by admins: a row with its source and date, replaced, listed by prefecture, removed; each change audited', async () => {
      const row = { service: '#7119', prefecture: '13', number: '03-1234-5678', source: 'test row, not a real centre', sourceDate: '2026-11-30' };
      const put = await call(s, 'put', '/api/v1/dial-plan/translations', { token: s.adminToken, json: row });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ id: '7119-13', service: '#7119', prefecture: '13', e164: '+81312345678', source: row.source, sourceDate: '2026-11-30', example: false });
      const again = await call(s, 'put', '/api/v1/dial-plan/translations', { token: s.adminToken, json: { ...row, sourceDate: '2026-12-01' } });
      expect(again.body).toMatchObject({ id: '7119-13', version: 1, sourceDate: '2026-12-01' });
      expect((await call(s, 'get', '/api/v1/dial-plan/translations?prefecture=13', { token: coordinator })).body.items).toHaveLength(1);
      expect((await call(s, 'get', '/api/v1/dial-plan/translations?prefecture=17', { token: coordinator })).body.items).toHaveLength(0);
      expect(await audit('dial_plan.translation_put')).toHaveLength(2);

      const del = await call(s, 'delete', '/api/v1/dial-plan/translations/7119-13', { token: s.adminToken });
      expect(del.status).toBe(200);
      expect(await s.store.get('specialNumberTranslations', '7119-13')).toBeNull();
      expect(await audit('dial_plan.translation_delete')).toHaveLength(1);
      expect((await call(s, 'delete', '/api/v1/dial-plan/translations/7119-13', { token: s.adminToken })).status).toBe(404);
    });

    it('refuses bad rows with the field at fault, changing nothing', async () => {
      const good = { service: '#8000', prefecture: '17', number: '076-222-0000', source: 'leaflet', sourceDate: '2026-11-30' };
      const before = await snapshotStore(s.store);
      for (const [bad, field] of [
        [{ ...good, number: '0990-123-456' }, 'body.number'],
        [{ ...good, number: '0570-000-000' }, 'body.number'],
        [{ ...good, service: '171' }, 'body.service'],
        [{ ...good, prefecture: '48' }, 'body.prefecture'],
        [{ ...good, sourceDate: 'yesterday' }, 'body.sourceDate'],
        [{ ...good, source: '' }, 'body.source'],
      ] as const) {
        const r = await call(s, 'put', '/api/v1/dial-plan/translations', { token: s.adminToken, json: bad });
        expect(r.status, JSON.stringify(bad)).toBe(400);
        expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
      }
      expect(await snapshotStore(s.store)).toEqual(before);
    });

    it('is read by coordinators and changed only by admins', async () => {
      const row = { service: '#9110', prefecture: '17', number: '076-222-0001', source: 'x', sourceDate: '2026-11-30' };
      expect((await call(s, 'put', '/api/v1/dial-plan/translations', { token: coordinator, json: row })).status).toBe(403);
      expect((await call(s, 'get', '/api/v1/dial-plan/translations', { token: viewer })).status).toBe(403);
      expect(await s.store.get('specialNumberTranslations', '9110-17')).toBeNull();
    });
  });

  describe('0570 settings', () => {
    it('start with no refused prefix, and a coordinator sets the list (normalised, audited)', async () => {
      expect((await call(s, 'get', '/api/v1/dial-plan/navi-dial', { token: coordinator })).body.naviDialRefusedPrefixes).toEqual([]);
      const r = await call(s, 'put', '/api/v1/dial-plan/navi-dial', { token: coordinator, json: { refusedPrefixes: ['0570-000', '０５７０－９９', '0570000'] } });
      expect(r.status).toBe(200);
      expect(r.body.naviDialRefusedPrefixes).toEqual(['0570000', '057099']);
      expect((await audit('dial_plan.navi_dial_prefixes'))[0]).toMatchObject({ actor: { role: 'coordinator' }, before: { refusedPrefixes: [] }, after: { refusedPrefixes: ['0570000', '057099'] } });
    });

    it('refuse a prefix that is not 0570 with the item at fault, changing nothing; a viewer may not change them', async () => {
      const before = await snapshotStore(s.store);
      const r = await call(s, 'put', '/api/v1/dial-plan/navi-dial', { token: coordinator, json: { refusedPrefixes: ['0570-1', '0990'] } });
      expect(r.status).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.refusedPrefixes.1']);
      expect((await call(s, 'put', '/api/v1/dial-plan/navi-dial', { token: viewer, json: { refusedPrefixes: [] } })).status).toBe(403);
      expect(await snapshotStore(s.store)).toEqual(before);
    });
  });
});
