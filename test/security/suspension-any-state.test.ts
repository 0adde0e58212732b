import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDocs, call, mint, startApiServer, type ApiServer } from '../support/api-server.js';
import type { Carrier, PhoneNumber } from '../../provisioning/model/index.js';

let server: ApiServer;
let police: string;
const AT = '2025-05-01T00:00:00.000Z';
const WITHDRAWN = '+81767520111';
const IN_SERVICE = '+81767520112';

function number(e164: string, over: Partial<PhoneNumber>): PhoneNumber {
  return {
    id: e164, version: 0, e164, kind: '0ABJ', areaCode: '0767', numberArea: '0767', emergencyCapable: true, carrierId: 'member-x', state: 'available',
    shelterId: null, lentAt: AT, updatedAt: AT, ...over,
  } as PhoneNumber;
}

beforeAll(async () => {
  server = await startApiServer();
  const carrier: Carrier = {
    id: 'member-x', version: 0, name: 'Member X', kind: 'api', certifications: { numberUsePlan: null, etoc: { status: 'certified' } },
    capacity: { requestsPerSecond: 10, concurrency: 4 }, status: 'active', health: 'up', manualDown: false, lendingChain: ['Wholesaler W'], createdAt: AT, updatedAt: AT,
  };
  await server.store.put('carriers', carrier);
  await server.store.putMany('numbers', [number(WITHDRAWN, { state: 'withdrawn' }), number(IN_SERVICE, { state: 'available' })]);
  police = (await mint(server, 'authority')).token;
});
afterAll(() => server.close());

const suspend = (n: string, requestId: string) =>
  call(server, 'post', '/api/v1/suspensions', { token: police, json: { number: n, reason: '特殊詐欺 利用の疑い', requestId } });

describe('an authority’s suspension request never gets a 500', () => {
  it('of a withdrawn number answers 2xx with what was done: not lent by anyone, with the lending history we have', async () => {
    const r = await suspend(WITHDRAWN, 'POLICE-1');
    expect(r.status).toBeLessThan(300);
    expect(r.body).toMatchObject({ outcome: 'not-lent', e164: WITHDRAWN, lastCarrierId: 'member-x', lastCarrierName: 'Member X', lendingChain: ['Wholesaler W', 'Member X'] });
    expect((await allDocs(server.store, 'suspensions')).some((s) => s.e164 === WITHDRAWN && s.outcome === 'not-lent')).toBe(true);
  });

  it('of a number we never had answers 2xx: not lent by anyone, no history', async () => {
    const r = await suspend('+81767529999', 'POLICE-2');
    expect(r.status).toBeLessThan(300);
    expect(r.body).toMatchObject({ outcome: 'not-lent', e164: '+81767529999', lastCarrierId: null });
  });

  it('twice answers 2xx the second time: already suspended, with the first request’s report', async () => {
    const first = await suspend(IN_SERVICE, 'POLICE-3');
    expect(first.status).toBe(201);
    expect(first.body.outcome).toBe('suspended');
    const again = await suspend(IN_SERVICE, 'POLICE-4');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'already-suspended', e164: IN_SERVICE, firstReportId: first.body.id });
  });
});
