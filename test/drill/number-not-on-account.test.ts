import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, Job } from '../../provisioning/model/index.js';
import { startTestDrill, allNumbers } from '../support/drill-fixture.js';

const X = '+81767520301';
const Y = '+81767520302';
const Z = '+81767520303';

let drill: Awaited<ReturnType<typeof startTestDrill>> | null = null;
afterEach(async () => {
  await drill?.dispose();
  drill = null;
});

describe('a lent number that is not on the member’s Twilio account', () => {
  it('fails its line at once (one look-up, no retries), is set aside with an alert naming it and its carrier, and the shelter gets another number', async () => {
    drill = await startTestDrill({ apiMember: false, carriers: [{ id: 'noto-cloud', name: 'Noto Cloud', kind: 'twilio', numbers: [X, Y] }] });
    const { api, sim, server } = drill;
    const account = drill.carriers[0]!.account!.sid;
    const shelter = (await server.deps.store.query('shelters', { limit: 1 })).items[0]!;
    await api.call('POST', `/api/v1/shelters/${shelter.id}/open`, { lines: 2 });
    // The member released X in its own console after lending it; a third number comes in meanwhile.
    sim.releaseNumber(account, X);
    sim.seedNumbers(account, [Z]);
    await api.call('POST', '/api/v1/carriers/noto-cloud/numbers', { numbers: [{ number: Z, emergencyCapable: true }] });
    await server.deps.worker.drain({ timeoutMs: 60_000 });

    const lookups = sim.requestLog(account).filter((r) => r.method === 'GET' && r.path.endsWith('/IncomingPhoneNumbers.json'));
    const numbers = new Map((await allNumbers(drill)).map((n) => [n.e164, n]));
    expect(numbers.get(X)).toMatchObject({ state: 'withdrawn', shelterId: null });
    expect([numbers.get(Y)!.state, numbers.get(Z)!.state]).toEqual(['in_service', 'in_service']);
    expect([numbers.get(Y)!.shelterId, numbers.get(Z)!.shelterId]).toEqual([shelter.id, shelter.id]);
    const job = (await server.deps.store.query('jobs', { where: { shelterId: shelter.id, kind: 'open_shelter' }, limit: 5 })).items[0] as Job;
    expect(job.status).toBe('succeeded');
    expect(job.attempts).toBe(1);
    // X was looked up once per listing, not re-tried twelve times.
    expect(lookups.length).toBeLessThanOrEqual(3);
    const alerts = (await server.deps.store.query('alerts', { where: { kind: 'number_not_on_account' }, limit: 5 })).items as Alert[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'critical', carrierId: 'noto-cloud', shelterId: shelter.id });
    expect(alerts[0]!.message).toContain(X);
    expect(alerts[0]!.message).toContain('noto-cloud');
    expect((await server.deps.store.get('shelters', shelter.id))!.actualStatus).toBe('open');
  });
});
