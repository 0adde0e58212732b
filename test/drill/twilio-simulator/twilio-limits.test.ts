import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../provisioning/platform/clock.js';
import { createTwilioSimulator, TWILIO_CONCURRENCY_LIMIT } from '../../../server/drill/twilio-simulator/simulator.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function started(opts: Parameters<typeof createTwilioSimulator>[0] = {}) {
  const clock = new ManualClock('2024-01-09T00:00:00.000Z');
  const sim = createTwilioSimulator({ now: () => clock.now(), ...opts });
  const server = await sim.listen();
  closers.push(server.close);
  const acct = sim.createAccount();
  const auth = `Basic ${Buffer.from(`${acct.sid}:${acct.authToken}`).toString('base64')}`;
  const get = (path: string) => fetch(`${server.url}/2010-04-01/Accounts/${acct.sid}${path}`, { headers: { authorization: auth } });
  const post = (path: string, form: Record<string, string>) =>
    fetch(`${server.url}/2010-04-01/Accounts/${acct.sid}${path}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { sim, clock, acct, get, post, server };
}

describe('the simulator holds an account to Twilio’s REST limit', () => {
  it('limits concurrent requests per account by default, as Twilio does', async () => {
    const { sim, acct } = await started();
    expect(sim.concurrency(acct.sid).limit).toBe(TWILIO_CONCURRENCY_LIMIT);
  });

  it('answers 429 with code 20429, Twilio’s error body and Retry-After past the limit, and never answers more than the limit at once', async () => {
    // Each answer takes a second: eight requests sent together overlap even on a busy machine.
    const { sim, acct, get } = await started({ latencyMs: 1000, retryAfterSeconds: 2 });
    sim.setConcurrencyLimit(acct.sid, 3);
    const answers = await Promise.all(Array.from({ length: 8 }, () => get('/IncomingPhoneNumbers.json')));
    const refused = answers.filter((r) => r.status === 429);
    expect(answers.filter((r) => r.status === 200).length + refused.length).toBe(8);
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(refused[0]!.headers.get('retry-after')).toBe('2');
    expect(await refused[0]!.json()).toEqual({ code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 });
    // A refused request leaves at once: the three answered, and one past the limit at a time.
    expect(sim.concurrency(acct.sid)).toMatchObject({ most: 3, mostArrived: 4 });
    // Answered requests free their place: the next ones go through.
    expect((await get('/IncomingPhoneNumbers.json')).status).toBe(200);
  });

  it('refuses a bad limit with a clear error and changes nothing', async () => {
    const { sim, acct } = await started();
    expect(() => sim.setConcurrencyLimit(acct.sid, 0)).toThrow(/whole number ≥ 1/);
    expect(() => createTwilioSimulator({ concurrencyLimit: 2.5 })).toThrow(/whole number ≥ 1/);
    expect(sim.concurrency(acct.sid).limit).toBe(TWILIO_CONCURRENCY_LIMIT);
  });
});

describe('SIP domain names are Twilio’s: unique across accounts, reserved after deletion', () => {
  it('refuses a name another account holds, and a deleted name — to every account — until its reservation ends', async () => {
    const { sim, clock, acct, server } = await started({ domainReservedMs: 60 * 60 * 1000 });
    const other = sim.createAccount();
    const as = (a: { sid: string; authToken: string }) => (method: string, path: string, form?: Record<string, string>) =>
      fetch(`${server.url}/2010-04-01/Accounts/${a.sid}${path}`, {
        method,
        headers: { authorization: `Basic ${Buffer.from(`${a.sid}:${a.authToken}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      });
    const mine = as(acct);
    const theirs = as(other);
    const name = { DomainName: 'shelter-line-kaga.sip.twilio.com' };
    const created = await mine('POST', '/SIP/Domains.json', name);
    expect(created.status).toBe(201);
    const code = async (r: Response) => ((await r.json()) as { code: number }).code;
    const taken = await theirs('POST', '/SIP/Domains.json', name);
    expect(taken.status).toBe(400);
    expect(await code(taken)).toBe(21232);
    const sid = ((await created.json()) as { sid: string }).sid;
    expect((await mine('DELETE', `/SIP/Domains/${sid}.json`)).status).toBe(204);
    // Deleted, but not free: neither account gets it back within the reservation.
    for (const who of [mine, theirs]) expect(await code(await who('POST', '/SIP/Domains.json', name))).toBe(21232);
    clock.advance(60 * 60 * 1000 + 1);
    expect((await theirs('POST', '/SIP/Domains.json', name)).status).toBe(201);
  });
});
