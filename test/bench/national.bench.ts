import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type { CollectionName, Shelter } from '../../provisioning/model/index.js';
import { parseJapaneseNumber } from '../../provisioning/numbers/japanese-number.js';
import { startDrill } from '../../server/drill/start-drill.js';
import { RemoteSimulator } from '../../server/drill/twilio-simulator/remote-simulator.js';
import type { DrillCarrierSpec } from '../../server/drill/drill-carriers.js';
import { round } from './bench-support.js';

const SHELTERS = Number(process.env.BENCH_NATIONAL_SHELTERS ?? 20_000);
const CARRIERS = 24;
const LIMIT = 50; // requests per second, per carrier
const LATENCY_MS = 30;
const LINES = 2;
/** The open-bulk route takes at most 5,000 ids per request, as a coordinator desk would post them. */
const POST_SIZE = 5000;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

type Municipality = { municipality_code: string; prefecture_code: string; prefecture: string; municipality: string; area_code: string };

/** Municipalities of the 12 Nankai prefectures (see data/README.md for where each column comes from). */
function municipalities(): Municipality[] {
  return parse(readFileSync(new URL('./data/nankai-municipalities.csv', import.meta.url)), { columns: true, skip_empty_lines: true }) as Municipality[];
}

/** `count` valid numbers that libphonenumber places in `area`, or 050 ones (a prefix alone may belong to a neighbour area). */
function numbersIn(area: string, count: number, salt: number): string[] {
  const out: string[] = [];
  const localDigits = (area === '050' ? 11 : 10) - area.length;
  for (let i = 0; out.length < count; i++) {
    if (i > count * 50) throw new Error(`could not find ${count} numbers of area ${area}`);
    const national = `${area}${pad((salt * 7919 + i * 104_729 + 12_000_000) % 10 ** localDigits, localDigits)}`;
    const p = parseJapaneseNumber(national);
    if (p.ok && (area === '050' ? p.kind === '050' : p.kind === '0ABJ' && p.areaCode === area)) out.push(p.e164);
  }
  return out;
}

/**
 * A Nankai Trough opening: 20,000 shelters spread over the municipalities of 12 prefectures, two
 * lines each, over 24 simulated Twilio members limited to 50 req/s with 30 ms latency, with the
 * worker running as in production. How close to the carriers' summed limits does it get?
 * The simulated members run in their own process, as real ones run on their own servers: their
 * work is not the orchestrator's, and in this process it took a tenth of the one core.
 */
export default async function bench(): Promise<Record<string, number>> {
  const started = performance.now();
  const places = municipalities();
  const at0 = '2024-01-01T00:00:00.000Z';
  const shelters: Shelter[] = Array.from({ length: SHELTERS }, (_, n) => {
    const m = places[n % places.length]!;
    return {
      id: `NANKAI${pad(n, 6)}`, version: 0, name: `${m.municipality} 避難所 ${n}`, municipalityCode: m.municipality_code, prefecture: m.prefecture, address: `${m.prefecture}${m.municipality}`,
      lat: null, lon: null, capacity: 100, evacuees: null, areaCodes: m.area_code ? [m.area_code] : [], desiredStatus: 'closed', actualStatus: 'closed', lines: LINES, shortCode: null,
      currentJobId: null, openedAt: null, closedAt: null, createdAt: at0, updatedAt: at0, service: null, replacementLines: [], lastPrint: null, noEmergencyLine: false,
    };
  });
  // Each carrier lends a share of every area's numbers (050 where the area is not in our data), 10 % to spare.
  const perArea = new Map<string, number>();
  for (const s of shelters) perArea.set(s.areaCodes[0] ?? '050', (perArea.get(s.areaCodes[0] ?? '050') ?? 0) + 1);
  const pools = new Map([...perArea].map(([area, n]) => [area, numbersIn(area, Math.ceil((n * LINES * 1.1) / CARRIERS + 2) * CARRIERS, 1)]));
  const carriers: DrillCarrierSpec[] = Array.from({ length: CARRIERS }, (_, i) => ({
    id: `nankai-${pad(i + 1, 2)}`, name: `Nankai member ${i + 1}`, kind: 'twilio' as const,
    capacity: { requestsPerSecond: LIMIT, concurrency: 16 },
    numbers: [...pools.values()].flatMap((list) => list.filter((_, k) => k % CARRIERS === i)),
  }));

  const phase = (what: string) => console.log(`  [${((performance.now() - started) / 1000).toFixed(1)} s] ${what}`);
  phase(`${[...pools.values()].reduce((n, l) => n + l.length, 0)} numbers generated`);
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
    await store.putMany('shelters', shelters);
    const accounts = drill.carriers.map((c) => c.account!.sid);
    for (const sid of accounts) await drill.sim.setRateLimit(sid, { perSecond: LIMIT, burst: LIMIT });
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
    for (let i = 0; i < shelters.length; i += POST_SIZE) {
      const res = await drill.api.call('POST', '/api/v1/shelters/open-bulk', { ids: shelters.slice(i, i + POST_SIZE).map((s) => s.id) });
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
    const bound = served / (CARRIERS * LIMIT);
    const inService = await store.count('numbers', { state: 'in_service' });
    const open = await store.count('shelters', { actualStatus: 'open' });
    const totalWrites = [...writes.values()].reduce((a, b) => a + b, 0);
    const result = {
      shelters: SHELTERS,
      prefectures: new Set(places.map((p) => p.prefecture_code)).size,
      carrier_requests: served,
      throttled_429: throttled,
      bound_seconds: round(bound),
      achieved_seconds: round(seconds),
      ratio_to_bound: round(seconds / bound, 3),
      open_bulk_seconds: round(requested),
      peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
      writes_per_shelter: round(totalWrites / SHELTERS, 2),
      // The orchestrator alone (the simulated carriers have their own process): near 1, the run was bound by one core, not by the carriers.
      cores_busy: round((cpu.user + cpu.system) / 1e6 / seconds, 2),
      event_loop_delay_p99_ms: round(loopDelay.percentile(99) / 1e6),
      event_loop_delay_max_ms: round(loopDelay.max / 1e6),
      carriers_down: await store.count('carriers', { health: 'down' }),
      lines_in_service: inService,
      shelters_open: open,
    };
    const byCollection = [...writes].map(([c, n]) => `${c} ${round(n / SHELTERS, 2)}`).join(', ');
    console.log(
      [
        `national: ${SHELTERS} shelters × ${LINES} lines in ${result.prefectures} prefectures over ${CARRIERS} carriers (${LIMIT} req/s each, ${LATENCY_MS} ms), SQLite, worker running`,
        `  total requests ${served} (+${throttled} answered 429); bound ${result.bound_seconds} s (requests ÷ ${CARRIERS * LIMIT} req/s)`,
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
