import { afterAll, describe, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { firestoreEmulator } from '../support/requirements.js';
import { firestoreInstances } from '../support/firestore-instances.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { allDocs, apiCarrierInput, call, startApiServer } from '../support/api-server.js';
import { sweepExpiredIdempotency } from '../../provisioning/access/idempotency-records.js';

const emulatorHost = firestoreEmulator();

const ADMIN = 'i'.repeat(40);
const instances = firestoreInstances('shelter-line-idem', ADMIN);
afterAll(() => instances.closeAll());

/** One orchestrator instance with its own Firestore client, on a database shared with the other. */
const instance = (prefix: string) => instances.start(prefix, { wsHub: false, clock: new ManualClock('2025-06-01T00:00:00.000Z') });

describe.skipIf(!emulatorHost)('Idempotency-Key across two orchestrators on one Firestore database', () => {
  it('runs 20 concurrent requests with one key once: one token minted, one audit entry', { timeout: 120_000 }, async () => {
    const prefix = `idem${randomBytes(4).toString('hex')}_`;
    const a = await instance(prefix);
    const b = await instance(prefix);
    // Minting has no natural key of its own: only the Idempotency-Key can keep it to one effect.
    const body = { label: 'wall screen of the Nanao HQ', role: 'viewer' };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(i % 2 ? a.server : b.server, 'post', '/api/v1/tokens', { token: ADMIN, json: body, headers: { 'idempotency-key': 'race-1' } })),
    );
    const statuses = results.map((r) => r.status);
    // One ran (201); every other answer is its replay (201) or "still running, retry" (409): never a second effect.
    expect(statuses.every((s) => s === 201 || s === 409), statuses.join(',')).toBe(true);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.token)).size).toBe(1);
    expect((await allDocs(a.store, 'tokens')).filter((t) => t.label === body.label)).toHaveLength(1);
    expect((await allDocs(a.store, 'audit')).filter((e) => e.action === 'token.mint')).toHaveLength(1);
    const late = await call(a.server, 'post', '/api/v1/tokens', { token: ADMIN, json: body, headers: { 'idempotency-key': 'race-1' } });
    expect(late.status).toBe(201);
    expect(late.body.token).toBe(created[0]!.body.token);
  });
});

describe('idempotency records', () => {
  it('hold no secret-bearing body in plaintext, and expire after 24 h (swept on SQLite)', async () => {
    const s = await startApiServer();
    try {
      const r = await call(s, 'post', '/api/v1/carriers', { token: s.adminToken, json: apiCarrierInput('idem-secret'), headers: { 'idempotency-key': 'k-secret' } });
      expect(r.status).toBe(201);
      const records = await allDocs(s.store, 'idempotency');
      expect(records).toHaveLength(1);
      expect(JSON.stringify(records)).not.toContain(r.body.token);
      expect(records[0].expireAt).toBe(new Date(s.clock.now().getTime() + 24 * 3600_000).toISOString());
      const replay = await call(s, 'post', '/api/v1/carriers', { token: s.adminToken, json: apiCarrierInput('idem-secret'), headers: { 'idempotency-key': 'k-secret' } });
      expect(replay.body.token).toBe(r.body.token);

      s.clock.advance(24 * 3600_000 - 1);
      expect(await sweepExpiredIdempotency(s.store, s.clock.now())).toBe(0);
      s.clock.advance(1);
      expect(await sweepExpiredIdempotency(s.store, s.clock.now())).toBe(1);
      expect(await allDocs(s.store, 'idempotency')).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
