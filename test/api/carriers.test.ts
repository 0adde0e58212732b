import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../provisioning/platform/secrets.js';
import { DAY_MS } from '../../provisioning/platform/clock.js';
import { SECRET_KEY_HEX, START, allDocs, apiCarrierInput, call, registerCarrier, startApiServer, type ApiServer } from '../support/api-server.js';

const AUTH_TOKEN = 'twilio-auth-token-9f8e7d6c5b4a3210';
const NEW_AUTH_TOKEN = 'rotated-auth-token-0a1b2c3d4e5f6789';
const ACCOUNT_SID = 'AC' + 'c'.repeat(32);
const GRACE_DAYS = 30;
const daysAgo = (d: number) => new Date(Date.parse(START) - d * DAY_MS).toISOString();

let s: ApiServer;
beforeAll(async () => {
  s = await startApiServer({ captureLogs: true, env: { ORCH_ETOC_GRACE_DAYS: String(GRACE_DAYS) } });
});
afterAll(async () => {
  await s?.close();
});

const lend = (carrierId: string, token: string, numbers: string[]) =>
  call(s, 'post', `/api/v1/carriers/${carrierId}/numbers`, { token, json: { numbers: numbers.map((number) => ({ number })) } });

describe('carriers', () => {
  describe('a twilio carrier', () => {
    let registered: { id: string; token: string; body: any };
    beforeAll(async () => {
      registered = await registerCarrier(s, apiCarrierInput('tw-one', {
        kind: 'twilio', contact: { name: 'NOC', email: 'noc@example.jp' },
        twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: 'http://127.0.0.1:9/' },
      }));
    });

    it('is registered with its subaccount SID and answers 201 with its own API token once', async () => {
      expect(registered.body.carrier).toMatchObject({ id: 'tw-one', kind: 'twilio', status: 'active', twilio: { accountSid: ACCOUNT_SID } });
      expect(registered.token.length).toBeGreaterThanOrEqual(43);
      // The token works, and no later read shows it again.
      expect((await call(s, 'get', '/api/v1/carriers/tw-one/work-orders', { token: registered.token })).status).toBe(200);
      const again = await call(s, 'get', '/api/v1/carriers/tw-one', { token: s.adminToken });
      expect(again.status).toBe(200);
      expect(again.text).not.toContain(registered.token);
    });

    it('never returns the auth token', async () => {
      const reads = [
        JSON.stringify(registered.body),
        (await call(s, 'get', '/api/v1/carriers/tw-one', { token: s.adminToken })).text,
        (await call(s, 'get', '/api/v1/carriers', { token: s.adminToken })).text,
        (await call(s, 'get', '/api/v1/audit', { token: s.adminToken })).text,
        (await call(s, 'get', '/api/v1/audit?format=csv', { token: s.adminToken })).text,
      ];
      for (const text of reads) {
        expect(text).not.toContain(AUTH_TOKEN);
        expect(text).not.toContain('authTokenEncrypted');
      }
    });

    it('keeps the auth token encrypted at rest (AES-256-GCM with ORCH_SECRET_KEY)', async () => {
      const doc = (await s.store.get('carriers', 'tw-one'))!;
      expect(doc.twilio!.authTokenEncrypted).not.toContain(AUTH_TOKEN);
      expect(new SecretBox(Buffer.from(SECRET_KEY_HEX, 'hex')).open(doc.twilio!.authTokenEncrypted)).toBe(AUTH_TOKEN);
      expect(() => new SecretBox(Buffer.alloc(32, 7)).open(doc.twilio!.authTokenEncrypted)).toThrow();
    });

    it('re-encrypts a rotated auth token and never returns or logs either one', async () => {
      const res = await call(s, 'patch', '/api/v1/carriers/tw-one', { token: s.adminToken, json: { twilio: { accountSid: ACCOUNT_SID, authToken: NEW_AUTH_TOKEN } } });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(NEW_AUTH_TOKEN);
      const doc = (await s.store.get('carriers', 'tw-one'))!;
      expect(new SecretBox(Buffer.from(SECRET_KEY_HEX, 'hex')).open(doc.twilio!.authTokenEncrypted)).toBe(NEW_AUTH_TOKEN);
    });

    it('never writes the auth token or the carrier token to the logs', () => {
      const logs = s.logs.join('');
      expect(s.logs.length).toBeGreaterThan(0);
      expect(logs).toContain('"path":"/api/v1/carriers"');
      for (const secret of [AUTH_TOKEN, NEW_AUTH_TOKEN, registered.token, s.adminToken]) expect(logs).not.toContain(secret);
    });

    it('refuses a second carrier on the same Twilio account with 409', async () => {
      const res = await call(s, 'post', '/api/v1/carriers', { token: s.adminToken, json: apiCarrierInput('tw-two', { kind: 'twilio', twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN } }) });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    });

    it('refuses a twilio carrier without credentials, naming the field', async () => {
      const res = await call(s, 'post', '/api/v1/carriers', { token: s.adminToken, json: apiCarrierInput('tw-three', { kind: 'twilio' }) });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('body.twilio');
    });
  });

  describe('an api carrier', () => {
    it('is registered without Twilio credentials and pulls its work orders with its token', async () => {
      const c = await registerCarrier(s, apiCarrierInput('api-one', { capacity: { requestsPerSecond: 5, concurrency: 2 } }));
      expect(c.body.carrier).toMatchObject({ kind: 'api', twilio: null, capacity: { requestsPerSecond: 5, concurrency: 2 }, eligibility: { canLend: true, canLend0ABJ: true } });
      const orders = await call(s, 'get', '/api/v1/carriers/api-one/work-orders', { token: c.token });
      expect(orders.status).toBe(200);
      expect(orders.body.items).toEqual([]);
    });

    it('refuses a duplicate id with 409', async () => {
      await registerCarrier(s, apiCarrierInput('api-dup'));
      const res = await call(s, 'post', '/api/v1/carriers', { token: s.adminToken, json: apiCarrierInput('api-dup') });
      expect(res.status).toBe(409);
    });
  });

  describe('certification rules', () => {
    it('rejects every number of a carrier whose ETOC mark has expired', async () => {
      const c = await registerCarrier(s, apiCarrierInput('etoc-expired', { certifications: { etoc: { status: 'certified', validUntil: daysAgo(1) }, numberUsePlan: { id: 'N', validUntil: '2030-01-01T00:00:00.000Z' } } }));
      expect(c.body.carrier.eligibility.canLend).toBe(false);
      const res = await lend(c.id, c.token, ['0767-52-3001', '050-3000-0001']);
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(0);
      for (const o of res.body.outcomes) {
        expect(o.status).toBe('rejected');
        expect(o.reasons.join(' ')).toMatch(/ETOC mark expired/);
      }
    });

    it(`rejects every number of a carrier whose ETOC application is older than ORCH_ETOC_GRACE_DAYS (${GRACE_DAYS})`, async () => {
      const c = await registerCarrier(s, apiCarrierInput('etoc-late', { certifications: { etoc: { status: 'applied', appliedAt: daysAgo(GRACE_DAYS + 1) }, numberUsePlan: null } }));
      const res = await lend(c.id, c.token, ['050-3000-0002']);
      expect(res.body.outcomes[0]).toMatchObject({ status: 'rejected' });
      expect(res.body.outcomes[0].reasons.join(' ')).toMatch(/grace period is over/);
    });

    it('lets a carrier lend while its ETOC application is within the grace period', async () => {
      const c = await registerCarrier(s, apiCarrierInput('etoc-applied', { certifications: { etoc: { status: 'applied', appliedAt: daysAgo(GRACE_DAYS - 1) }, numberUsePlan: null } }));
      const res = await lend(c.id, c.token, ['050-3000-0003']);
      expect(res.body.outcomes[0]).toMatchObject({ status: 'accepted', e164: '+815030000003' });
    });

    it('rejects 0AB-J numbers but accepts 050 from a carrier without a number-use-plan certification', async () => {
      const c = await registerCarrier(s, apiCarrierInput('no-plan', { certifications: { etoc: { status: 'certified', validUntil: '2030-01-01T00:00:00.000Z' }, numberUsePlan: null } }));
      expect(c.body.carrier.eligibility).toMatchObject({ canLend: true, canLend0ABJ: false });
      const res = await lend(c.id, c.token, ['0767-52-3004', '050-3000-0004']);
      expect(res.body.outcomes[0].status).toBe('rejected');
      expect(res.body.outcomes[0].reasons.join(' ')).toMatch(/number-use-plan/);
      expect(res.body.outcomes[1]).toMatchObject({ status: 'accepted', kind: '050' });
      expect(await s.store.get('numbers', '+81767523004')).toBeNull();
    });

    it('freezes lending once a certification expires later (checked at lending time, not only at sign-up)', async () => {
      const c = await registerCarrier(s, apiCarrierInput('expires-soon', { certifications: { etoc: { status: 'certified', validUntil: new Date(Date.parse(START) + DAY_MS).toISOString() }, numberUsePlan: null } }));
      expect((await lend(c.id, c.token, ['050-3000-0005'])).body.accepted).toBe(1);
      s.clock.advance(2 * DAY_MS);
      try {
        expect((await lend(c.id, c.token, ['050-3000-0006'])).body.accepted).toBe(0);
      } finally {
        s.clock.set(START);
      }
    });
  });

  it('lists carriers with cursor paging, each once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await call(s, 'get', `/api/v1/carriers?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: s.adminToken });
      seen.push(...res.body.items.map((c) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const stored = (await allDocs(s.store, 'carriers')).map((c) => c.id);
    expect(seen.sort()).toEqual(stored.sort());
    expect(new Set(seen).size).toBe(seen.length);
  });
});
