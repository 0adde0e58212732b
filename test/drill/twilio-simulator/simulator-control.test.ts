import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../provisioning/platform/clock.js';
import { createTwilioSimulator, type TwilioSimulator } from '../../../server/drill/twilio-simulator/index.js';

let clock: ManualClock;
let sim: TwilioSimulator;
let url: string;
let close: () => Promise<void>;

beforeEach(async () => {
  clock = new ManualClock('2024-01-09T00:00:00.000Z');
  sim = createTwilioSimulator({ now: () => clock.now() });
  const server = await sim.listen();
  url = server.url;
  close = server.close;
});
afterEach(async () => {
  await close();
});

const basic = (sid: string, token: string) => `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;
async function api(acct: { sid: string; authToken: string }, path: string, init: RequestInit = {}) {
  const res = await fetch(`${url}/2010-04-01/Accounts/${acct.sid}${path}`, {
    ...init,
    headers: { Authorization: basic(acct.sid, acct.authToken), 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return { status: res.status, body: (res.status === 204 ? null : await res.json()) as Record<string, unknown> };
}
async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}/_sim${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Twilio simulator', () => {
  it('keeps accounts apart: one account cannot read another with its own credentials', async () => {
    const a = sim.createAccount();
    const b = sim.createAccount();
    sim.seedNumbers(a.sid, ['+81767520959']);
    expect((await api(a, '/IncomingPhoneNumbers.json')).body.incoming_phone_numbers).toHaveLength(1);
    const res = await fetch(`${url}/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers.json`, { headers: { Authorization: basic(b.sid, b.authToken) } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 20003, status: 401 });
  });

  it('pages forward with PageToken and back with previous_page_uri, even after an insert', async () => {
    const a = sim.createAccount();
    const e164s = Array.from({ length: 7 }, (_, i) => `+8176752${String(i).padStart(4, '0')}`);
    sim.seedNumbers(a.sid, e164s);
    const first = await api(a, '/IncomingPhoneNumbers.json?PageSize=3');
    const next = String(first.body.next_page_uri).replace(`/2010-04-01/Accounts/${a.sid}`, '');
    const second = await api(a, next);
    const phones = (b: Record<string, unknown>) => (b.incoming_phone_numbers as Array<{ phone_number: string }>).map((n) => n.phone_number);
    expect(phones(second.body)).toEqual(e164s.slice(3, 6));
    expect(second.body).toMatchObject({ page: 1, page_size: 3, start: 3, end: 5 });
    const back = await api(a, String(second.body.previous_page_uri).replace(`/2010-04-01/Accounts/${a.sid}`, ''));
    expect(phones(back.body)).toEqual(e164s.slice(0, 3));
    expect(back.body.previous_page_uri).toBeNull();
  });

  it('filters numbers by PhoneNumber, with * as any digit', async () => {
    const a = sim.createAccount();
    sim.seedNumbers(a.sid, ['+81767520959', '+81767521111', '+81312345678']);
    const exact = await api(a, `/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent('+81767520959')}`);
    expect(exact.body.incoming_phone_numbers).toHaveLength(1);
    const wild = await api(a, `/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent('+8176752****')}`);
    expect(wild.body.incoming_phone_numbers).toHaveLength(2);
  });

  it('refills the rate-limit bucket with simulated time only', async () => {
    const a = sim.createAccount();
    sim.setRateLimit(a.sid, { perSecond: 2, burst: 2 });
    const statuses = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await api(a, '.json')).status);
      return out;
    };
    expect(await statuses(3)).toEqual([200, 200, 429]);
    clock.advance(500);
    expect(await statuses(2)).toEqual([200, 429]);
    expect(sim.requestCount(a.sid)).toBe(5);
    expect(sim.requestLog(a.sid).map((r) => r.status)).toEqual([200, 200, 429, 200, 429]);
    expect(() => sim.setRateLimit(a.sid, { perSecond: 0, burst: 1 })).toThrow(/perSecond/);
  });

  it('keeps SIP domain names unique across accounts (21232)', async () => {
    const a = sim.createAccount();
    const b = sim.createAccount();
    const body = new URLSearchParams({ DomainName: 'shelter-line-x.sip.twilio.com' }).toString();
    expect((await api(a, '/SIP/Domains.json', { method: 'POST', body })).status).toBe(201);
    expect((await api(b, '/SIP/Domains.json', { method: 'POST', body })).body).toMatchObject({ status: 400, code: 21232 });
    const bad = new URLSearchParams({ DomainName: 'example.com' }).toString();
    expect((await api(a, '/SIP/Domains.json', { method: 'POST', body: bad })).body).toMatchObject({ code: 21232 });
  });

  it('answers an unknown path with 20404', async () => {
    const a = sim.createAccount();
    expect((await api(a, '/Calls/Frobnicate.json')).body).toMatchObject({ status: 404, code: 20404 });
  });

  it('is driven over /_sim for drill mode, with clear errors for bad input', async () => {
    const created = await control('POST', '/accounts', { friendlyName: 'drill' });
    expect(created.status).toBe(201);
    const sid = String(created.body.sid);
    expect((await control('POST', `/accounts/${sid}/numbers`, { e164s: ['+81767520959'] })).status).toBe(201);
    expect((await control('PUT', `/accounts/${sid}/outage`, { on: true })).status).toBe(200);
    const acct = { sid, authToken: String(created.body.authToken) };
    expect((await api(acct, '.json')).body).toMatchObject({ status: 503, code: 20503 });
    await control('PUT', `/accounts/${sid}/outage`, { on: false });
    expect((await control('PUT', `/accounts/${sid}/rate-limit`, { limit: { perSecond: 50, burst: 10 } })).status).toBe(200);
    const snap = await control('GET', `/accounts/${sid}/snapshot`);
    expect(snap.body.numbers).toMatchObject([{ phone_number: '+81767520959', voice_url: '' }]);
    expect((await control('GET', `/accounts/${sid}/requests`)).body.count).toBe(1);

    expect(await control('POST', `/accounts/${sid}/numbers`, { e164s: ['0767520959'] })).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/E\.164/) } });
    expect(await control('PUT', '/latency', { ms: -1 })).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/^ms/) } });
    expect((await control('GET', `/accounts/AC${'0'.repeat(32)}/snapshot`)).status).toBe(404);
    expect((await control('POST', '/accounts', { sid: 'AC123' })).body.detail).toMatch(/AC \+ 32 hex/);
  });
});
