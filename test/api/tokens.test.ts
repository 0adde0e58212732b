import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, call, mint, snapshotStore, startApiServer, storeKinds, type ApiServer } from '../support/api-server.js';

describe.each(storeKinds())('named tokens listed for the admin on %s', (kind) => {
  let s: ApiServer;

  beforeAll(async () => {
    s = await startApiServer({ store: kind });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('lists id, label, role, created, last used and revoked, newest first, and never the token or its hash', async () => {
    const desk = await mint(s, 'coordinator');
    s.clock.advance(60_000);
    const wall = await mint(s, 'viewer');
    // The desk token is used once; the wall token never.
    s.clock.advance(120_000);
    const usedAt = s.clock.now().toISOString();
    expect((await call(s, 'get', '/api/v1/shelters', { token: desk.token })).status).toBe(200);
    await expect.poll(async () => (await s.store.get('tokenUses', desk.id))?.lastUsedAt, { timeout: 15_000 }).toBe(usedAt);

    const r = await call(s, 'get', '/api/v1/tokens', { token: s.adminToken });
    expect(r.status).toBe(200);
    const ids = r.body.items.map((t: { id: string }) => t.id);
    expect(ids.indexOf(wall.id)).toBeLessThan(ids.indexOf(desk.id));
    expect(r.body.items.find((t: { id: string }) => t.id === desk.id)).toEqual({
      id: desk.id, label: 'coordinator test', role: 'coordinator', carrierId: null, scope: null, createdAt: START, revokedAt: null, lastUsedAt: usedAt,
    });
    expect(r.body.items.find((t: { id: string }) => t.id === wall.id)).toMatchObject({ role: 'viewer', lastUsedAt: null, revokedAt: null });
    expect(r.text).not.toMatch(/"hash"|"token"/);
    expect(r.text).not.toContain(desk.token);

    const revoked = await call(s, 'delete', `/api/v1/tokens/${wall.id}`, { token: s.adminToken });
    expect(revoked.status).toBe(200);
    const after = await call(s, 'get', '/api/v1/tokens?role=viewer', { token: s.adminToken });
    expect(after.body.items.map((t: { id: string; revokedAt: string | null }) => [t.id, t.revokedAt !== null])).toEqual([[wall.id, true]]);
  });

  it('records a use at most once a minute, never on the token document itself', async () => {
    const t = await mint(s, 'viewer');
    const tokenBefore = await s.store.get('tokens', t.id);
    const first = s.clock.now().toISOString();
    await call(s, 'get', '/api/v1/shelters', { token: t.token });
    await expect.poll(async () => (await s.store.get('tokenUses', t.id))?.lastUsedAt, { timeout: 15_000 }).toBe(first);
    s.clock.advance(30_000);
    await call(s, 'get', '/api/v1/shelters', { token: t.token });
    s.clock.advance(31_000);
    const later = s.clock.now().toISOString();
    await call(s, 'get', '/api/v1/shelters', { token: t.token });
    await expect.poll(async () => (await s.store.get('tokenUses', t.id))?.lastUsedAt, { timeout: 15_000 }).toBe(later);
    expect(await s.store.get('tokens', t.id)).toEqual(tokenBefore);
  });

  it('refuses bad query parameters (400) and every role but admin (403), changing nothing', async () => {
    const before = await snapshotStore(s.store);
    expect((await call(s, 'get', '/api/v1/tokens?role=wizard', { token: s.adminToken })).status).toBe(400);
    expect((await call(s, 'get', '/api/v1/tokens?limit=0', { token: s.adminToken })).status).toBe(400);
    for (const role of ['coordinator', 'viewer', 'authority'] as const) {
      const t = await mint(s, role);
      expect((await call(s, 'get', '/api/v1/tokens', { token: t.token })).status, role).toBe(403);
    }
    const tokens = (await snapshotStore(s.store)).tokens!.length;
    expect(tokens).toBe(before.tokens!.length + 3);
  });

  it('limits a coordinator token to prefectures and municipalities named by code or name, and audits it', async () => {
    const minted = await call(s, 'post', '/api/v1/tokens', {
      token: s.adminToken,
      json: { label: '静岡県災害対策本部', role: 'coordinator', scope: { prefectures: ['静岡県', '23'], municipalities: ['大阪市', '東京都府中市', '17202'] } },
    });
    expect(minted.status).toBe(201);
    expect(minted.body.scope).toEqual({
      prefectures: [{ code: '22', name: '静岡県' }, { code: '23', name: '愛知県' }],
      municipalities: [
        { code: '132063', name: '府中市', prefecture: '東京都' },
        { code: '172022', name: '七尾市', prefecture: '石川県' },
        { code: '271004', name: '大阪市', prefecture: '大阪府' },
      ],
    });
    expect(await s.store.get('tokens', minted.body.id)).toMatchObject({ scope: { prefectures: ['22', '23'], municipalities: ['132063', '172022', '271004'] } });
    const audit = (await snapshotStore(s.store)).audit!.find((e: any) => e.action === 'token.mint' && e.entity.id === minted.body.id) as any;
    expect(audit.after.scope).toEqual({ prefectures: ['22', '23'], municipalities: ['132063', '172022', '271004'] });
    // The board reads its own area from the session.
    const me = await call(s, 'get', '/api/v1/session', { token: minted.body.token });
    expect(me.body).toMatchObject({ role: 'coordinator', label: '静岡県災害対策本部', scope: { prefectures: [{ code: '22', name: '静岡県' }, { code: '23', name: '愛知県' }] } });
    expect((await call(s, 'get', '/api/v1/session', { token: s.adminToken })).body.scope).toBeNull();
  });

  it('refuses a scope naming no place, an ambiguous name or an empty scope, and a scope on admin or authority tokens (400), changing nothing', async () => {
    const before = await snapshotStore(s.store);
    const tries: [Record<string, unknown>, string[]][] = [
      [{ role: 'coordinator', scope: { prefectures: ['静岡', '48'] } }, ['body.scope.prefectures.0', 'body.scope.prefectures.1']],
      [{ role: 'viewer', scope: { municipalities: ['府中市', '172023', '016951', '静岡市役所'] } }, ['body.scope.municipalities.0', 'body.scope.municipalities.1', 'body.scope.municipalities.2', 'body.scope.municipalities.3']],
      [{ role: 'coordinator', scope: {} }, ['body.scope']],
      [{ role: 'admin', scope: { prefectures: ['22'] } }, ['body.scope']],
      [{ role: 'authority', scope: { prefectures: ['22'] } }, ['body.scope']],
    ];
    for (const [body, paths] of tries) {
      const r = await call(s, 'post', '/api/v1/tokens', { token: s.adminToken, json: { label: 'x', ...body } });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toEqual(paths);
    }
    const ambiguous = await call(s, 'post', '/api/v1/tokens', { token: s.adminToken, json: { label: 'x', role: 'viewer', scope: { municipalities: ['府中市'] } } });
    expect(ambiguous.body.detail).toMatch(/names no single municipality: give its code .* or its name after its prefecture/);
    expect(await snapshotStore(s.store)).toEqual(before);
  });
});
