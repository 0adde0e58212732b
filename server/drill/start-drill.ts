import { VERSION } from '../version.js';
import { createServer } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { createLogger } from '../logger.js';
import type { Clock } from '../../provisioning/platform/clock.js';
import { loadConfig } from '../config.js';
import { startServer, type RunningServer, type StartOptions } from '../start-server.js';
import { createTwilioSimulator, type TwilioSimulator } from './twilio-simulator/index.js';
import type { RemoteSimulator, SimulatorControl } from './twilio-simulator/remote-simulator.js';
import { apiClient, type ApiClient } from './api-client.js';
import { DrillClock } from './drill-clock.js';
import { defaultDrillCarriers, ensureDrillCarriers, type DrillCarrier, type DrillCarrierSpec } from './drill-carriers.js';
import { startSimulatedApiMember, type SimulatedApiMember } from './simulated-api-member.js';
import { createApiMemberControlRouter } from './api-member-control.js';
import { listSnapshotFiles, readSnapshot, replayTimeline, type SnapshotApplied } from './replay.js';
import { DEFAULT_MAINTENANCE_EVERY_MS, scheduleMaintenance } from '../../provisioning/reconcile/worker.js';
import { DAY_MS } from '../../provisioning/platform/clock.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The moment of the timeline's first snapshot, where a drill's calendar starts. */
function firstSnapshotAt(historyDir: string): string {
  const [first] = listSnapshotFiles(historyDir);
  if (!first) throw new Error(`no open_shelter_*.csv snapshots in ${historyDir}`);
  return readSnapshot(first).takenAt;
}
export const NANAO_DATA_DIR = join(HERE, 'data', 'nanao');

/** A clock the drill can move to each snapshot's moment: a DrillClock, or a ManualClock in tests. */
export type DrillTimeSource = Clock & { jumpTo?(at: Date): void; set?(at: Date): void; advance?(ms: number): void; setRate?(rate: number): void };

export interface DrillOptions {
  /** The orchestrator's own data dir (SQLite file, secret key); default ./data/drill. */
  dataDir?: string;
  /** Port of the orchestrator; 0 or unset = a free one. */
  port?: number;
  /** Port of the simulator; unset = the one this data dir used last time (so drill scripts keep working), else a free one. */
  simPort?: number;
  /** Simulated days per real second during replay; 0 = as fast as the jobs complete. */
  speed?: number;
  replay?: boolean;
  /** Replay only the first N days of the timeline. */
  replayDays?: number;
  clock?: DrillTimeSource;
  logger?: Logger;
  carriers?: DrillCarrierSpec[];
  /** Where the Nanao reference list and history/ snapshots are. */
  nanaoDir?: string;
  importShelters?: boolean;
  simulatorLatencyMs?: number;
  /** Each simulated Twilio account's REST concurrency limit (default Twilio's, 100; null: none). */
  simulatorConcurrencyLimit?: number | null;
  onSnapshot?: (s: SnapshotApplied, drill: RunningDrill<SimulatorControl>) => Promise<void> | void;
  /** Passed to startServer (tests shorten leases, deadlines, polling). */
  engine?: Pick<StartOptions, 'runWorker' | 'workerConcurrency' | 'retry' | 'random' | 'leaseMs' | 'workOrderDeadlineMs' | 'workOrderPollMs' | 'maintenanceEveryMs' | 'store'>;
  /** Start the built-in member of the api carrier (default true). */
  apiMember?: boolean;
  /** Orchestrator settings over the environment's (e.g. ORCH_HANDSET_RING_SECONDS for a short ring in a test). */
  env?: Record<string, string>;
}

/**
 * A simulator already running in its own process, instead of one in this process: the drill makes
 * its accounts there and leaves it running at stop(). Its latency and clock are its own, and it has
 * no api-member call routes.
 */
type OnRemoteSimulator = { simulator: RemoteSimulator };

export interface RunningDrill<Sim extends SimulatorControl = TwilioSimulator> {
  url: string;
  boardUrl: string;
  adminToken: string;
  api: ApiClient;
  sim: Sim;
  simUrl: string;
  server: RunningServer;
  carriers: DrillCarrier[];
  member: SimulatedApiMember | null;
  clock: DrillTimeSource;
  /** Replays the Nanao timeline (what --replay runs); resolves with how long it took. */
  replay(opts?: { speed?: number; days?: number; onSnapshot?: (s: SnapshotApplied) => Promise<void> | void }): Promise<{ snapshots: number; seconds: number }>;
  stop(): Promise<void>;
}

/** The drill's example translation: an invented number in the drill's own simulated 0767-52 range, marked as an example. */
export const DRILL_TRANSLATION_EXAMPLE = {
  service: '#7119',
  prefecture: '17',
  number: '0767-52-0199',
  source: 'DRILL EXAMPLE ONLY: an invented number in the drill’s simulated range, not the Ishikawa #7119 centre',
  sourceDate: '2024-01-01',
  example: true,
} as const;

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolvePort(port));
    });
  });
}

/** Where a drill's data dir remembers its simulator's port. */
export const SIM_PORT_FILE = 'simulator-port';

function rememberedSimPort(dataDir: string): number | null {
  try {
    const port = Number(readFileSync(join(dataDir, SIM_PORT_FILE), 'utf8').trim());
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
  } catch {
    return null; // a new data dir
  }
}

/**
 * Starts the simulator on the port asked for (taken: an error), else on the one the data dir
 * remembers (taken by something else meanwhile: a free one).
 */
function listenSimulator(sim: TwilioSimulator, dataDir: string, asked: number | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const remembered = asked ? null : rememberedSimPort(dataDir);
  return sim.listen(asked ?? remembered ?? 0, '127.0.0.1').catch((err: NodeJS.ErrnoException) => {
    if (asked) throw new Error(`--sim-port ${asked}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}`);
    return sim.listen(0, '127.0.0.1');
  });
}

/** The admin token is derived from the data dir's own secret key, so a restart prints the same one. */
function adminTokenFor(secretKey: Buffer): string {
  return createHash('sha256').update(secretKey).update('drill-admin').digest('base64url');
}

/**
 * Drill mode: the Twilio simulator, the orchestrator pointed at it, three simulated members and
 * the Nanao shelters, all on this machine; optionally the 2024 timeline replayed.
 */
export function startDrill(opts?: DrillOptions): Promise<RunningDrill>;
export function startDrill(opts: DrillOptions & OnRemoteSimulator): Promise<RunningDrill<RemoteSimulator>>;
export async function startDrill(opts: DrillOptions & Partial<OnRemoteSimulator> = {}): Promise<RunningDrill<SimulatorControl>> {
  const logger = opts.logger ?? createLogger('warn');
  const nanaoDir = opts.nanaoDir ?? NANAO_DATA_DIR;
  const historyDir = join(resolve(nanaoDir), 'history');
  // The drill's calendar starts where the replay does (2024-01-09), not at today's date.
  const clock: DrillTimeSource = opts.clock ?? new DrillClock({ start: firstSnapshotAt(historyDir) });
  let member: SimulatedApiMember | null = null;
  // The api member's calls sit beside the Twilio members' under /_sim, so a drill can place calls on all three.
  const sim: SimulatorControl = opts.simulator ?? createTwilioSimulator({ now: () => clock.now(), latencyMs: opts.simulatorLatencyMs ?? 0, ...(opts.simulatorConcurrencyLimit !== undefined ? { concurrencyLimit: opts.simulatorConcurrencyLimit } : {}), control: { 'api-member': createApiMemberControlRouter(() => member) } });
  const dataDir = opts.dataDir ?? './data/drill';
  const simServer = opts.simulator ? { url: opts.simulator.url, close: async () => {} } : await listenSimulator(sim as TwilioSimulator, dataDir, opts.simPort);
  const port = opts.port || (await freePort());
  const base = loadConfig({ ...process.env, ...opts.env, ORCH_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ORCH_PUBLIC_URL: `http://127.0.0.1:${port}`, ORCH_STORE: 'sqlite' });
  // Remembered beside the drill's data for its next start.
  if (!opts.simulator) {
    mkdirSync(base.dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(base.dataDir, SIM_PORT_FILE), `${new URL(simServer.url).port}\n`, { mode: 0o600 });
  }
  const adminToken = base.ORCH_ADMIN_TOKEN ?? adminTokenFor(base.secretKey);
  const config = { ...base, ORCH_ADMIN_TOKEN: adminToken };
  let server: RunningServer;
  try {
    const advance = clock.advance?.bind(clock);
    server = await startServer({ config, logger, version: `${VERSION}+drill`, clock, ...(advance ? { drillClock: { advance } } : {}), ...opts.engine });
  } catch (err) {
    await simServer.close();
    throw err;
  }
  const api = apiClient(server.url, adminToken);
  const stop = async () => {
    await member?.stop();
    await server.close();
    await simServer.close();
  };
  try {
    const carriers = await ensureDrillCarriers(api, sim, simServer.url, opts.carriers ?? defaultDrillCarriers());
    const apiCarrier = carriers.find((c) => c.kind === 'api');
    if (apiCarrier?.token && opts.apiMember !== false) {
      member = startSimulatedApiMember({ baseUrl: server.url, carrierId: apiCarrier.id, token: apiCarrier.token, onError: (err) => logger.warn({ err: String(err) }, 'simulated api member') });
    }
    // One labelled example row, so a drill can show a #7119 call translated; never a real centre's number.
    await api.call('PUT', '/api/v1/dial-plan/translations', DRILL_TRANSLATION_EXAMPLE);
    if (opts.importShelters !== false) {
      const { body } = await api.call<{ counts: { rejected: number } }>('POST', '/api/v1/shelters/import', readFileSync(join(nanaoDir, 'reference_data.csv')));
      if (body.counts.rejected) logger.warn({ counts: body.counts }, 'some Nanao shelters were rejected');
    }
    const moveClockTo = (at: Date) => (clock.jumpTo ? clock.jumpTo(at) : at > clock.now() ? clock.set?.(at) : undefined);
    const maintenanceEveryMs = opts.engine?.maintenanceEveryMs ?? DEFAULT_MAINTENANCE_EVERY_MS;
    // At max speed the calendar jumps from snapshot to snapshot: maintenance runs once per jump, on that calendar.
    const settle = async () => {
      await server.deps.worker.drain({ timeoutMs: 120_000 });
      if (await scheduleMaintenance(server.deps.engine, maintenanceEveryMs)) await server.deps.worker.drain({ timeoutMs: 120_000 });
    };
    const replay = async (r: Parameters<RunningDrill<SimulatorControl>['replay']>[0] = {}) => {
      const speed = r.speed ?? opts.speed ?? 0;
      // At N days per second the calendar runs N days per second between snapshots too.
      if (speed > 0 && Number.isFinite(speed)) clock.setRate?.((speed * DAY_MS) / 1000);
      try {
        return await replayTimeline({
          api, historyDir, speed, moveClockTo, settle,
          ...(r.days ?? opts.replayDays) !== undefined ? { days: (r.days ?? opts.replayDays)! } : {},
          onSnapshot: async (s) => {
            await r.onSnapshot?.(s);
            await opts.onSnapshot?.(s, drill);
          },
        });
      } finally {
        clock.setRate?.(1);
      }
    };
    const drill: RunningDrill<SimulatorControl> = {
      url: server.url,
      boardUrl: `${server.url}/`,
      adminToken,
      api, sim, simUrl: simServer.url, server, carriers, member, clock,
      replay,
      stop,
    };
    if (opts.replay) await drill.replay();
    return drill;
  } catch (err) {
    await stop();
    throw err;
  }
}
