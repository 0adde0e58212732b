import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { seededRandom } from '../../provisioning/platform/random.js';
import { defaultDrillCarriers, simulatorAccountFor } from '../../server/drill/drill-carriers.js';
import { startDrill } from '../../server/drill/start-drill.js';
import { RemoteSimulator } from '../../server/drill/twilio-simulator/remote-simulator.js';
import { DRILL_START } from '../support/drill-fixture.js';

const SHELTER = 'CC0000000504';

/**
 * The simulator in its own process (what the national benchmark runs on, so the carriers' work is
 * not counted as the orchestrator's): a drill sets its accounts up over `/_sim` and the real SDK
 * configures the shelter's numbers there.
 */
describe('a drill on a simulator in its own process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-remote-sim-'));
  const stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens a shelter through it: accounts made over /_sim, the numbers routed by the real SDK, the process ended at stop()', { timeout: 60_000 }, async () => {
    const simulator = await RemoteSimulator.start();
    stops.push(() => simulator.stop());
    expect(simulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const drill = await startDrill({
      dataDir, speed: 0, logger: pino({ level: 'silent' }), clock: new ManualClock(DRILL_START), carriers: defaultDrillCarriers(10).slice(0, 2), simulator,
      engine: { runWorker: false, workOrderPollMs: 20, retry: { attempts: 4, baseMs: 5, capMs: 50 }, random: seededRandom(20240101) },
    });
    stops.push(() => drill.stop());
    expect(drill.simUrl).toBe(simulator.url);

    await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/open`, {});
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const { body: shelter } = await drill.api.call<{ actualStatus: string }>('GET', `/api/v1/shelters/${SHELTER}`);
    expect(shelter.actualStatus).toBe('open');
    const { items: lines } = await drill.server.deps.store.query('numbers', { where: { shelterId: SHELTER }, limit: 10 });
    expect(lines.length).toBeGreaterThan(0);
    // Every line was routed on its carrier's account in the other process.
    for (const line of lines) {
      const log = await simulator.requestLog(simulatorAccountFor(line.carrierId).sid);
      expect(log.some((r) => r.method === 'POST' && r.path.includes('/IncomingPhoneNumbers/') && r.status === 200)).toBe(true);
    }
    expect(await simulator.requestCount()).toBeGreaterThan(0);

    await drill.stop();
    await simulator.stop();
    await expect(fetch(`${simulator.url}/_sim/requests`)).rejects.toThrow();
  });

  it('refuses a bad latency with the process\'s own message, and leaves no process behind', async () => {
    await expect(RemoteSimulator.start({ latencyMs: -1 })).rejects.toThrow('exited (1) before listening: --latency-ms: milliseconds ≥ 0 (got -1)');
  });
});
