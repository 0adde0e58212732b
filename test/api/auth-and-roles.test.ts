import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../server/routes/index.js';
import type { Role } from '../../provisioning/model/index.js';
import { hashToken } from '../../provisioning/platform/secrets.js';
import { allDocs, apiCarrierInput, call, fillPath, mint, registerCarrier, startApiServer, type ApiServer } from '../support/api-server.js';

const ROLES: Role[] = ['admin', 'coordinator', 'viewer', 'carrier', 'authority'];

/** Routes mounted by their own routers, verified by their own means (Twilio signature, device token). */
const EXTERNAL = [/^\/twilio\//, /^\/p\/:token\/:file$/, /^\/report$/];

let s: ApiServer;
const tokens = {} as Record<Role, string>;
const minted: string[] = [];
let carrierA: { id: string; token: string };
let carrierB: { id: string; token: string };

beforeAll(async () => {
  s = await startApiServer();
  carrierA = await registerCarrier(s, apiCarrierInput('carrier-a'));
  carrierB = await registerCarrier(s, apiCarrierInput('carrier-b'));
  for (const role of ROLES) {
    const t = await mint(s, role, role === 'carrier' ? carrierA.id : undefined);
    tokens[role] = t.token;
    minted.push(t.token);
  }
});
afterAll(async () => {
  await s?.close();
});

const params = () => ({ id: carrierA.id, carrierId: carrierA.id, e164: '+81767520959', token: 'x', file: 'x' });
const roleRoutes = allRoutes().filter((r) => r.access.kind === 'roles');

/** Every (method, path) express will answer, found by walking its router stacks. */
function registeredRoutes(app: unknown): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) for (const m of Object.keys(layer.route.methods)) out.push({ method: m, path: layer.route.path });
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as { router: { stack: any[] } }).router.stack);
  return out;
}

describe('auth and roles', () => {
  it('declares at least one role for every non-public API route', () => {
    expect(roleRoutes.length).toBeGreaterThan(20);
    for (const r of roleRoutes) if (r.access.kind === 'roles') expect(r.access.roles.length, `${r.method} ${r.path}`).toBeGreaterThan(0);
  });

  it('answers 401 to every role-protected route called without a token', async () => {
    for (const r of roleRoutes) {
      const res = await call(s, r.method, fillPath(r.path, params()));
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
      expect(res.headers.get('content-type'), `${r.method} ${r.path}`).toMatch(/application\/problem\+json/);
    }
  });

  it('answers 401 to an unknown bearer token', async () => {
    for (const r of roleRoutes) {
      const res = await call(s, r.method, fillPath(r.path, params()), { token: 'not-a-real-token-but-long-enough' });
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
      // Wrong tokens are throttled per address (test/security/small-items.test.ts): let the window pass.
      s.clock.advance(61_000);
    }
  });

  it('answers 403 to every role-protected route called with a role it does not list', async () => {
    let checked = 0;
    for (const r of roleRoutes) {
      if (r.access.kind !== 'roles') continue;
      for (const role of ROLES.filter((x) => !(r.access as { roles: readonly Role[] }).roles.includes(x))) {
        const res = await call(s, r.method, fillPath(r.path, params()), { token: tokens[role] });
        expect(res.status, `${role} → ${r.method} ${r.path}`).toBe(403);
        expect(res.body?.type, `${role} → ${r.method} ${r.path}`).toMatch(/forbidden/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('lists every route express registered in the route table, or among the known external routers', () => {
    const table = new Set(allRoutes().map((r) => `${r.method} ${r.path}`));
    const missing = registeredRoutes(s.app)
      .filter((r) => !table.has(`${r.method} ${r.path}`))
      .filter((r) => !EXTERNAL.some((re) => re.test(r.path)));
    expect(missing).toEqual([]);
    // And the other way round: every table route is really mounted.
    const mounted = new Set(registeredRoutes(s.app).map((r) => `${r.method} ${r.path}`));
    expect([...table].filter((k) => !mounted.has(k))).toEqual([]);
  });

  it('stores tokens only as hashes: no token text anywhere in the tokens collection', async () => {
    const docs = await allDocs(s.store, 'tokens');
    const text = JSON.stringify(docs);
    for (const t of [s.adminToken, carrierA.token, carrierB.token, ...minted]) {
      expect(text).not.toContain(t);
      expect(docs.some((d) => d.hash === hashToken(t))).toBe(true);
    }
  });

  it('refuses a revoked token with 401', async () => {
    const viewer = await mint(s, 'viewer');
    expect((await call(s, 'get', '/api/v1/shelters', { token: viewer.token })).status).toBe(200);
    const revoke = await call(s, 'delete', `/api/v1/tokens/${viewer.id}`, { token: s.adminToken });
    expect(revoke.status).toBe(200);
    expect(revoke.body.revokedAt).toBeTruthy();
    expect((await call(s, 'get', '/api/v1/shelters', { token: viewer.token })).status).toBe(401);
  });

  it("forbids a carrier token from another carrier's routes", async () => {
    const scoped = allRoutes().filter((r) => r.access.kind === 'roles' && r.access.carrierScoped);
    expect(scoped.length).toBeGreaterThanOrEqual(3);
    for (const r of scoped) {
      const res = await call(s, r.method, fillPath(r.path, { ...params(), id: carrierB.id }), {
        token: carrierA.token, json: { numbers: [{ number: '0767-52-0001' }] },
      });
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
    }
    // Its own carrier's routes are open to it.
    const own = await call(s, 'get', `/api/v1/carriers/${carrierA.id}/work-orders`, { token: carrierA.token });
    expect(own.status).toBe(200);
  });

  it('shows a carrier token only its own numbers, and refuses a filter on another carrier', async () => {
    const a = await call(s, 'post', `/api/v1/carriers/${carrierA.id}/numbers`, { token: carrierA.token, json: { numbers: [{ number: '0767-52-1001' }, { number: '050-1234-5678' }] } });
    expect(a.body.accepted).toBe(2);
    const b = await call(s, 'post', `/api/v1/carriers/${carrierB.id}/numbers`, { token: carrierB.token, json: { numbers: [{ number: '0767-52-2001' }] } });
    expect(b.body.accepted).toBe(1);
    expect((await call(s, 'get', `/api/v1/numbers?carrierId=${carrierB.id}`, { token: carrierA.token })).status).toBe(403);
    for (const q of ['', `?carrierId=${carrierA.id}`, '?state=available']) {
      const res = await call(s, 'get', `/api/v1/numbers${q}`, { token: carrierA.token });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.every((n: { carrierId: string }) => n.carrierId === carrierA.id), q).toBe(true);
    }
    const all = await call(s, 'get', '/api/v1/numbers', { token: tokens.coordinator });
    expect(new Set(all.body.items.map((n: { carrierId: string }) => n.carrierId))).toEqual(new Set([carrierA.id, carrierB.id]));
  });

  it('lets ORCH_ADMIN_TOKEN act as admin from the first start', async () => {
    const me = await call(s, 'get', '/api/v1/session', { token: s.adminToken });
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('admin');
    expect((await call(s, 'get', '/api/v1/audit', { token: s.adminToken })).status).toBe(200);
  });

  it('signs the board in with an httpOnly, SameSite=Strict session cookie that authenticates', async () => {
    const res = await call(s, 'post', '/api/v1/session', { json: { token: tokens.viewer } });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toContain(tokens.viewer);
    const cookie = setCookie.split(';')[0]!;
    const me = await call(s, 'get', '/api/v1/session', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('viewer');
    expect((await call(s, 'get', '/api/v1/shelters', { headers: { cookie } })).status).toBe(200);
    // The cookie carries the viewer's rights, no more.
    expect((await call(s, 'get', '/api/v1/audit', { headers: { cookie } })).status).toBe(403);
    // Signing out ends it.
    expect((await call(s, 'delete', '/api/v1/session', { headers: { cookie, origin: s.url } })).status).toBe(204);
    expect((await call(s, 'get', '/api/v1/session', { headers: { cookie } })).status).toBe(401);
  });

  it('refuses to sign in with an unknown token', async () => {
    const res = await call(s, 'post', '/api/v1/session', { json: { token: 'x'.repeat(43) } });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});
