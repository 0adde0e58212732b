import { afterEach, describe, expect, it } from 'vitest';
import type { PreflightReport, PublicCarrier } from '../../provisioning/model/index.js';
import { startTestDrill } from '../support/drill-fixture.js';

const X = '+81767520401';
const Y = '+81767520402';

let drill: Awaited<ReturnType<typeof startTestDrill>> | null = null;
afterEach(async () => {
  await drill?.dispose();
  drill = null;
});

const post = (url: string, token: string) => fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } });

describe('POST /api/v1/carriers/:id/preflight', () => {
  it("checks the member's real account and says what to fix, in Japanese and English; the report is kept with the carrier", async () => {
    // Each answer takes half a second: a wave of requests sent together overlaps even on a busy machine.
    drill = await startTestDrill({ apiMember: false, simulatorLatencyMs: 500, carriers: [
      { id: 'noto-cloud', name: 'Noto Cloud', kind: 'twilio', numbers: [X, Y], capacity: { requestsPerSecond: 50, concurrency: 8 } },
      { id: 'kaga-net', name: 'Kaga Net', kind: 'twilio', numbers: ['+81761220001'] },
    ] });
    const [noto, kaga] = drill.carriers;
    drill.sim.setConcurrencyLimit(noto!.account!.sid, 3);
    drill.sim.releaseNumber(noto!.account!.sid, X);
    const before = drill.sim.requestCount(noto!.account!.sid);

    // Another member's token may not run it; the member's own token may.
    expect((await post(`${drill.url}/api/v1/carriers/noto-cloud/preflight`, kaga!.token!)).status).toBe(403);
    const res = await post(`${drill.url}/api/v1/carriers/noto-cloud/preflight`, noto!.token!);
    expect(res.status).toBe(200);
    const report = (await res.json()) as PreflightReport;
    const check = (name: string) => report.checks.find((c) => c.check === name)!;
    expect(report.ok).toBe(false);
    expect(check('credentials').ok).toBe(true);
    expect(check('numbers')).toMatchObject({ ok: false });
    expect(check('numbers').detail).toContain(X);
    expect(check('numbers').fix!.ja).toContain(X);
    expect(check('sip_domain').ok).toBe(true);
    expect(report.measured).toMatchObject({ concurrency: 3, reachedDeclared: false });
    expect(check('limit').ok).toBe(false);
    expect(check('limit').fix!.en).toMatch(/429 at 3 requests at once/);
    expect(check('limit').fix!.ja).toContain('同時 3 件');
    // Bounded: the probe is a few waves, not a load test.
    expect(report.measured.requests).toBeLessThanOrEqual(64);
    expect(drill.sim.requestCount(noto!.account!.sid) - before).toBeLessThan(90);

    const { body } = await drill.api.call<PublicCarrier>('GET', '/api/v1/carriers/noto-cloud');
    expect(body.preflight).toEqual(report);
  });

  it('runs one preflight at a time per carrier: a second one while the first runs is refused (409), a later one runs', async () => {
    drill = await startTestDrill({ apiMember: false, carriers: [{ id: 'noto-cloud', name: 'Noto Cloud', kind: 'twilio', numbers: [X] }] });
    const url = `${drill.url}/api/v1/carriers/noto-cloud/preflight`;
    // Slow answers keep the first one running while the second is asked for; then the account answers at once again.
    drill.sim.setLatency(2000);
    const first = post(url, drill.adminToken);
    await expect.poll(async () => (await drill!.server.deps.store.get('carriers', 'noto-cloud'))?.preflightRunningUntil, { timeout: 15_000 }).toBeTruthy();
    const second = await post(url, drill.carriers[0]!.token!);
    expect(second.status).toBe(409);
    expect(((await second.json()) as { detail: string }).detail).toMatch(/a preflight of carrier noto-cloud is running/);
    drill.sim.setLatency(0);
    expect((await first).status).toBe(200);
    expect((await drill.server.deps.store.get('carriers', 'noto-cloud'))?.preflightRunningUntil).toBeNull();
    expect((await post(url, drill.carriers[0]!.token!)).status).toBe(200);
  });

  it('reports credentials that do not work, and stops there', async () => {
    drill = await startTestDrill({ apiMember: false, carriers: [{ id: 'noto-cloud', name: 'Noto Cloud', kind: 'twilio', numbers: [X] }] });
    await drill.api.call('PATCH', '/api/v1/carriers/noto-cloud', { twilio: { accountSid: drill.carriers[0]!.account!.sid, authToken: 'not-the-token-of-this-account', apiBaseUrl: drill.simUrl } });
    const res = await post(`${drill.url}/api/v1/carriers/noto-cloud/preflight`, drill.adminToken);
    const report = (await res.json()) as PreflightReport;
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => [c.check, c.ok])).toEqual([['credentials', false]]);
    expect(report.checks[0]!.fix!.en).toMatch(/Auth Token/);
  });
});
