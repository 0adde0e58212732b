import { performance } from 'node:perf_hooks';
import { commitAllocation, planAllocation, type ShelterDemand } from '../../provisioning/allocation/index.js';
import { Carrier, PhoneNumber, type Actor } from '../../provisioning/model/index.js';
import { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';
import { round } from './bench-support.js';
import { shelter as shelterDoc } from '../support/model-fixtures.js';
import { openTempSqliteStore, removeTempSqliteStore } from '../support/temp-sqlite-store.js';

const SHELTERS = Number(process.env.BENCH_ALLOC_SHELTERS ?? 20_000);
const LINES = 2;
const NUMBERS = SHELTERS * 3;
const CARRIERS = 12;
const AREAS = 100;
const NOW = new Date('2024-01-10T00:00:00.000Z');
const T0 = '2023-06-01T00:00:00.000Z';
const actor: Actor = { id: 'bench', role: 'system' };

/** A Nankai-Trough-sized opening: 100 number areas, one carrier down and one frozen. */
export function scenario(): { carriers: Carrier[]; pool: PhoneNumber[]; shelters: ShelterDemand[] } {
  const carriers = Array.from({ length: CARRIERS }, (_, i) =>
    Carrier.parse({
      id: `carrier-${String(i).padStart(2, '0')}`,
      name: `Member ${i}`,
      kind: i % 2 ? 'api' : 'twilio',
      certifications: { numberUsePlan: { id: `p${i}`, validUntil: '2030-01-01T00:00:00.000Z' }, etoc: { status: i === 3 ? 'applied' : 'certified', appliedAt: '2023-12-01T00:00:00.000Z' } },
      capacity: {},
      status: i === 11 ? 'frozen' : 'active',
      health: i === 10 ? 'down' : 'up',
      createdAt: T0,
      updatedAt: T0,
    }),
  );
  const area = (i: number) => `0${100 + (i % AREAS)}`;
  const pool: PhoneNumber[] = [];
  for (let i = 0; i < NUMBERS; i++) {
    const is050 = i % 3 === 2; // a third are 050
    const national = is050 ? `050${String(10_000_000 + i)}` : `${area(i)}${String(100_000 + i).slice(-6)}`;
    const reclaimFor = i % 30 === 0 ? `shelter-${String(i % SHELTERS).padStart(5, '0')}` : null;
    pool.push({
      id: `+81${national.slice(1)}`,
      version: 0,
      e164: `+81${national.slice(1)}`,
      kind: is050 ? '050' : '0ABJ',
      areaCode: is050 ? null : area(i),
      numberArea: is050 ? null : area(i),
      emergencyCapable: !is050 && i % 10 < 7,
      carrierId: carriers[(i * 7) % CARRIERS]!.id,
      state: reclaimFor ? 'aging' : 'available',
      shelterId: null,
      previousShelterId: reclaimFor,
      agingUntil: reclaimFor ? '2024-03-01T00:00:00.000Z' : null,
      reasons: [],
      routingConfirmedAt: null,
      lentAt: T0,
      updatedAt: T0,
    });
  }
  const shelters = Array.from({ length: SHELTERS }, (_, i) => ({
    id: `shelter-${String(i).padStart(5, '0')}`,
    areaCodes: [area(i)],
    lines: LINES,
    held: [],
  }));
  return { carriers, pool, shelters };
}

export default async function bench(): Promise<Record<string, number>> {
  const { carriers, pool, shelters } = scenario();
  const stored = shelters.map((s) => shelterDoc(s.id, { areaCodes: s.areaCodes }));
  // The pool was lent and the shelters imported long before the disaster: the opening starts on a
  // file whose log was checkpointed (closing does that), not one still holding the set-up's pages.
  const setup = openTempSqliteStore();
  await setup.putMany('numbers', pool);
  await setup.putMany('carriers', carriers);
  await setup.putMany('shelters', stored);
  await setup.close();
  const store = new SqliteStore(setup.file);
  try {

    const p0 = performance.now();
    const plan = planAllocation({ shelters, pool, carriers, load: {}, now: NOW, etocGraceDays: 180 });
    const planSeconds = (performance.now() - p0) / 1000;

    let puts = 0;
    let transactions = 0;
    const unsubscribe = store.subscribe([], (c) => {
      if (c.type === 'put') puts++;
    });
    const tx = store.transaction.bind(store);
    store.transaction = (fn) => {
      transactions++;
      return tx(fn);
    };
    const c0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = await commitAllocation(store, plan, { at: NOW, actor, shelters: new Map(stored.map((s) => [s.id, s])) });
    const commitSeconds = (performance.now() - c0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // This process's CPU time (user + system, SQLite included) in the commit: on a shared machine it moves
    // far less than the wall clock, which also counts the time other processes held the cores.
    const commitCpuSeconds = (cpu.user + cpu.system) / 1e6;
    unsubscribe();

    const e164s = result.committed.flatMap((c) => c.e164s);
    if (new Set(e164s).size !== e164s.length) throw new Error('a number was committed twice');
    const served = result.committed.length;
    const figures = {
      shelters: SHELTERS,
      assignments: plan.assignments.length,
      reclaimed: plan.assignments.filter((a) => a.reclaim).length,
      shortfallShelters: plan.shortfalls.length,
      conflicts: result.conflicts.length,
      planSeconds: round(planSeconds, 3),
      commitSeconds: round(commitSeconds, 3),
      planSheltersPerSecond: Math.round(SHELTERS / planSeconds),
      commitSheltersPerSecond: Math.round(served / commitSeconds),
      commitCpuSeconds: round(commitCpuSeconds, 3),
      writesPerShelter: round(puts / served, 3),
      transactionsPerShelter: round(transactions / served, 3),
    };
    console.log(
      [
        `allocation: ${SHELTERS} shelters × ${LINES} lines from ${NUMBERS} numbers over ${CARRIERS} carriers (SQLite)`,
        `  plan   ${figures.planSeconds.toFixed(2)} s  (${figures.planSheltersPerSecond} shelters/s), ${figures.assignments} numbers, ${figures.reclaimed} reclaimed, ${figures.shortfallShelters} shelters short`,
        `  commit ${figures.commitSeconds.toFixed(2)} s  (${figures.commitSheltersPerSecond} shelters/s; CPU ${figures.commitCpuSeconds.toFixed(2)} s), ${figures.conflicts} conflicts`,
        `  store writes per shelter ${figures.writesPerShelter} (its numbers, its shelter's version, and an audit row per 100 shelters), transactions per shelter ${figures.transactionsPerShelter}`,
      ].join('\n'),
    );
    return figures;
  } finally {
    await removeTempSqliteStore(store);
  }
}
