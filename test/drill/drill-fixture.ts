import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { PhoneNumber } from '../../provisioning/model/index.js';
import type { ManualClock } from '../../provisioning/platform/clock.js';
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

/**
 * Runs the worker until no job is left, moving a ManualClock to each backoff's end instead of
 * waiting for it (a frozen clock never reaches a retry on its own). Bounded by rounds, not by time.
 */
export async function settleWithClock(drill: RunningDrill, clock: ManualClock, maxRounds = 200): Promise<void> {
  const { store, worker } = drill.server.deps;
  for (let round = 0; round < maxRounds; round++) {
    await worker.drain({ timeoutMs: 50 }).catch(() => undefined);
    const [queued, running] = await Promise.all([
      store.query('jobs', { where: { status: 'queued' }, limit: 500 }),
      store.query('jobs', { where: { status: 'running' }, limit: 1 }),
    ]);
    if (queued.items.length === 0 && running.items.length === 0) return;
    const next = Math.min(...queued.items.map((j) => Date.parse(j.runAfter)));
    if (Number.isFinite(next) && next > clock.now().getTime()) clock.set(new Date(next));
    // A member on its own platform answers work orders over real HTTP: give its poll a turn.
    else await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`jobs did not settle in ${maxRounds} rounds`);
}
