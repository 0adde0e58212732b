import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApiServer, type ApiServer } from '../support/api-server.js';

/** Fifteen wrong bearer tokens, each from the address the header claims. */
async function wrongTokens(s: ApiServer, forwardedFor: (i: number) => string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 15; i++) {
    statuses.push((await call(s, 'get', '/api/v1/shelters', { token: `wrong-token-${'x'.repeat(20)}-${i}`, headers: { 'x-forwarded-for': forwardedFor(i) } })).status);
  }
  return statuses;
}

describe('the client address behind a proxy (ORCH_TRUST_PROXY)', () => {
  describe('reached directly (the default, 0)', () => {
    let s: ApiServer;
    beforeAll(async () => {
      s = await startApiServer();
    });
    afterAll(() => s.close());

    it('ignores X-Forwarded-For: a caller cannot dodge the per-address limit by inventing addresses', async () => {
      const statuses = await wrongTokens(s, (i) => `198.51.100.${i + 1}`);
      expect(statuses.at(-1)).toBe(429);
    });
  });

  describe('behind one proxy (1)', () => {
    let s: ApiServer;
    beforeAll(async () => {
      s = await startApiServer({ env: { ORCH_TRUST_PROXY: '1' } });
    });
    afterAll(() => s.close());

    it('limits each client by the address its proxy saw, so one client\'s wrong tokens do not lock out another', async () => {
      // What a client writes before the proxy's entry is not believed: the last entry is the proxy's view.
      const statuses = await wrongTokens(s, (i) => `10.9.9.${i}, 203.0.113.7`);
      expect(statuses.at(-1)).toBe(429);
      const other = await call(s, 'get', '/api/v1/shelters', { token: `wrong-token-${'y'.repeat(20)}`, headers: { 'x-forwarded-for': '203.0.113.8' } });
      expect(other.status).toBe(401);
      const right = await call(s, 'get', '/api/v1/shelters', { token: s.adminToken, headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(right.status).toBe(200);
    });
  });

  it('refuses a hop count that is not a small whole number, naming the setting', async () => {
    await expect(startApiServer({ env: { ORCH_TRUST_PROXY: 'yes' } })).rejects.toThrow(/ORCH_TRUST_PROXY/);
  });
});
