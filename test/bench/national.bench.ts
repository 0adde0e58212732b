import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type { CollectionName } from '../../provisioning/model/index.js';
import { parseShelterCsv } from '../../provisioning/shelters/import/index.js';
import { startDrill } from '../../server/drill/start-drill.js';
import { RemoteSimulator } from '../../server/drill/twilio-simulator/remote-simulator.js';
import type { DrillCarrierSpec } from '../../server/drill/drill-carriers.js';
import { numbersInArea } from '../support/area-numbers.js';
import { round } from './bench-support.js';

/**
 * Every 指定避難所 of the 12 Nankai prefectures as GSI publishes them (../shared/data/shelters/README.md).
 * 出典：国土地理院「指定緊急避難場所・指定避難所データ」を加工して作成
 */
const NANKAI_FILE = new URL('../../../shared/data/shelters/nankai-designated-shelters.csv', import.meta.url);
/** Unset: the whole file (22,413). A smaller number takes every n-th row, so all 12 prefectures stay in. */
const SHELTERS = process.env.BENCH_NATIONAL_SHELTERS ? Number(process.env.BENCH_NATIONAL_SHELTERS) : null;
const CARRIERS = 24;
/**
 * What each member declares and what its simulated account enforces: the same numbers, so the
 * bound below (requests ÷ the summed rate) is the members' real limit. At 30 ms a request, 50 req/s
 * keeps under 2 requests in flight, far below the 16 concurrent the account allows: the rate binds.
 */
const CARRIER_LIMIT = { requestsPerSecond: 50, concurrency: 16 };
const LATENCY_MS = 30;
const LINES = 2;
/** The open-bulk route takes at most 5,000 ids per request, as a coordinator desk would post them. */
const POST_SIZE = 5000;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** The file as a coordinator would send it, or every n-th of its rows (header kept) for a shorter run. */
function nankaiCsv(): Buffer {
  const whole = readFileSync(NANKAI_FILE);
  if (SHELTERS === null) return whole;
  const [header, ...rows] = parse(whole, { relax_column_count: true }) as string[][];
  const step = Math.max(1, Math.floor(rows.length / SHELTERS));
  const picked = rows.filter((_, i) => i % step === 0).slice(0, SHELTERS);
  // Quoted throughout: a 備考 holding a bare LF would otherwise split its row under CRLF records.
  return Buffer.from(stringify([header!, ...picked], { record_delimiter: 'windows', quoted: true }));
}

/**
 * A Nankai Trough opening on real data: every designated shelter of the GSI file, imported through
 * the API (its own line: rows/s), placed in its real municipality (wards of designated cities
 * included) and opened with two lines each, over 24 simulated Twilio members limited to 50 req/s
 * with 30 ms latency, each lending 0AB-J numbers of every real number area the shelters are in,
 * with the worker running as in production. How close to the carriers' summed limits does it get?
 * The simulated members run in their own process, as real ones run on their own servers: their
 * work is not the orchestrator's, and in this process it took a tenth of the one core.
 */
export default async function bench(): Promise<Record<string, number>> {
  const started = performance.now();
  const csv = nankaiCsv();
  // Which number area each shelter will be in: the importer's own reading of the file.
  const placed = parseShelterCsv(csv).rows.flatMap((r) => (r.ok ? [r.shelter] : []));
  const perArea = new Map<string, number>();
  for (const s of placed) perArea.set(s.areaCodes[0] ?? '050', (perArea.get(s.areaCodes[0] ?? '050') ?? 0) + 1);
  // Each carrier lends a share of every area's numbers (050 where a shelter has no area), 10 % to spare.
  const pools = new Map([...perArea].map(([area, n]) => [area, numbersInArea(area, Math.ceil((n * LINES * 1.1) / CARRIERS + 2) * CARRIERS, 1)]));
  const carriers: DrillCarrierSpec[] = Array.from({ length: CARRIERS }, (_, i) => ({
    id: `nankai-${pad(i + 1, 2)}`, name: `Nankai member ${i + 1}`, kind: 'twilio' as const,
    capacity: CARRIER_LIMIT,
    numbers: [...pools.values()].flatMap((list) => list.filter((_, k) => k % CARRIERS === i)),
  }));

  const phase = (what: string) => console.log(`  [${((performance.now() - started) / 1000).toFixed(1)} s] ${what}`);
  phase(`${placed.length} shelters read in ${perArea.size} number areas; ${[...pools.values()].reduce((n, l) => n + l.length, 0)} numbers generated`);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-national-'));
  const simulator = await RemoteSimulator.start({ latencyMs: LATENCY_MS });
  const drill = await startDrill({
    dataDir, logger: pino({ level: 'silent' }), carriers, importShelters: false, apiMember: false, simulator,
    engine: { runWorker: true, workerConcurrency: 512, maintenanceEveryMs: 3_600_000 },
  }).catch(async (err: unknown) => {
    await simulator.stop();
    throw err;
  });
  try {
    phase('drill started, carriers lent their numbers');
    const { store } = drill.server.deps;
    // The import as a prefecture desk sends it: one POST of the whole file.
    const imported = performance.now();
    const { body: report } = await drill.api.call<{ counts: { rows: number; created: number; rejected: number }; areas: { areaCodes: string[]; shelters: number }[]; rows: { id?: string; status: string }[] }>(
      'POST', '/api/v1/shelters/import', new Uint8Array(csv),
    );
    const importSeconds = (performance.now() - imported) / 1000;
    const ids = report.rows.flatMap((r) => (r.status === 'rejected' || !r.id ? [] : [r.id]));
    const shelterCount = ids.length;
    phase(`imported ${report.counts.created} of ${report.counts.rows} rows in ${round(importSeconds)} s`);
    const accounts = drill.carriers.map((c) => c.account!.sid);
    for (const sid of accounts) await drill.sim.setRateLimit(sid, { perSecond: CARRIER_LIMIT.requestsPerSecond, burst: CARRIER_LIMIT.requestsPerSecond });
    const writes = new Map<CollectionName, number>();
    const unsubscribe = store.subscribe([], (c) => {
      if (c.type === 'put') writes.set(c.collection, (writes.get(c.collection) ?? 0) + 1);
    });
    const before = await drill.sim.requestCount();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    // How late this process's event loop ran: carrier timeouts are timers on the same loop.
    const loopDelay = monitorEventLoopDelay({ resolution: 20 });
    loopDelay.enable();
    for (let i = 0; i < ids.length; i += POST_SIZE) {
      const res = await drill.api.call('POST', '/api/v1/shelters/open-bulk', { ids: ids.slice(i, i + POST_SIZE) });
      if (res.status !== 202) throw new Error(`open-bulk answered ${res.status}`);
    }
    const requested = (performance.now() - t0) / 1000;
    phase('open-bulk calls returned');
    // Progress every 30 s: a run that stalls shows where (shelters open, carriers marked down, how late the loop ran).
    const progress = setInterval(() => {
      void Promise.all([store.count('shelters', { actualStatus: 'open' }), store.count('carriers', { health: 'down' })]).then(([opened, down]) =>
        phase(`${opened} shelters open, ${down} carriers marked down, event-loop delay max so far ${Math.round(loopDelay.max / 1e6)} ms`),
      );
    }, 30_000);
    try {
      await drill.server.deps.worker.drain({ timeoutMs: 1_800_000 });
    } finally {
      clearInterval(progress);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    loopDelay.disable();
    unsubscribe();

    const requests = (await drill.sim.requestCount()) - before;
    let throttled = 0;
    for (const sid of accounts) throttled += (await drill.sim.requestLog(sid)).filter((r) => r.status === 429).length;
    const served = requests - throttled;
    const bound = served / (CARRIERS * CARRIER_LIMIT.requestsPerSecond);
    const inService = await store.count('numbers', { state: 'in_service' });
    const open = await store.count('shelters', { actualStatus: 'open' });
    const totalWrites = [...writes.values()].reduce((a, b) => a + b, 0);
    const result = {
      shelters: shelterCount,
      prefectures: new Set(placed.map((p) => p.municipalityCode.slice(0, 2))).size,
      municipalities: new Set(placed.map((p) => p.municipalityCode)).size,
      number_areas: perArea.size,
      import_rows: report.counts.rows,
      import_rejected: report.counts.rejected,
      import_seconds: round(importSeconds),
      import_rows_per_second: Math.round(report.counts.rows / importSeconds),
      shelters_without_area_code: report.areas.find((a) => a.areaCodes.length === 0)?.shelters ?? 0,
      carrier_requests: served,
      throttled_429: throttled,
      bound_seconds: round(bound),
      achieved_seconds: round(seconds),
      ratio_to_bound: round(seconds / bound, 3),
      open_bulk_seconds: round(requested),
      peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
      writes_per_shelter: round(totalWrites / shelterCount, 2),
      // The orchestrator alone (the simulated carriers have their own process): near 1, the run was bound by one core, not by the carriers.
      cores_busy: round((cpu.user + cpu.system) / 1e6 / seconds, 2),
      event_loop_delay_p99_ms: round(loopDelay.percentile(99) / 1e6),
      event_loop_delay_max_ms: round(loopDelay.max / 1e6),
      carriers_down: await store.count('carriers', { health: 'down' }),
      lines_in_service: inService,
      shelters_open: open,
    };
    const byCollection = [...writes].map(([c, n]) => `${c} ${round(n / shelterCount, 2)}`).join(', ');
    console.log(
      [
        `national import: ${result.import_rows} rows of the GSI Nankai file through POST /api/v1/shelters/import in ${result.import_seconds} s = ${result.import_rows_per_second} rows/s (SQLite); ${result.import_rejected} rejected, ${result.shelters_without_area_code} left with 050 only`,
        `national: ${shelterCount} real designated shelters × ${LINES} lines in ${result.prefectures} prefectures, ${result.municipalities} municipalities, ${result.number_areas} number areas, over ${CARRIERS} carriers (${CARRIER_LIMIT.requestsPerSecond} req/s, ${CARRIER_LIMIT.concurrency} concurrent each, ${LATENCY_MS} ms), SQLite, worker running`,
        `  total requests ${served} (+${throttled} answered 429); bound ${result.bound_seconds} s (requests ÷ ${CARRIERS * CARRIER_LIMIT.requestsPerSecond} req/s)`,
        `  achieved ${result.achieved_seconds} s = ${result.ratio_to_bound} × the bound (aim ≤ 1.15); open-bulk calls returned after ${result.open_bulk_seconds} s; the orchestrator's process kept ${result.cores_busy} cores busy (the simulated carriers ran in their own)`,
        `  peak RSS ${result.peak_rss_mib} MiB (aim ≤ 1024); store writes per shelter ${result.writes_per_shelter} (${byCollection})`,
        `  ${inService} lines in service, ${open} shelters open; carriers marked down at the end ${result.carriers_down}; event-loop delay p99 ${result.event_loop_delay_p99_ms} ms, max ${result.event_loop_delay_max_ms} ms`,
      ].join('\n'),
    );
    return result;
  } finally {
    await drill.stop();
    await simulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
