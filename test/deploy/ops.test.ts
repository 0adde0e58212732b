import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Shelter } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { createServerOps } from '../../server/ops/server-ops.js';
import { startTestDrill } from '../support/drill-fixture.js';
import { openTempSqliteStore, removeTempSqliteStore } from '../support/temp-sqlite-store.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
type LogLine = { msg: string; requestId?: string; jobId?: string; step?: string; path?: string };

/** The value of one sample in Prometheus text format, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('what an operator reads: /metrics, /readyz, request ids in the logs', () => {
  let drill: Drill;
  const logs: LogLine[] = [];

  beforeAll(async () => {
    const [a, b] = defaultDrillCarriers(10);
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
    drill = await startTestDrill({ carriers: [a!, b!], logger });
  }, 60_000);
  afterAll(async () => {
    await drill?.dispose();
  });

  const get = (path: string, token?: string) => fetch(`${drill.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('a job created by a request carries its id, and every log line of that job names it', async () => {
    const shelter = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items.find((s) => s.areaCodes.includes('0767'))!;
    const requestId = 'ops-test-request-0001';
    const res = await fetch(`${drill.url}/api/v1/shelters/${shelter.id}/open`, {
      method: 'POST', headers: { authorization: `Bearer ${drill.adminToken}`, 'content-type': 'application/json', 'x-request-id': requestId }, body: '{}',
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const { job } = (await res.json()) as { job: Job };
    expect(job.requestId).toBe(requestId);
    await drill.server.deps.worker.drain();
    expect((await drill.server.deps.store.get('jobs', job.id))!.status).toBe('succeeded');

    const ofJob = logs.filter((l) => l.jobId === job.id);
    expect(ofJob.map((l) => l.msg)).toEqual(expect.arrayContaining(['job attempt started', 'job step done', 'job finished']));
    expect(ofJob.every((l) => l.requestId === requestId)).toBe(true);
    expect(logs.some((l) => l.msg === 'request' && l.requestId === requestId && l.path === `/api/v1/shelters/${shelter.id}/open`)).toBe(true);
  });

  it('replaces a request id that is not a plain token with a fresh one', async () => {
    const res = await fetch(`${drill.url}/healthz`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('/metrics needs a token and reports jobs, carriers, lines working, WS clients and HTTP in Prometheus format', async () => {
    expect((await get('/metrics')).status).toBe(401);
    const res = await get('/metrics', drill.adminToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'shelter_line_jobs{state="succeeded"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'shelter_line_jobs{state="failed"}')).toBe(0);
    for (const c of ['noto-cloud', 'hokuriku-voice']) {
      expect(sample(text, `shelter_line_carrier_health{carrier="${c}",health="up"}`)).toBe(1);
      expect(sample(text, `shelter_line_carrier_health{carrier="${c}",health="down"}`)).toBe(0);
    }
    const ok = ['noto-cloud', 'hokuriku-voice'].map((c) => sample(text, `shelter_line_carrier_requests_total{carrier="${c}",outcome="ok"}`) ?? 0);
    expect(ok.reduce((x, y) => x + y)).toBeGreaterThan(0);
    expect(text).toContain('shelter_line_carrier_request_duration_seconds_bucket{le="0.01",carrier=');
    const working = ['noto-cloud', 'hokuriku-voice'].map((c) => sample(text, `shelter_line_lines_working{carrier="${c}"}`) ?? 0);
    expect(working.reduce((x, y) => x + y)).toBe(2);
    expect(sample(text, 'shelter_line_ws_clients')).toBe(0);
    expect(sample(text, 'shelter_line_http_requests_total{method="POST",route="/api/v1/shelters/:id/open",status="202"}')).toBe(1);
  });

  it('/readyz answers 200 while the store answers and the engine runs, and 503 once the store is unreachable', async () => {
    const up = await get('/readyz');
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ ready: true, store: 'ok', engine: 'up' });
    await drill.server.deps.store.close();
    const down = await get('/readyz');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ready: false, store: 'unreachable', engine: 'up' });
    expect((await get('/healthz')).status).toBe(200); // liveness stays: restarting would not bring the store back
  });
});

describe('readiness before the engine is up', () => {
  it('is not ready until the engine starts, and again not once it stops', async () => {
    const store = openTempSqliteStore();
    try {
      const ops = createServerOps({ store, wsClients: () => 0 });
      expect(await ops.ready()).toEqual({ ready: false, store: 'ok', engine: 'starting' });
      ops.markEngineUp(true);
      expect(await ops.ready()).toEqual({ ready: true, store: 'ok', engine: 'up' });
      ops.markEngineUp(false);
      expect(await ops.ready()).toEqual({ ready: false, store: 'ok', engine: 'stopping' });
    } finally {
      await removeTempSqliteStore(store);
    }
  });
});
