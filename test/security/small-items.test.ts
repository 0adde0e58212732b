import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCarrierInput, call, mint, registerCarrier, startApiServer, type ApiServer } from '../support/api-server.js';
import { Id } from '../../provisioning/model/index.js';
import { parseNumbersCsv } from '../../provisioning/numbers/lending.js';

let s: ApiServer;
beforeAll(async () => {
  s = await startApiServer();
});
afterAll(() => s.close());

describe('auth throttling', () => {
  it('answers 429 with Retry-After after repeated wrong bearer tokens from one address, and lets a right token through', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await call(s, 'get', '/api/v1/shelters', { token: `wrong-token-${'x'.repeat(20)}-${i}` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const last = await call(s, 'get', '/api/v1/shelters', { token: `wrong-token-${'x'.repeat(30)}` });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call(s, 'get', '/api/v1/shelters', { token: s.adminToken })).status).toBe(200);
    s.clock.advance(61_000);
  });

  it('answers 429 with Retry-After after repeated wrong tokens on POST /api/v1/session', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await call(s, 'post', '/api/v1/session', { json: { token: `wrong-session-token-${i}-${'y'.repeat(10)}` } })).status);
    expect(statuses[0]).toBe(401);
    expect(statuses.at(-1)).toBe(429);
    s.clock.advance(61_000);
  });
});

describe('headers', () => {
  it('sends Cache-Control: no-store on replies that carry a token', async () => {
    const minted = await call(s, 'post', '/api/v1/tokens', { token: s.adminToken, json: { label: 'x', role: 'viewer' } });
    expect(minted.status).toBe(201);
    expect(minted.headers.get('cache-control')).toBe('no-store');
    const session = await call(s, 'post', '/api/v1/session', { json: { token: minted.body.token } });
    expect(session.headers.get('cache-control')).toBe('no-store');
    const carrier = await call(s, 'post', '/api/v1/carriers', { token: s.adminToken, json: apiCarrierInput('nostore') });
    expect(carrier.headers.get('cache-control')).toBe('no-store');
  });

  it('sends HSTS when ORCH_PUBLIC_URL is https, and not otherwise', async () => {
    expect((await call(s, 'get', '/healthz')).headers.get('strict-transport-security')).toBeNull();
    const https = await startApiServer({ env: { ORCH_PUBLIC_URL: 'https://line.example.jp' } });
    try {
      expect((await call(https, 'get', '/healthz')).headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
    } finally {
      await https.close();
    }
  });
});

describe('cookie-authenticated mutations', () => {
  it('are refused 403 from another Origin or with none, and change nothing', async () => {
    const session = await call(s, 'post', '/api/v1/session', { json: { token: s.adminToken } });
    const cookie = /__session=[^;]+/.exec(session.headers.get('set-cookie')!)![0];
    const body = { id: 'CC0000009999', name: '偽の避難所', municipalityCode: '172022', address: '石川県七尾市', lat: 37.04, lon: 136.96 };
    for (const origin of ['https://evil.example', null]) {
      const r = await call(s, 'post', '/api/v1/shelters', { json: body, headers: { cookie, ...(origin ? { origin } : {}) } });
      expect(r.status, String(origin)).toBe(403);
    }
    expect((await call(s, 'get', '/api/v1/shelters/CC0000009999', { token: s.adminToken })).status).toBe(404);
    const same = await call(s, 'post', '/api/v1/shelters', { json: body, headers: { cookie, origin: s.url } });
    expect(same.status).toBe(201);
  });
});

describe('tenancy of filters', () => {
  it('refuses ?carrierId=B with A’s token (403) instead of silently answering with A’s numbers', async () => {
    const a = await registerCarrier(s, apiCarrierInput('member-a'));
    await registerCarrier(s, apiCarrierInput('member-b'));
    expect((await call(s, 'get', '/api/v1/numbers?carrierId=member-b', { token: a.token })).status).toBe(403);
    expect((await call(s, 'get', '/api/v1/numbers?carrierId=member-a', { token: a.token })).status).toBe(200);
    expect((await call(s, 'get', '/api/v1/numbers', { token: a.token })).status).toBe(200);
  });
});

describe('the id grammar', () => {
  it.each(['..', '.', '.hidden', '%2e%2e', 'a\u0000b', 'a\ud800b', 'evil\u202eexe', '-x', 'a b', 'a/b', '避難所'])('refuses %j', (id) => {
    expect(Id.safeParse(id).success).toBe(false);
  });
  it.each(['CC0000000504', 'noto-cloud', 'call_CA0123', 'a.b-c_d', 'hs-1'])('accepts %j', (id) => {
    expect(Id.safeParse(id).success).toBe(true);
  });
  it('refuses such an id as a shelter id over the API with 400, creating nothing', async () => {
    const viewer = (await mint(s, 'coordinator')).token;
    const r = await call(s, 'post', '/api/v1/shelters', { token: viewer, json: { id: '..', name: 'x', municipalityCode: '172022', address: 'x', lat: 37, lon: 136.9 } });
    expect(r.status).toBe(400);
  });
});

describe('CSV booleans', () => {
  it('accept true/false/1/0/はい/いいえ and reject the row for anything else', () => {
    const rows = parseNumbersCsv('number,emergency_capable\n0767520001,true\n0767520002,FALSE\n0767520003,1\n0767520004,0\n0767520005,はい\n0767520006,いいえ\n0767520007,maybe\n0767520008,\n');
    expect(rows.map((r) => r.emergencyCapable)).toEqual([true, false, true, false, true, false, undefined, undefined]);
    expect(rows[6]!.invalid).toMatch(/emergency_capable/);
    expect(rows[7]!.invalid).toBeUndefined();
  });

  it('rejects the row over the API, and lends the others', async () => {
    const c = await registerCarrier(s, apiCarrierInput('member-csv'));
    const r = await call(s, 'post', '/api/v1/carriers/member-csv/numbers', { token: c.token, body: 'number,emergency_capable\n0767520011,maybe\n0767520012,true\n', contentType: 'text/csv' });
    expect(r.status).toBe(200);
    expect(r.body.outcomes.map((o: { status: string }) => o.status)).toEqual(['rejected', 'accepted']);
  });
});
