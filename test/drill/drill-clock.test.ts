import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DrillClock } from '../../server/drill/drill-clock.js';
import { startDrill } from '../../server/drill/start-drill.js';
import { DAY_MS } from '../../provisioning/platform/clock.js';
import { call, startApiServer } from '../support/api-server.js';
import { DRILL_START, startTestDrill } from '../support/drill-fixture.js';

describe('the drill clock', () => {
  it('starts at the moment it is given, runs at its rate, and only moves forward', () => {
    let real = Date.parse('2026-12-01T00:00:00.000Z');
    const clock = new DrillClock({ start: DRILL_START, realNow: () => real });
    expect(clock.now().toISOString()).toBe(DRILL_START);
    real += 1000;
    expect(clock.now().getTime()).toBe(Date.parse(DRILL_START) + 1000);
    clock.setRate(DAY_MS / 1000); // one drill day per real second
    real += 2000;
    expect(clock.now().getTime()).toBe(Date.parse(DRILL_START) + 1000 + 2 * DAY_MS);
    const before = clock.now().getTime();
    clock.jumpTo('2024-01-01T00:00:00.000Z'); // the past: nothing moves
    expect(clock.now().getTime()).toBe(before);
    clock.jumpTo('2024-03-01T00:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2024-03-01T00:00:00.000Z');
    clock.advance(DAY_MS);
    expect(clock.now().toISOString()).toBe('2024-03-02T00:00:00.000Z');
    expect(() => clock.advance(-1)).toThrow(/only moves forward/);
    expect(() => clock.setRate(0)).toThrow(/rate > 0/);
    expect(() => clock.jumpTo('not a date')).toThrow(/not a time/);
    expect(clock.now().toISOString()).toBe('2024-03-02T00:00:00.000Z');
  });

  it("starts a drill's calendar at the first snapshot of the replay, not at today's date", { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sl-drill-clock-'));
    const drill = await startDrill({ dataDir, logger: pino({ level: 'silent' }), importShelters: false, apiMember: false, engine: { runWorker: false } });
    try {
      const now = drill.clock.now().toISOString();
      expect(now >= '2024-01-09T00:00:00.000Z' && now < '2024-01-10T00:00:00.000Z', now).toBe(true);
    } finally {
      await drill.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the drill clock during a replay at a chosen speed', () => {
  it('is at each snapshot\'s moment when it is applied, and runs `speed` drill days per real second in between; real time again after', { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sl-drill-speed-'));
    let real = Date.parse('2026-12-01T00:00:00.000Z'); // the machine's date: the drill's calendar ignores it
    const clock = new DrillClock({ start: DRILL_START, realNow: () => real });
    const drill = await startDrill({ dataDir, logger: pino({ level: 'silent' }), clock, importShelters: false, apiMember: false, engine: { runWorker: false } });
    try {
      const seen: Array<{ takenAt: string; now: string; perRealMs: number }> = [];
      await drill.replay({
        speed: 7,
        days: 4,
        onSnapshot: (s) => {
          const now = clock.now().getTime();
          real += 1; // one real millisecond passes
          seen.push({ takenAt: new Date(s.takenAt).toISOString(), now: new Date(now).toISOString(), perRealMs: clock.now().getTime() - now });
        },
      });
      expect(seen.length).toBeGreaterThan(1);
      for (const s of seen) expect(s).toEqual({ takenAt: s.takenAt, now: s.takenAt, perRealMs: (7 * DAY_MS) / 1000 });
      const after = clock.now().getTime();
      real += 1000;
      expect(clock.now().getTime() - after).toBe(1000);
    } finally {
      await drill.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('POST /api/v1/drill/clock (drill only, coordinator)', () => {
  let drill: Awaited<ReturnType<typeof startTestDrill>>;
  afterAll(async () => drill?.dispose());

  it('fast-forwards the drill to show aging end: released numbers settle on the new date; bad input and the wrong role change nothing', { timeout: 120_000 }, async () => {
    drill = await startTestDrill();
    const { store } = drill.server.deps;
    const shelter = 'CC0000000504';
    await drill.api.call('POST', `/api/v1/shelters/${shelter}/open`, {});
    await drill.server.deps.worker.drain();
    await drill.api.call('POST', `/api/v1/shelters/${shelter}/close`, {});
    await drill.server.deps.worker.drain();
    const aging = (await store.query('numbers', { where: { state: 'aging', previousShelterId: shelter }, limit: 10 })).items;
    expect(aging.length).toBeGreaterThan(0);
    const before = drill.clock.now().toISOString();

    const { body: coordinator } = await drill.api.call<{ token: string }>('POST', '/api/v1/tokens', { label: 'drill desk', role: 'coordinator' });
    const { body: viewer } = await drill.api.call<{ token: string }>('POST', '/api/v1/tokens', { label: 'wall', role: 'viewer' });
    const post = (token: string, json: unknown) => call(drill, 'post', '/api/v1/drill/clock', { token, json });
    expect((await post(coordinator.token, { advanceDays: -1 })).status).toBe(400);
    expect((await post(coordinator.token, { advanceDays: 1, extra: true })).status).toBe(400);
    expect((await post(viewer.token, { advanceDays: 91 })).status).toBe(403);
    expect(drill.clock.now().toISOString()).toBe(before);

    const res = await post(coordinator.token, { advanceDays: 91 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ now: new Date(Date.parse(before) + 91 * DAY_MS).toISOString(), maintenanceQueued: true });
    await drill.server.deps.worker.drain();
    for (const n of aging) {
      const now = (await store.get('numbers', n.e164))!;
      // An api member's reset is a work order it answers in its own time; a Twilio number settles in the same run.
      expect(now.state, n.e164).toMatch(n.carrierId === 'ip-phone-net' ? /^(available|aging)$/ : /^available$/);
    }
    const settled = (await store.query('audit', { where: { action: 'number.available' }, limit: 100 })).items;
    expect(settled.length).toBeGreaterThan(0);
    for (const e of settled) expect(e.at >= String((e.before as { agingUntil: string }).agingUntil)).toBe(true);
  });

  it('is not found on a server that is not a drill, which keeps its own clock', async () => {
    const s = await startApiServer();
    try {
      const before = s.clock.now().toISOString();
      const res = await call(s, 'post', '/api/v1/drill/clock', { token: s.adminToken, json: { advanceDays: 30 } });
      expect(res.status).toBe(404);
      expect(s.clock.now().toISOString()).toBe(before);
    } finally {
      await s.close();
    }
  });
});
