import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../provisioning/store/sqlite/migrations.js';
import { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';
import { encodeCursor } from '../../provisioning/store/store.js';
import { phoneNumber, pool } from '../support/number-fixtures.js';

/**
 * A raw connection for looking at the file, kept reachable with its statements until the process
 * ends: on Node 24 a better-sqlite3 object garbage-collected during teardown aborts the worker
 * ("(env) != nullptr" in ~Database), the store's own `retire` does the same for its connections.
 */
const keptForExit: unknown[] = [];
function rawDb(path: string, options?: Database.Options): Database.Database {
  const db = new Database(path, options);
  keptForExit.push(db);
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    keptForExit.push(statement);
    return statement;
  }) as typeof db.prepare;
  return db;
}

let dir: string;
let file: string;
const open: SqliteStore[] = [];
const openStore = () => {
  const store = new SqliteStore(file);
  open.push(store);
  return store;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-store-'));
  file = join(dir, 'nested', 'orch.db');
});
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const indexCount = (path: string) => {
  const db = rawDb(path, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND name LIKE 'doc\\_%' ESCAPE '\\'").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('sqlite store (restart and migrations)', () => {
  it('loses nothing across a restart: a new instance on the same file reads back every write', async () => {
    const first = openStore();
    await first.put('numbers', phoneNumber(1));
    await first.putMany('numbers', pool(300).slice(2));
    await first.transaction(async (tx) => {
      const n = await tx.get('numbers', phoneNumber(1).id);
      tx.put('numbers', { ...n!, state: 'reserved', shelterId: 'shelter-1' });
    });
    await first.delete('numbers', phoneNumber(2).id);
    await first.close();

    const second = openStore();
    expect(await second.get('numbers', phoneNumber(1).id)).toEqual({ ...phoneNumber(1), state: 'reserved', shelterId: 'shelter-1' });
    expect(await second.get('numbers', phoneNumber(2).id)).toBeNull();
    const all = await second.query('numbers', { limit: 1000 });
    const expected = [phoneNumber(1), ...pool(300).slice(3)].map((n) => n.id);
    expect(all.items.map((n) => n.id)).toEqual(expected);
  });

  it('loses nothing committed when the process dies without closing (WAL)', async () => {
    const crashed = openStore();
    await crashed.putMany('numbers', pool(10));
    const next = openStore();
    expect((await next.query('numbers', { limit: 1000 })).items).toEqual(pool(10));
  });

  it('commits writes asked for together in one group, each alone in failure: a transaction that throws is rolled back and refused, the others land and are told once', async () => {
    const store = openStore();
    await store.putMany('numbers', pool(40));
    const told: string[] = [];
    store.subscribe(['numbers'], (c) => told.push(c.id));
    // Forty writes at once: each a read-then-write transaction; the 13th throws after writing.
    const outcomes = await Promise.allSettled(
      pool(40).map((n, i) =>
        store.transaction(async (tx) => {
          const read = await tx.get('numbers', n.id);
          tx.put('numbers', { ...read!, version: read!.version + 1, state: 'reserved', shelterId: `shelter-${i}` });
          if (i === 12) throw new Error('refused by the caller');
          return i;
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual(['Error: refused by the caller']);
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<number>).value)).toEqual([...Array(40).keys()].filter((i) => i !== 12));
    // Every landed write is readable once its promise settled; the refused one left nothing behind.
    expect(await store.count('numbers', { state: 'reserved' })).toBe(39);
    expect(await store.get('numbers', phoneNumber(12).id)).toEqual(phoneNumber(12));
    expect(told.sort()).toEqual(pool(40).filter((_, i) => i !== 12).map((n) => n.id).sort());
  });

  it('rolls back a transaction that fails in the database, every row of it, and lands the one grouped with it', async () => {
    const store = openStore();
    const [failing, other] = await Promise.allSettled([
      store.transaction(async (tx) => {
        // 300 rows (a full 256-row statement runs first), then one the table refuses (no id).
        for (const n of pool(300)) tx.put('numbers', n);
        tx.put('numbers', { ...phoneNumber(300), id: undefined as unknown as string });
      }),
      store.put('numbers', phoneNumber(1000)),
    ]);
    expect(failing.status).toBe('rejected');
    expect(other.status).toBe('fulfilled');
    expect((await store.query('numbers', { limit: 1000 })).items).toEqual([phoneNumber(1000)]);
  });

  it('refuses writes once closed, and lands every write asked for before close()', async () => {
    const store = openStore();
    const before = store.putMany('numbers', pool(5));
    const closing = store.close();
    await expect(store.put('numbers', phoneNumber(9))).rejects.toThrow('the store is closed');
    await before;
    await closing;
    const again = openStore();
    expect(await again.count('numbers')).toBe(5);
  });

  it('applies a transaction\'s writes in their order, many rows to a statement: a later put or delete of the same number wins', async () => {
    const store = openStore();
    // 600 rows: two full 256-row statements, then 88 in smaller ones; ids 5, 7 and 8 are written again in between.
    await store.transaction(async (tx) => {
      for (const n of pool(300)) tx.put('numbers', n);
      tx.put('numbers', phoneNumber(5, { state: 'reserved', shelterId: 'shelter-5' }));
      tx.delete('numbers', phoneNumber(7).id);
      tx.put('numbers', phoneNumber(7, { carrierId: 'carrier-b' }));
      tx.delete('numbers', phoneNumber(8).id);
      // Put and deleted before its statement ran: the delete must come after it.
      tx.put('numbers', phoneNumber(610));
      tx.delete('numbers', phoneNumber(610).id);
      for (const n of pool(600).slice(300)) tx.put('numbers', n);
      tx.put('numbers', phoneNumber(599, { state: 'aging' }));
    });
    const all = (await store.query('numbers', { limit: 1000 })).items;
    expect(all).toHaveLength(599);
    expect(all.find((n) => n.id === phoneNumber(5).id)).toMatchObject({ state: 'reserved', shelterId: 'shelter-5' });
    expect(all.find((n) => n.id === phoneNumber(7).id)).toMatchObject({ carrierId: 'carrier-b' });
    expect(all.find((n) => n.id === phoneNumber(8).id)).toBeUndefined();
    expect(all.find((n) => n.id === phoneNumber(610).id)).toBeUndefined();
    expect(all.find((n) => n.id === phoneNumber(599).id)).toMatchObject({ state: 'aging' });
    // The indexes follow the last write too.
    expect(await store.count('numbers', { shelterId: 'shelter-5' })).toBe(1);
    expect(await store.count('numbers', { carrierId: 'carrier-b' })).toBe(1);
    expect(await store.count('numbers', { state: 'available' })).toBe(597);
  });

  it('applies its migrations once: reopening keeps the schema version and the data', async () => {
    const first = openStore();
    const version = first.schemaVersion;
    expect(version).toBe(SCHEMA_VERSION);
    expect(version).toBeGreaterThan(0);
    await first.put('numbers', phoneNumber(1));
    await first.close();
    const second = openStore();
    expect(second.schemaVersion).toBe(version);
    expect(await second.get('numbers', phoneNumber(1).id)).toEqual(phoneNumber(1));
  });

  it('runs only the migrations a file lacks, in order, keeping the data', async () => {
    const first = openStore();
    const version = first.schemaVersion;
    const indexes = indexCount(file);
    expect(indexes).toBeGreaterThan(0);
    await first.put('numbers', phoneNumber(1));
    await first.close();
    // Take the file back to version 1 (the table, no indexes): every later step must run again, once.
    const raw = rawDb(file);
    for (const { name } of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' AND sql IS NOT NULL").all() as { name: string }[]) {
      raw.exec(`DROP INDEX ${name}`);
    }
    raw.exec('PRAGMA user_version = 1');
    raw.close();
    const second = openStore();
    expect(second.schemaVersion).toBe(version);
    expect(indexCount(file)).toBe(indexes);
    expect(await second.get('numbers', phoneNumber(1).id)).toEqual(phoneNumber(1));
  });

  it('indexes each collection only on the fields it declares, partial to it, and queries use them', async () => {
    const first = openStore();
    await first.putMany('numbers', pool(50));
    await first.close();
    const db = rawDb(file, { readonly: true });
    try {
      const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' AND sql IS NOT NULL").all() as Array<{ name: string; sql: string }>;
      // An audit row maintains only the log's three filters.
      expect(indexes.filter((i) => i.name.startsWith('doc_audit_')).map((i) => i.name).sort()).toEqual(['doc_audit_action', 'doc_audit_actorId', 'doc_audit_shelterId']);
      // A number maintains five: the fewer, the faster a mass opening writes.
      expect(indexes.filter((i) => i.name.startsWith('doc_numbers_')).map((i) => i.name).sort()).toEqual(
        ['doc_numbers_carrierId', 'doc_numbers_previousShelterId_state', 'doc_numbers_shelterId', 'doc_numbers_state', 'doc_numbers_state_areaCode'],
      );
      // A number without a shelter (or a previous one) is left out of those two: most writes of an allocation skip them.
      for (const f of ['shelterId', 'previousShelterId']) expect(indexes.find((i) => i.name.startsWith(`doc_numbers_${f}`))!.sql).toMatch(new RegExp(`AND json_extract\\(data, '\\$\\.${f}'\\) IS NOT NULL$`));
      // A job maintains five: the queue, lease take-over, the jobs list, a shelter's jobs.
      expect(indexes.filter((i) => i.name.startsWith('doc_jobs_')).map((i) => i.name).sort()).toEqual(
        ['doc_jobs_shelterId', 'doc_jobs_status', 'doc_jobs_status_createdAt_sorted', 'doc_jobs_status_priority_sorted', 'doc_jobs_status_updatedAt_sorted'],
      );
      for (const i of indexes) expect(i.sql).toMatch(/WHERE collection = '\w+'( AND json_extract\(data, '\$\.\w+'\) IS NOT NULL)?$/);
      // Each read of the engine's hot path is served by one of them.
      const planOf = (where: string) => (db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM documents WHERE collection = 'numbers' AND ${where} ORDER BY id`).all() as Array<{ detail: string }>).map((p) => p.detail).join(' ');
      const field = (f: string) => `json_extract(data, '$.${f}')`;
      expect(planOf(`${field('state')} = 'available'`)).toContain('doc_numbers_state');
      expect(planOf(`${field('state')} = 'available' AND ${field('areaCode')} = '0767'`)).toContain('doc_numbers_state_areaCode');
      expect(planOf(`${field('state')} = 'available' AND ${field('kind')} = '050'`)).toContain('doc_numbers_state');
      expect(planOf(`${field('shelterId')} = 'S1'`)).toContain('doc_numbers_shelterId');
      expect(planOf(`${field('carrierId')} = 'c1' AND ${field('state')} = 'in_service'`)).toContain('doc_numbers_');
      expect(planOf(`${field('state')} = 'aging' AND ${field('previousShelterId')} = 'S1'`)).toContain('doc_numbers_previousShelterId_state');
      // The audit filter by shelter looks into the grouped allocation rows only, through the action index.
      const auditPlan = (db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM documents WHERE collection = 'audit' AND ${field('action')} = 'number.reserved' AND EXISTS (SELECT 1 FROM json_each(data, '$.related') WHERE value = 'S1') ORDER BY id DESC`).all() as Array<{ detail: string }>).map((p) => p.detail).join(' ');
      expect(auditPlan).toContain('doc_audit_action');
    } finally {
      db.close();
    }
  });

  it('reads an ordered query in its index order, never sorting all its matches (the job queue, lease take-over, work orders)', async () => {
    const store = openStore();
    const sorted = [
      store.queryPlan('jobs', { where: { status: 'queued' }, orderBy: { field: 'priority' }, limit: 20 }),
      store.queryPlan('jobs', { where: { status: 'running' }, orderBy: { field: 'updatedAt' }, limit: 20 }),
      store.queryPlan('jobs', { where: { status: 'queued' }, orderBy: { field: 'priority' }, cursor: encodeCursor(3, 'job_1'), limit: 20 }),
      store.queryPlan('workOrders', { where: { carrierId: 'c1', status: 'pending' }, orderBy: { field: 'createdAt' }, limit: 20 }),
      store.queryPlan('calls', { where: { shelterId: 'S1' }, orderBy: { field: 'startedAt', direction: 'desc' }, limit: 20 }),
    ];
    for (const plan of sorted) {
      expect(plan).toMatch(/USING INDEX doc_\w+_sorted/);
      expect(plan).not.toContain('TEMP B-TREE');
    }
    // A filter the sort index does not cover is left to the planner: a shelter's jobs, not every succeeded one.
    expect(store.queryPlan('jobs', { where: { status: 'succeeded', shelterId: 'S1' }, orderBy: { field: 'createdAt', direction: 'desc' } })).not.toContain('_sorted');
    // Equality alone reads a one-field index in id order; an alert's episode is looked up, not scanned for.
    expect(store.queryPlan('jobs', { where: { status: 'running' }, limit: 200 })).toMatch(/USING INDEX doc_jobs_status \(/);
    expect(store.queryPlan('alerts', { where: { episode: 'no_line|-|S1', resolvedAt: null }, limit: 1 })).toContain('USING INDEX doc_alerts_episode');
    for (const plan of [store.queryPlan('jobs', { where: { status: 'running' }, limit: 200 }), store.queryPlan('alerts', { where: { episode: 'x' } })]) expect(plan).not.toContain('TEMP B-TREE');
  });

  it('replaces the indexes of an older build (one per field over every collection) with partial ones', async () => {
    const first = openStore();
    const wanted = indexCount(file);
    await first.put('numbers', phoneNumber(1));
    await first.close();
    const raw = rawDb(file);
    raw.exec("CREATE INDEX documents_state ON documents (collection, json_extract(data, '$.state'))");
    raw.close();
    const second = openStore();
    expect(indexCount(file)).toBe(wanted);
    const db = rawDb(file, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'documents_state'").get()).toEqual({ n: 0 });
    db.close();
    expect((await second.query('numbers', { where: { state: 'available' } })).items.map((n) => n.id)).toEqual([phoneNumber(1).id]);
  });

  it('refuses a file from a newer build, naming the versions', async () => {
    const first = openStore();
    const version = first.schemaVersion;
    await first.close();
    const raw = rawDb(file);
    raw.exec(`PRAGMA user_version = ${version + 1}`);
    raw.close();
    expect(() => new SqliteStore(file)).toThrow(new RegExp(`schema ${version + 1}, newer than this build \\(${version}\\)`));
  });
});
