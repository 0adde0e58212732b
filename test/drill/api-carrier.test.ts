import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Job } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { allNumbers, startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const API = 'ip-phone-net';

describe('an api-kind carrier served through work orders', () => {
  let drill: Drill;

  beforeAll(async () => {
    // One Twilio member and the api member: every shelter's second line comes from the api member.
    const [twilio, , api] = defaultDrillCarriers(10);
    drill = await startTestDrill({ carriers: [twilio!, api!], engine: { workOrderDeadlineMs: 400 } });
  }, 60_000);
  afterAll(async () => drill?.dispose());

  it('has its work orders served to the member, which completes them, and the line goes into service', async () => {
    await drill.api.call('POST', '/api/v1/shelters/CC0000000504/open', {});
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const line = (await allNumbers(drill)).find((n) => n.shelterId === 'CC0000000504' && n.carrierId === API);
    expect(line?.state).toBe('in_service');
    const routed = drill.member!.completed.find((o) => o.action === 'route_number' && o.params.e164 === line!.e164);
    // A member on its own platform is told where to ask per call (JSON), not a TwiML URL.
    expect(routed?.params).toMatchObject({ callControl: 'json', inboundDecisionUrl: `${drill.url}/api/v1/call-decisions/inbound` });
    const done = await drill.server.deps.store.query('workOrders', { where: { carrierId: API, status: 'done' }, limit: 100 });
    expect(done.items.length).toBeGreaterThan(0);
  }, 60_000);

  it('fails the job step and raises an alert when a work order is not done before its deadline', async () => {
    drill.member!.pause();
    const { body } = await drill.api.call<{ job: Job }>('POST', '/api/v1/shelters/CC0000000505/open', {});
    await drill.server.deps.worker.drain({ timeoutMs: 45_000 }).catch(() => undefined);
    const job = (await drill.server.deps.store.get('jobs', body.job.id))!;
    const failedSteps = job.steps.filter((s) => s.lastError?.includes('deadline'));
    expect(failedSteps.length + job.errors.filter((e) => JSON.stringify(e).includes('deadline')).length).toBeGreaterThan(0);
    const alerts = (await drill.server.deps.store.query('alerts', { limit: 100 })).items as Alert[];
    expect(alerts.some((a) => a.kind === 'work_order_expired' && a.carrierId === API)).toBe(true);
    expect(alerts.find((a) => a.kind === 'work_order_expired')?.text?.code).toBe('alert.work_order_expired');
    const expired = await drill.server.deps.store.query('workOrders', { where: { carrierId: API, status: 'expired' }, limit: 100 });
    expect(expired.items.length).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a work-order report from another carrier and an unknown status', async () => {
    const pending = await drill.server.deps.store.query('workOrders', { where: { carrierId: API }, limit: 1 });
    const order = pending.items[0]!;
    const other = await drill.api.call<{ token: string }>('POST', '/api/v1/tokens', { label: 'other member', role: 'carrier', carrierId: 'noto-cloud' });
    const res = await fetch(`${drill.url}/api/v1/work-orders/${order.id}/result`, { method: 'POST', headers: { authorization: `Bearer ${other.body.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'done' }) });
    expect(res.status).toBe(403);
    const bad = await drill.api.call('POST', `/api/v1/work-orders/${order.id}/result`, { status: 'finished' }, { ok: [400, 422] });
    expect(bad.status).toBeGreaterThanOrEqual(400);
  });
});
