import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { PhoneNumber } from '../../provisioning/model/index.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { seededRandom } from '../../provisioning/platform/random.js';
import { startDrill, type DrillOptions, type RunningDrill } from '../../server/drill/start-drill.js';

/** The drill's first Nanao snapshot: tests start there, on a clock only they (and drains) move. */
export const DRILL_START = '2024-01-09T09:00:00.000Z';

/**
 * A drill on a fresh data dir with the worker driven by `drain()`, quick work-order polling, a
 * ManualClock (a drain jumps it over backoffs instead of waiting) and a seeded random source.
 */
export async function startTestDrill(opts: DrillOptions = {}): Promise<RunningDrill & { dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-drill-'));
  const drill = await startDrill({
    dataDir, speed: 0, logger: pino({ level: 'silent' }), clock: new ManualClock(DRILL_START), ...opts,
    engine: { runWorker: false, workOrderPollMs: 20, retry: { attempts: 4, baseMs: 5, capMs: 50 }, random: seededRandom(20240101), ...opts.engine },
  });
  return {
    ...drill,
    dispose: async () => {
      await drill.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function allNumbers(drill: RunningDrill): Promise<PhoneNumber[]> {
  return (await drill.server.deps.store.query('numbers', { limit: 10_000 })).items;
}
