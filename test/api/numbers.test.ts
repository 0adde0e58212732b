import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, apiCarrierInput, call, registerCarrier, snapshotStore, startApiServer, storeKinds, type ApiServer } from '../support/api-server.js';

/** One row per way to be refused, each with the words its reason must contain. */
const BAD_ROWS: { why: string; row: { number: string; emergencyCapable?: boolean }; reason: RegExp }[] = [
  { why: 'malformed', row: { number: '07-67-abc' }, reason: /^malformed/ },
  { why: 'lent by another carrier already', row: { number: '0767-52-4001' }, reason: /already lent by another carrier/ },
  { why: 'an area code no municipality uses (08513, between 隠岐\'s 08512 and 08514)', row: { number: '08513-1-2345' }, reason: /unknown area code 08513/ },
  { why: '050 marked emergency-capable', row: { number: '050-4000-0002', emergencyCapable: true }, reason: /050 numbers cannot carry emergency calls/ },
  { why: 'a mobile number', row: { number: '090-1234-5678' }, reason: /a mobile number cannot be lent/ },
];

describe.each(storeKinds())('lending numbers on %s', (kind) => {
  let s: ApiServer;
  let a: { id: string; token: string };
  let b: { id: string; token: string };
  let noPlan: { id: string; token: string };

  beforeAll(async () => {
    s = await startApiServer({ store: kind });
    a = await registerCarrier(s, apiCarrierInput('lender-a'));
    b = await registerCarrier(s, apiCarrierInput('lender-b'));
    noPlan = await registerCarrier(s, apiCarrierInput('lender-050', { certifications: { etoc: { status: 'certified' }, numberUsePlan: null } }));
    // Carrier B lends this one first.
    const first = await call(s, 'post', `/api/v1/carriers/${b.id}/numbers`, { token: b.token, json: { numbers: [{ number: '0767-52-4001' }] } });
    expect(first.body.accepted).toBe(1);
  });
  afterAll(async () => {
    await s?.close();
  });

  const lendJson = (carrier: { id: string; token: string }, numbers: object[]) =>
    call(s, 'post', `/api/v1/carriers/${carrier.id}/numbers`, { token: carrier.token, json: { numbers } });
  const lendCsv = (carrier: { id: string; token: string }, csv: string) =>
    call(s, 'post', `/api/v1/carriers/${carrier.id}/numbers`, { token: carrier.token, body: csv, contentType: 'text/csv; charset=utf-8' });

  it('accepts good rows as E.164 and rejects each bad row with its reason (JSON)', async () => {
    const good = [{ number: '0767-52-4100' }, { number: '+81 50 4000 0001' }];
    const res = await lendJson(a, [...good, ...BAD_ROWS.map((r) => r.row), { number: '0767524100' }]);
    expect(res.status).toBe(200);
    const [g1, g2, ...rest] = res.body.outcomes;
    expect(g1).toMatchObject({ row: 1, status: 'accepted', e164: '+81767524100', kind: '0ABJ', areaCode: '0767' });
    expect(g2).toMatchObject({ row: 2, status: 'accepted', e164: '+815040000001', kind: '050' });
    BAD_ROWS.forEach((bad, i) => {
      const o = rest[i];
      expect(o.status, bad.why).toBe('rejected');
      expect(o.reasons.join(' | '), bad.why).toMatch(bad.reason);
    });
    // The same number twice in one request: the second is refused.
    expect(rest[BAD_ROWS.length]).toMatchObject({ status: 'rejected', reasons: ['the same number appears twice in this request'] });
    expect(res.body).toMatchObject({ accepted: 2, rejected: BAD_ROWS.length + 1, unchanged: 0 });
    // The number B lent is still B's.
    expect((await s.store.get('numbers', '+81767524001'))?.carrierId).toBe(b.id);
    expect(await s.store.get('numbers', '+819012345678')).toBeNull();
  });

  it('rejects 0AB-J rows of a carrier without the number-use-plan certification', async () => {
    const res = await lendJson(noPlan, [{ number: '0767-52-4200' }, { number: '050-4000-0200' }]);
    expect(res.body.outcomes[0].status).toBe('rejected');
    expect(res.body.outcomes[0].reasons.join(' ')).toMatch(/number-use-plan/);
    expect(res.body.outcomes[1].status).toBe('accepted');
  });

  it('reads text/csv with the same per-row rules', async () => {
    const csv = [
      'number,emergency_capable',
      '0767-52-4300,true',
      '050-4000-0300,',
      '07-67-abc,',
      '0767-52-4001,',
      '08513-1-2345,',
      '050-4000-0301,はい',
      '090-1234-5679,',
      '0767-52-4300,',
    ].join('\r\n');
    const res = await lendCsv(a, '\uFEFF' + csv);
    expect(res.status).toBe(200);
    const statuses = res.body.outcomes.map((o: { status: string }) => o.status);
    expect(statuses).toEqual(['accepted', 'accepted', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    const reasons = res.body.outcomes.slice(2).map((o: { reasons: string[] }) => o.reasons.join(' '));
    expect(reasons[0]).toMatch(/^malformed/);
    expect(reasons[1]).toMatch(/already lent by another carrier/);
    expect(reasons[2]).toMatch(/unknown area code 08513/);
    expect(reasons[3]).toMatch(/emergency/);
    expect(reasons[4]).toMatch(/mobile/);
    expect(reasons[5]).toMatch(/twice/);
    expect(await s.store.get('numbers', '+81767524300')).toMatchObject({ carrierId: a.id, state: 'available', emergencyCapable: true });
  });

  it('refuses a CSV without a number column with a 400 problem', async () => {
    const res = await lendCsv(a, 'phone\n0767-52-4400\n');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/number/);
  });

  it('changes nothing when the same rows are sent again', async () => {
    const rows = [{ number: '0767-52-4500' }, { number: '050-4000-0500' }];
    expect((await lendJson(a, rows)).body.accepted).toBe(2);
    const before = await snapshotStore(s.store);
    s.clock.advance(60_000);
    try {
      const again = await lendJson(a, rows);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ accepted: 0, unchanged: 2, rejected: 0 });
      expect(again.body.outcomes.map((o: { status: string }) => o.status)).toEqual(['unchanged', 'unchanged']);
      // The same rows as CSV are the same rows.
      expect((await lendCsv(a, 'number\n0767-52-4500\n050-4000-0500\n')).body.unchanged).toBe(2);
      expect(await snapshotStore(s.store)).toEqual(before);
    } finally {
      s.clock.set(START);
    }
  });

  it('withdraws a number that is not in service', async () => {
    expect((await lendJson(a, [{ number: '0767-52-4600' }])).body.accepted).toBe(1);
    const res = await call(s, 'delete', `/api/v1/carriers/${a.id}/numbers/${encodeURIComponent('+81767524600')}`, { token: a.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ e164: '+81767524600', state: 'withdrawn' });
    expect((await s.store.get('numbers', '+81767524600'))?.state).toBe('withdrawn');
    // Lending it again brings it back.
    expect((await lendJson(a, [{ number: '0767-52-4600' }])).body.outcomes[0].status).toBe('accepted');
    expect((await s.store.get('numbers', '+81767524600'))?.state).toBe('available');
  });

  it('refuses to withdraw a number in service with 409 and the reason', async () => {
    expect((await lendJson(a, [{ number: '0767-52-4700' }])).body.accepted).toBe(1);
    const n = (await s.store.get('numbers', '+81767524700'))!;
    await s.store.put('numbers', { ...n, state: 'in_service', shelterId: 'CC0000000504', version: n.version + 1 });
    const res = await call(s, 'delete', `/api/v1/carriers/${a.id}/numbers/0767-52-4700`, { token: a.token });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/in_service for shelter CC0000000504/);
    expect((await s.store.get('numbers', '+81767524700'))?.state).toBe('in_service');
  });

  it("answers 404 to withdrawing another carrier's number, and leaves it", async () => {
    const res = await call(s, 'delete', `/api/v1/carriers/${a.id}/numbers/${encodeURIComponent('+81767524001')}`, { token: a.token });
    expect(res.status).toBe(404);
    expect((await s.store.get('numbers', '+81767524001'))).toMatchObject({ carrierId: b.id, state: 'available' });
  });

  it('lists numbers with filters and cursor paging, each once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: { id: string; state: string }[]; nextCursor: string | null } } =
        await call(s, 'get', `/api/v1/numbers?state=available&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: s.adminToken });
      expect(res.status).toBe(200);
      expect(res.body.items.every((n) => n.state === 'available')).toBe(true);
      seen.push(...res.body.items.map((n) => n.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const { items } = await s.store.query('numbers', { where: { state: 'available' }, limit: 1000 });
    expect(seen.sort()).toEqual(items.map((n) => n.id).sort());
    expect(new Set(seen).size).toBe(seen.length);
  });
});
