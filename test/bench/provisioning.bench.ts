import { round } from './bench-support.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type { Shelter } from '../../provisioning/model/index.js';
import { startDrill } from '../../server/drill/start-drill.js';
import { randomUUID } from 'node:crypto';
import { FirestoreStore } from '../../provisioning/store/firestore/firestore-store.js';
import type { Store } from '../../provisioning/store/store.js';
import { SKIP_LINE, acquireEmulator, resetFirestore } from '../support/firestore-emulator.js';
import type { DrillCarrierSpec } from '../../server/drill/drill-carriers.js';

const SHELTERS = Number(process.env.BENCH_PROV_SHELTERS ?? 1000);
const FIRESTORE_SHELTERS = Number(process.env.BENCH_PROV_FIRESTORE_SHELTERS ?? 1000);
const CARRIERS = 6;
const LIMIT = 50; // requests per second, per carrier
const LATENCY_MS = 30;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Six Twilio members, each lending 0767 and 050 numbers: enough for every shelter's two lines. */
function carriers(shelters: number): DrillCarrierSpec[] {
  const each = Math.ceil((shelters * 2) / CARRIERS) + 20;
  return Array.from({ length: CARRIERS }, (_, i) => ({
    id: `bench-${i + 1}`, name: `Bench member ${i + 1}`, kind: 'twilio' as const,
    capacity: { requestsPerSecond: LIMIT, concurrency: 16 },
    numbers: Array.from({ length: each }, (_, j) => (j % 2 ? `+81503${i + 1}${pad(j, 6)}` : `+817675${i + 1}${pad(j, 4)}`)),
  }));
}

function shelter(n: number, at: string): Shelter {
  return {
    id: `BENCH${pad(n, 6)}`, version: 0, name: `ベンチ避難所 ${n}`, municipalityCode: '172022', address: '石川県七尾市', lat: 37.04, lon: 136.96,
    capacity: 100, evacuees: null, areaCodes: ['0767'], desiredStatus: 'closed', actualStatus: 'closed', lines: 2, shortCode: null,
    currentJobId: null, service: null, replacementLines: [], lastPrint: null, noEmergencyLine: false, openedAt: null, closedAt: null, createdAt: at, updatedAt: at,
  };
}

/**
 * Opens 1,000 shelters over 6 simulated carriers limited to 50 req/s with 30 ms latency: how close
 * do we get to the limits? On SQLite, and on the Firestore emulator where it is installed (there
 * the figures to read are plan+commit and the RPCs per shelter: the emulator is far slower than
 * production Firestore). See `run` for when the worker starts.
 */
export default async function bench(): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
  for (const [k, v] of Object.entries(await run('sqlite', SHELTERS))) results[`sqlite.${k}`] = v;
  const emulator = await acquireEmulator();
  try {
    if (emulator.host) {
      const projectId = `bench-prov-${randomUUID().slice(0, 8)}`;
      const store = new FirestoreStore({ projectId });
      const rpcs = countRpcs(store);
      for (const [k, v] of Object.entries(await run('firestore', FIRESTORE_SHELTERS, store, rpcs))) results[`firestore.${k}`] = v;
      await resetFirestore(projectId);
    } else console.log(`provisioning (firestore): ${SKIP_LINE}`);
  } finally {
    await emulator.release();
  }
  return results;
}

/** Counts the client's RPCs by method (its two private entry points every call goes through): the emulator's speed is not production's, its RPC count is. */
function countRpcs(store: FirestoreStore): Map<string, number> {
  const counts = new Map<string, number>();
  const client = store.db as unknown as Record<'request' | 'requestStream', (method: string, ...rest: unknown[]) => unknown>;
  for (const entry of ['request', 'requestStream'] as const) {
    const original = client[entry].bind(client);
    client[entry] = (method: string, ...rest: unknown[]) => {
      counts.set(method, (counts.get(method) ?? 0) + 1);
      return original(method, ...rest);
    };
  }
  return counts;
}

/**
 * On SQLite the worker runs from the start, as in production: carrier work begins while the opening
 * is still being committed. On the emulator, `rpcs` given, it starts once open-bulk has returned, so
 * plan+commit is timed and its RPCs counted alone: with the worker running, the one emulator also
 * serves the worker's ~35 RPCs a shelter, and the plan+commit time measures that queue, not ours.
 */
async function run(label: string, shelters: number, store?: Store, rpcs?: Map<string, number>): Promise<Record<string, number>> {
  const pipelined = rpcs === undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-prov-'));
  const drill = await startDrill({
    dataDir, logger: pino({ level: 'silent' }), carriers: carriers(shelters), importShelters: false, apiMember: false, simulatorLatencyMs: LATENCY_MS,
    engine: { runWorker: pipelined, workerConcurrency: 256, maintenanceEveryMs: 3_600_000, ...(store ? { store } : {}) },
  });
  try {
    const { store } = drill.server.deps;
    const at = drill.clock.now().toISOString();
    const ids: string[] = [];
    for (let n = 0; n < shelters; n++) {
      const s = shelter(n, at);
      await store.put('shelters', s);
      ids.push(s.id);
    }
    const accounts = drill.carriers.map((c) => c.account!.sid);
    for (const sid of accounts) drill.sim.setRateLimit(sid, { perSecond: LIMIT, burst: LIMIT });
    const before = drill.sim.requestCount();
    rpcs?.clear();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const opened = await drill.api.call<{ results: Array<{ shelterId: string; error?: string }> }>('POST', '/api/v1/shelters/open-bulk', { ids });
    const refused = opened.body.results.filter((r) => r.error);
    if (refused.length > 0) throw new Error(`open-bulk refused ${refused.length} shelters, e.g. ${refused[0]!.shelterId}: ${refused[0]!.error}`);
    const planned = (performance.now() - t0) / 1000;
    const planRpcs = [...(rpcs ?? new Map<string, number>())];
    if (!pipelined) drill.server.deps.worker.start();
    await drill.server.deps.worker.drain({ timeoutMs: 600_000 });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // Orchestrator and simulated carriers share this process: near 1 core, the run was bound by CPU, not by the carriers' limits.
    const coresBusy = (cpu.user + cpu.system) / 1e6 / seconds;
    // The carriers' busy window: from their first request to their last.
    const times = accounts.flatMap((sid) => drill.sim.requestLog(sid).map((r) => r.atMs));
    const window = (Math.max(...times) - Math.min(...times)) / 1000;
    const requests = drill.sim.requestCount() - before;
    const throttled = accounts.reduce((sum, sid) => sum + drill.sim.requestLog(sid).filter((r) => r.status === 429).length, 0);
    // Requests the carriers refused (429) did no work: the achieved rate counts only the others.
    const served = requests - throttled;
    const inService = await store.count('numbers', { state: 'in_service' });
    const result = {
      shelters,
      seconds: round(seconds),
      shelters_per_second: round(shelters / seconds),
      carrier_requests: requests,
      throttled_429: throttled,
      requests_per_second: round(served / seconds),
      ratio_of_limits: round(served / seconds / (CARRIERS * LIMIT), 3),
      plan_and_commit_seconds: round(planned),
      carrier_window_seconds: round(window),
      ratio_of_limits_in_carrier_window: round(served / window / (CARRIERS * LIMIT), 3),
      lines_in_service: inService,
      cores_busy: round(coresBusy, 2),
    };
    console.log(`provisioning (${label}): ${shelters} shelters over ${CARRIERS} carriers (${LIMIT} req/s each, ${LATENCY_MS} ms): ${result.seconds} s, ${result.requests_per_second} req/s served = ${result.ratio_of_limits} of the limits end to end${pipelined ? ' (aim ≥ 0.90)' : ' (the emulator is the bound)'}, ${result.ratio_of_limits_in_carrier_window} while carriers were busy (open-bulk returned after ${result.plan_and_commit_seconds} s, ${pipelined ? 'carriers already busy' : 'then the worker started'}); ${result.lines_in_service} lines in service, ${throttled} answered 429; this process (orchestrator + simulated carriers) kept ${result.cores_busy} cores busy`);
    if (rpcs) {
      const perShelter = (list: Array<[string, number]>) => list.map(([m, n]) => `${m} ${round(n / shelters, 2)}`).join(', ');
      const total = (list: Array<[string, number]>) => round(list.reduce((a, [, n]) => a + n, 0) / shelters, 2);
      console.log(`  firestore RPCs per shelter: plan + commit (open-bulk, worker not yet started) ${total(planRpcs)} (${perShelter(planRpcs)}); whole opening ${total([...rpcs])} (${perShelter([...rpcs])}); plan+commit ${result.plan_and_commit_seconds} s (aim ≤ 10 s for 1,000)`);
      Object.assign(result, { rpcs_per_shelter_plan_commit: total(planRpcs), rpcs_per_shelter: total([...rpcs]) });
    }
    return result;
  } finally {
    await drill.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
