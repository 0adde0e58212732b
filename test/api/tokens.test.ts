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
      id: desk.id, label: 'coordinator test', role: 'coordinator', carrierId: null, createdAt: START, revokedAt: null, lastUsedAt: usedAt,
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
});
