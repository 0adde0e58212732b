import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { PhoneNumber } from '../../provisioning/model/index.js';
import { startDrill, type DrillOptions, type RunningDrill } from '../../server/drill/start-drill.js';

/** A drill on a fresh data dir with the worker driven by `drain()`, and quick work-order polling. */
export async function startTestDrill(opts: DrillOptions = {}): Promise<RunningDrill & { dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-drill-'));
  const drill = await startDrill({
    dataDir, speed: 0, logger: pino({ level: 'silent' }), ...opts,
    engine: { runWorker: false, workOrderPollMs: 20, retry: { attempts: 4, baseMs: 5, capMs: 50 }, ...opts.engine },
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
