import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDocs, apiCarrierInput, call, mint, registerCarrier, startApiServer, storeKinds, type ApiServer } from '../support/api-server.js';

describe.each(storeKinds())('Idempotency-Key on %s', (kind) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer({ store: kind });
  });
  afterAll(async () => {
    await s?.close();
  });

  const register = (key: string, body: object, token = s.adminToken) =>
    call(s, 'post', '/api/v1/carriers', { token, json: body, headers: { 'idempotency-key': key } });
  const auditOf = async (action: string) => (await allDocs(s.store, 'audit')).filter((e) => e.action === action);

  it('returns the first answer to the same key and body, with one effect', async () => {
    const body = apiCarrierInput('idem-one');
    const first = await register('key-1', body);
    expect(first.status).toBe(201);
    const second = await register('key-1', body);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    // One carrier, one registration event, one carrier token: the replay did nothing.
    expect((await allDocs(s.store, 'carriers')).filter((c) => c.id === 'idem-one')).toHaveLength(1);
    expect((await auditOf('carrier.register')).filter((e) => e.entity.id === 'idem-one')).toHaveLength(1);
    expect((await allDocs(s.store, 'tokens')).filter((t) => t.carrierId === 'idem-one')).toHaveLength(1);
  });

  it('refuses the same key with a different body with 422, and does nothing', async () => {
    await register('key-2', apiCarrierInput('idem-two'));
    const carriers = (await allDocs(s.store, 'carriers')).length;
    const res = await register('key-2', apiCarrierInput('idem-other'));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.type).toMatch(/idempotency-key-reused$/);
    expect((await allDocs(s.store, 'carriers')).length).toBe(carriers);
    expect(await s.store.get('carriers', 'idem-other')).toBeNull();
  });

  it('without a key, a repeat is a new request (here: 409, the carrier exists)', async () => {
    const body = apiCarrierInput('idem-three');
    expect((await call(s, 'post', '/api/v1/carriers', { token: s.adminToken, json: body })).status).toBe(201);
    expect((await call(s, 'post', '/api/v1/carriers', { token: s.adminToken, json: body })).status).toBe(409);
  });

  it('keeps keys per caller: another token may use the same key for its own request', async () => {
    const otherAdmin = await mint(s, 'admin');
    await register('shared-key', apiCarrierInput('idem-four'));
    const res = await register('shared-key', apiCarrierInput('idem-five'), otherAdmin.token);
    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(await s.store.get('carriers', 'idem-five')).not.toBeNull();
  });

  it('replays a lending report without lending again', async () => {
    const c = await registerCarrier(s, apiCarrierInput('idem-lender'));
    const lend = () => call(s, 'post', `/api/v1/carriers/${c.id}/numbers`, { token: c.token, json: { numbers: [{ number: '0767-52-6001' }] }, headers: { 'idempotency-key': 'lend-1' } });
    const first = await lend();
    expect(first.body.accepted).toBe(1);
    const second = await lend();
    expect(second.body).toEqual(first.body);
    expect((await auditOf('number.lend')).filter((e) => e.entity.id === '+81767526001')).toHaveLength(1);
  });
});
