import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { PhoneNumber } from '../../provisioning/model/index.js';
import { FirestoreStore } from '../../provisioning/store/firestore/firestore-store.js';
import type { Page, Store } from '../../provisioning/store/store.js';
import { claimNumber } from '../support/claim-number.js';
import { phoneNumber, pool } from '../support/number-fixtures.js';
import { SKIP_LINE, acquireEmulator, resetFirestore, warmUpFirestore } from '../support/firestore-emulator.js';
import { openTempSqliteStore, removeTempSqliteStore } from '../support/temp-sqlite-store.js';

const PUTS = Number(process.env.BENCH_STORE_PUTS ?? 10_000);
const QUERY_DOCS = 1000;
const QUERY_ROUNDS = 5;
const CLAIMS = 200;
const AT = '2024-01-10T00:00:00.000Z';

type Operation = 'puts' | 'query' | 'claims';
const LABELS: Record<Operation, string> = {
  puts: `${PUTS.toLocaleString('en')} sequential puts (puts/s)`,
  query: `${QUERY_DOCS.toLocaleString('en')}-document query (queries/s)`,
  claims: `${CLAIMS} contended claims (claims/s)`,
};

interface AdapterUnderTest {
  name: 'sqlite' | 'firestore';
  /** A fresh empty store, and how to dispose of it. */
  open(): Promise<{ store: Store; dispose(): Promise<void> }>;
}

const perSecond = (count: number, ms: number) => (count * 1000) / ms;

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function measure(adapter: AdapterUnderTest): Promise<Record<Operation, number>> {
  const { store, dispose } = await adapter.open();
  let puts: number;
  let query: number;
  try {
    puts = perSecond(PUTS, await timed(async () => {
      for (let i = 0; i < PUTS; i++) await store.put('numbers', phoneNumber(i, { state: i % 2 === 0 ? 'available' : 'reserved' }));
    }));
    const rounds = await timed(async () => {
      for (let r = 0; r < QUERY_ROUNDS; r++) {
        const seen: PhoneNumber[] = [];
        let cursor: string | null = null;
        while (seen.length < QUERY_DOCS) {
          const page: Page<PhoneNumber> = await store.query('numbers', { where: { state: 'available' }, orderBy: { field: 'e164', direction: 'desc' }, limit: QUERY_DOCS - seen.length, cursor });
          seen.push(...page.items);
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        if (seen.length !== Math.min(QUERY_DOCS, Math.ceil(PUTS / 2))) throw new Error(`${adapter.name}: query returned ${seen.length} documents`);
      }
    });
    query = perSecond(QUERY_ROUNDS, rounds);
  } finally {
    await dispose();
  }

  // A pool of its own, so every claim contends with all the others.
  const fresh = await adapter.open();
  try {
    await fresh.store.putMany('numbers', pool(CLAIMS));
    let results: Awaited<ReturnType<typeof claimNumber>>[] = [];
    const ms = await timed(async () => {
      results = await Promise.all(Array.from({ length: CLAIMS }, (_, i) => claimNumber(fresh.store, `shelter-${i}`, AT)));
    });
    const claimed = results.flatMap((r) => (r.kind === 'claimed' ? [r.numberId] : []));
    if (new Set(claimed).size !== CLAIMS) throw new Error(`${adapter.name}: ${claimed.length} claims for ${CLAIMS} numbers, ${new Set(claimed).size} distinct`);
    return { puts, query, claims: perSecond(CLAIMS, ms) };
  } finally {
    await fresh.dispose();
  }
}

const sqlite: AdapterUnderTest = {
  name: 'sqlite',
  async open() {
    const store = openTempSqliteStore();
    return { store, dispose: () => removeTempSqliteStore(store) };
  },
};

const firestore: AdapterUnderTest = {
  name: 'firestore',
  async open() {
    const projectId = `bench-${randomUUID()}`;
    const store = new FirestoreStore({ projectId });
    return {
      store,
      async dispose() {
        await store.close();
        await resetFirestore(projectId);
      },
    };
  },
};

const fmt = (n: number | undefined) => (n === undefined ? '—' : n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(1));

export default async function bench(): Promise<Record<string, number>> {
  const emulator = await acquireEmulator();
  const host = emulator.host;
  try {
    const results: Partial<Record<AdapterUnderTest['name'], Record<Operation, number>>> = {};
    results.sqlite = await measure(sqlite);
    if (host) {
      await warmUpFirestore(host);
      results.firestore = await measure(firestore);
    } else console.warn(SKIP_LINE.replace('tests', 'benchmark'));

    const figures: Record<string, number> = {};
    const rows = (Object.keys(LABELS) as Operation[]).map((op) => {
      const s = results.sqlite?.[op];
      const f = results.firestore?.[op];
      if (s !== undefined) figures[`sqlite.${op}PerSecond`] = s;
      if (f !== undefined) figures[`firestore.${op}PerSecond`] = f;
      const ratio = s !== undefined && f !== undefined ? s / f : undefined;
      if (ratio !== undefined) figures[`${op}.sqliteToFirestore`] = ratio;
      return [LABELS[op], fmt(s), fmt(f), ratio === undefined ? '—' : `${ratio.toFixed(1)} : 1`];
    });
    const header = ['store operation', 'SQLite ops/s', 'Firestore emulator ops/s', 'SQLite : Firestore'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
    return figures;
  } finally {
    await emulator.release();
  }
}
