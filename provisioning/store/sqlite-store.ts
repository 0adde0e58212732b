import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { ensurePrivateDir, ensurePrivateFile } from '../platform/private-files.js';
import { dirname } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { COLLECTION_NAMES, COLLECTION_SCHEMAS, type CollectionName, type Collections } from '../model/index.js';
import {
  ReadAfterWriteError,
  decodeCursor,
  encodeCursor,
  pageLimit,
  type Change,
  type ChangeListener,
  type FieldValue,
  type GuardedWrite,
  type Page,
  type RecordLanded,
  RECORD_SPAN,
  type Query,
  type Store,
  type Transaction,
  type Where,
} from './store.js';

/** Fields the adapters filter on often enough to deserve an index, in the collections that have them. */
const INDEXED_FIELDS = [
  'state', 'carrierId', 'shelterId', 'status', 'desiredStatus', 'municipalityCode', 'hash', 'deviceTokenHash', 'e164', 'shortCode', 'tokenId',
  'areaCode', 'kind', 'previousShelterId', 'sipUsername', 'mac', 'dedupeKey',
  // An alert's episode: every shelter's line-health sync asks whether its episodes are open (a scan
  // of every alert without it, quadratic over a mass opening).
  'episode',
];

/**
 * An equality filter followed by the sort field, as Firestore's composite indexes, so the job
 * queue and work-order polls read in index order instead of sorting.
 */
const COMPOSITE_INDEXES: string[][] = [
  ['status', 'priority'],
  ['status', 'createdAt'],
  // Running jobs, least recently renewed first: the leases a dead process left run out first.
  ['status', 'updatedAt'],
  ['carrierId', 'dedupeKey', 'createdAt'],
  ['carrierId', 'status', 'createdAt'],
  ['shelterId', 'startedAt'],
  // Reports: calls on a reported number, reports about one number, the triage queue.
  ['callerId', 'startedAt'],
  ['e164', 'calledAt'],
  ['status', 'receivedAt'],
];

/**
 * Collections whose writes are hot enough to index by hand: every index costs each write two B-tree
 * updates and two JSON reads. Numbers (a mass opening rewrites tens of thousands): by shelter, by
 * carrier, by previous shelter and state (reclaim), by state (in id order, for paging), and by state
 * and area code (a pool read in one area); no `kind` (the 050 pool read walks `state`: a third of
 * numbers are 050) and no `e164` (a number's id is its e164).
 */
const HAND_INDEXED: Partial<Record<CollectionName, { equal: string[][]; sorted?: string[][]; sparse?: string[] }>> = {
  // `sparse`: a number with no shelter (available) or no previous one (most) has no entry there, so
  // an allocation rewriting tens of thousands of available numbers skips those index updates. The
  // reclaim read names both its fields, so the planner takes the pair, not all aging numbers by state.
  numbers: { equal: [['shelterId'], ['carrierId'], ['previousShelterId', 'state'], ['state'], ['state', 'areaCode']], sparse: ['shelterId', 'previousShelterId'] },
  // The log's filters: by shelter, by person, by action (which also narrows the grouped allocation rows to look into).
  audit: { equal: [['shelterId'], ['actorId'], ['action']] },
  // A mass opening saves each job several times: the queue (by priority), lease take-over (by
  // renewal), the jobs list (newest first, or a shelter's), and no more (not by carrier or kind).
  jobs: { equal: [['status'], ['shelterId']], sorted: [['status', 'priority'], ['status', 'updatedAt'], ['status', 'createdAt']] },
};

type IndexDef = { name: string; sql: string; collection: CollectionName; equal: string[]; sort: string | null };

/**
 * The indexes the documents table should have: each one partial to one collection (`WHERE collection
 * = '…'`), over fields that collection's schema declares. A write then maintains only its own
 * collection's few indexes (a number: 5; a job: 5; an audit row: 3), not every index of every
 * collection (migrations 2–4 indexed all 22 for every row: a write cost ~0.3 ms). Derived, not
 * migrated: they follow the model as it grows, and `syncIndexes` runs at every open.
 *
 * An equality index (one field, or a hand-indexed set) is
 * `(fields…)`, and the table's key `(collection, id)` it carries gives its matches in id order. A
 * sort index (COMPOSITE_INDEXES: equality fields, then the field a query orders by) is led by
 * `collection`: only then does SQLite read it in (sort field, id) order; `(status, priority)` alone
 * left every claim sorting all queued jobs in a temporary B-tree. Queries that order by a sort
 * index's field name it (`INDEXED BY`): without statistics the planner preferred the one-field index
 * and the sort.
 */
const indexes = (): IndexDef[] => (indexList ??= COLLECTION_NAMES.flatMap((c) => {
  const fields = new Set(Object.keys(COLLECTION_SCHEMAS[c].shape));
  const has = (set: string[]) => set.every((f) => fields.has(f));
  const hand = HAND_INDEXED[c];
  const equality = (hand ? hand.equal : INDEXED_FIELDS.map((f) => [f])).filter(has);
  const sorted = (hand ? (hand.sorted ?? []) : COMPOSITE_INDEXES).filter(has);
  const where = collectionIs(c);
  return [
    ...equality.map((set): IndexDef => {
      const name = `doc_${c}_${set.join('_')}`;
      // A sparse index leaves out documents whose first field is null; an equality on it implies not null, so queries still use it.
      const sparse = hand?.sparse?.includes(set[0]!) ? ` AND ${fieldExpr(set[0]!)} IS NOT NULL` : '';
      return { name, collection: c, equal: set, sort: null, sql: `CREATE INDEX ${name} ON documents (${set.map(fieldExpr).join(', ')}) WHERE ${where}${sparse}` };
    }),
    ...sorted.map((set): IndexDef => {
      const name = `doc_${c}_${set.join('_')}_sorted`;
      return { name, collection: c, equal: set.slice(0, -1), sort: set.at(-1)!, sql: `CREATE INDEX ${name} ON documents (collection, ${set.map(fieldExpr).join(', ')}) WHERE ${where}` };
    }),
  ];
}));
let indexList: IndexDef[] | undefined;

function wantedIndexes(): Map<string, string> {
  return new Map(indexes().map((i) => [i.name, i.sql]));
}

/**
 * The sort index made for a query ordering by `sort` with exactly these equality filters, if any.
 * Only an exact match is forced: a sort index over fewer filters could walk a whole status (every
 * succeeded job) to find one shelter's, where the planner's own pick sorts a few.
 */
function sortIndexFor(collection: CollectionName, sort: string, equal: ReadonlySet<string>): string | null {
  const match = indexes().find((i) => i.collection === collection && i.sort === sort && i.equal.length === equal.size && i.equal.every((f) => equal.has(f)));
  return match?.name ?? null;
}

/** Versioned schema: entry i moves the database from user_version i to i + 1. Append only. */
const MIGRATIONS: string[] = [
  `CREATE TABLE documents (
     collection TEXT NOT NULL,
     id TEXT NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (collection, id)
   ) WITHOUT ROWID;`,
  // 2–4 created indexes over every collection; `syncIndexes` now replaces them with partial ones.
  'SELECT 1',
  'SELECT 1',
  'SELECT 1',
];

/** The schema version a file has once every migration ran. */
export const SCHEMA_VERSION = MIGRATIONS.length;

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The collection as a literal, not a parameter: SQLite uses a partial index only when the query's
 * WHERE names the same literal. Only a known collection name gets here.
 */
function collectionIs(collection: string): string {
  if (!(COLLECTION_NAMES as readonly string[]).includes(collection)) throw new Error(`not a collection: ${JSON.stringify(collection)}`);
  return `collection = '${collection}'`;
}

function fieldName(field: string): string {
  if (!FIELD_NAME.test(field)) throw new Error(`not a field name: ${JSON.stringify(field)}`);
  return field;
}

function fieldExpr(field: string): string {
  return fieldName(field) === 'id' ? 'id' : `json_extract(data, '$.${field}')`;
}

/** SQLite stores JSON booleans as 1/0: bind them the same way. */
function bindable(v: FieldValue): string | number | null {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** One write unit of a group commit: it runs inside the shared transaction and returns its writes. */
type Unit = { run: () => Promise<{ writes: Write[]; value: unknown }>; resolve: (v: unknown) => void; reject: (e: unknown) => void };

/**
 * Group commit: write units run one after another, and those queued together share one SQLite
 * transaction, each inside its own savepoint (one that fails rolls back alone and is rejected alone).
 * A unit's promise settles, and its changes are told, only once the shared COMMIT landed; until then
 * the reader connection does not see them. A group stays open one more turn of the event loop for
 * units that turn queues. A mass opening's jobs write one small transaction each, from hundreds of
 * jobs at once: committing each alone (one unit per commit, 1.07 on average) kept the national
 * benchmark at 2.3 × its bound; grouped, 1.5 ×.
 */
class GroupCommit {
  private readonly queue: Unit[] = [];
  private running = false;
  private refusing = false;

  constructor(
    private readonly db: Database.Database,
    private readonly landed: (writes: Write[]) => void,
    /** Throws once the store is closed: then queued units are refused, not run. */
    private readonly assertOpen: () => void,
    /** Most units in one transaction: a unit waits for the whole group it joined. */
    private readonly maxUnits = 64,
  ) {}

  /** Runs `run` in turn; it must do its own reads and return what to write. */
  enqueue<T>(run: () => Promise<{ writes: Write[]; value: T }> | { writes: Write[]; value: T }): Promise<T> {
    if (this.refusing) return Promise.reject(new Error('the store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: async () => run(), resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Refuses units from now on; settles once every unit queued before has settled. */
  close(): Promise<void> {
    const last = this.enqueue(() => ({ writes: [], value: undefined }));
    this.refusing = true;
    return last.then(
      () => undefined,
      () => undefined,
    );
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) await this.group();
    } finally {
      this.running = false;
    }
  }

  private async group(): Promise<void> {
    const done: Array<{ unit: Unit; writes: Write[]; value: unknown }> = [];
    const failed: Array<{ unit: Unit; error: unknown }> = [];
    try {
      this.assertOpen();
      // exec, not db.transaction(): that keeps its own BEGIN/COMMIT statements beyond our close().
      this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const unit of this.queue.splice(0)) unit.reject(error);
      return;
    }
    try {
      // Units queued while this group runs join it, up to maxUnits; once none is left, those that
      // the rest of this turn of the event loop queues (other jobs' answers arriving) join too.
      for (let waited = false; done.length + failed.length < this.maxUnits; ) {
        if (this.queue.length === 0) {
          if (waited) break;
          waited = true;
          await nextTurn();
          continue;
        }
        waited = false;
        const unit = this.queue.shift()!;
        this.db.exec('SAVEPOINT unit');
        try {
          const { writes, value } = await unit.run();
          applyWrites(this.db, writes);
          this.db.exec('RELEASE unit');
          done.push({ unit, writes, value });
        } catch (error) {
          failed.push({ unit, error });
          this.db.exec('ROLLBACK TO unit; RELEASE unit');
        }
      }
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const { unit } of done) unit.reject(error);
      for (const { unit, error: own } of failed) unit.reject(own);
      return;
    }
    for (const { unit, error } of failed) unit.reject(error);
    for (const { unit, writes, value } of done) {
      this.landed(writes);
      unit.resolve(value);
    }
  }
}

type Row = { id: string; data: string };
type Write = { collection: CollectionName; id: string; data: string | null };

/**
 * Stores not closed yet. Whatever is still open when the process exits is closed then, synchronously:
 * a prepared statement destroyed after Node has torn its environment down aborts the process (Node 24).
 */
const openStores = new Set<SqliteStore>();
let exitHookInstalled = false;
function trackUntilClosed(store: SqliteStore): void {
  openStores.add(store);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const s of [...openStores]) s.closeNow();
  });
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  /** Reads outside transactions see only committed data. */
  private readonly reader: Database.Database;
  private readonly writer: GroupCommit;
  private readonly listeners = new Set<{ collections: Set<string>; listener: ChangeListener }>();
  private closed = false;

  constructor(readonly file: string) {
    ensurePrivateDir(dirname(file));
    // The database, and the -wal and -shm SQLite makes beside it with its mode, are owner-only.
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (f === file || existsSync(f)) ensurePrivateFile(f);
    this.db = new Database(file);
    // exec, not pragma(): pragma() prepares a throwaway statement each call (see `retired` below).
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = NORMAL');
    // Checkpoint less often: a mass opening is thousands of small transactions (halves commit time).
    this.db.exec('PRAGMA wal_autocheckpoint = 20000');
    this.db.exec('PRAGMA busy_timeout = 10000');
    try {
      this.migrate();
    } catch (err) {
      // A file this build cannot use: close the connection now, not whenever the GC gets to it.
      retire(this.db);
      throw err;
    }
    this.writer = new GroupCommit(this.db, (writes) => this.emit(writes), () => this.assertOpen());
    this.reader = new Database(file, { readonly: true });
    this.reader.exec('PRAGMA busy_timeout = 10000');
    trackUntilClosed(this);
  }

  /** The schema version this file is at (number of migrations applied). */
  get schemaVersion(): number {
    return (prepared(this.db, 'PRAGMA user_version').get() as { user_version: number }).user_version;
  }

  private migrate(): void {
    const current = this.schemaVersion;
    if (current > MIGRATIONS.length) {
      throw new Error(`database ${this.file} has schema ${current}, newer than this build (${MIGRATIONS.length})`);
    }
    for (let v = current; v < MIGRATIONS.length; v++) {
      // One migration and its version bump commit together (exec: no statements left to the GC).
      try {
        this.db.exec(`BEGIN IMMEDIATE; ${MIGRATIONS[v]!}; PRAGMA user_version = ${v + 1}; COMMIT;`);
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    }
    this.syncIndexes();
  }

  /** Creates the wanted indexes that are missing and drops the ones no longer wanted, in one transaction. */
  private syncIndexes(): void {
    const wanted = wantedIndexes();
    const have = new Map((prepared(this.db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' AND sql IS NOT NULL").all() as Array<{ name: string; sql: string }>).map((r) => [r.name, r.sql]));
    // An index whose definition changed is made anew under its name.
    const drop = [...have].filter(([name, sql]) => wanted.get(name) !== sql).map(([name]) => name);
    const create = [...wanted].filter(([name, sql]) => have.get(name) !== sql).map(([, sql]) => sql);
    if (drop.length === 0 && create.length === 0) return;
    try {
      this.db.exec(`BEGIN IMMEDIATE; ${drop.map((n) => `DROP INDEX "${n}";`).join(' ')} ${create.map((sql) => `${sql};`).join(' ')} COMMIT;`);
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  async get<C extends CollectionName>(collection: C, id: string): Promise<Collections[C] | null> {
    return getDoc(this.reader, collection, id);
  }

  async query<C extends CollectionName>(collection: C, query: Query<C> = {}): Promise<Page<Collections[C]>> {
    return runQuery(this.reader, collection, query);
  }

  /** How SQLite reads a query (EXPLAIN QUERY PLAN, a step per line): which index, and whether it sorts its matches. */
  queryPlan<C extends CollectionName>(collection: C, query: Query<C>): string {
    const { sql, params } = querySql(collection, query);
    return (prepared(this.reader, `EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
  }

  async count<C extends CollectionName>(collection: C, where: Where<C> = {}): Promise<number> {
    const { conds, params } = whereClause(collection, where);
    const row = prepared(this.reader, `SELECT COUNT(*) AS n FROM documents WHERE ${conds.join(' AND ')}`).get(...params) as { n: number };
    return row.n;
  }

  put<C extends CollectionName>(collection: C, doc: Collections[C]): Promise<void> {
    return this.commit([{ collection, id: doc.id, data: JSON.stringify(doc) }]);
  }

  delete<C extends CollectionName>(collection: C, id: string): Promise<void> {
    return this.commit([{ collection, id, data: null }]);
  }

  async putMany<C extends CollectionName>(collection: C, docs: Collections[C][]): Promise<void> {
    const CHUNK = 2000;
    for (let i = 0; i < docs.length; i += CHUNK) {
      await this.commit(docs.slice(i, i + CHUNK).map((d) => ({ collection, id: d.id, data: JSON.stringify(d) })));
    }
  }

  async getMany<C extends CollectionName>(collection: C, ids: readonly string[]): Promise<Array<Collections[C] | null>> {
    const found = new Map<string, Collections[C]>();
    // One cached statement for any count of ids: they travel as one JSON array parameter.
    const rows = prepared(this.reader, `SELECT id, data FROM documents WHERE ${collectionIs(collection)} AND id IN (SELECT value FROM json_each(?))`).all(
      JSON.stringify(ids),
    ) as Row[];
    for (const r of rows) found.set(r.id, JSON.parse(r.data) as Collections[C]);
    return ids.map((id) => found.get(id) ?? null);
  }

  commitGuarded(groups: readonly GuardedWrite[], record?: RecordLanded): Promise<boolean[]> {
    return this.writer.enqueue(() => {
      const landed: Write[] = [];
      // What earlier groups of this call wrote, so a later group is checked against it, not the file.
      const written = new Map<string, number>();
      // Every guarded document's version in one statement, not one statement per document.
      const versionsOf = prepared(
        this.db,
        "SELECT collection AS c, id, json_extract(data, '$.version') AS v FROM documents WHERE (collection, id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))",
      );
      const keys = groups.flatMap((g) => g.expect.map((e) => [e.collection, e.id]));
      const rows = versionsOf.all(JSON.stringify(keys)) as Array<{ c: string; id: string; v: number | null }>;
      const stored = new Map(rows.map((r) => [`${r.c}/${r.id}`, r.v ?? 0]));
      const outcome = groups.map((g) => {
        for (const e of g.expect) {
          const key = `${e.collection}/${e.id}`;
          const v = written.has(key) ? written.get(key) : stored.get(key);
          if (e.version === null ? v !== undefined : v !== e.version) return false;
        }
        for (const p of g.puts) {
          written.set(`${p.collection}/${p.doc.id}`, p.doc.version);
          landed.push({ collection: p.collection, id: p.doc.id, data: JSON.stringify(p.doc) });
        }
        return true;
      });
      if (record) {
        const ok = outcome.flatMap((landedHere, i) => (landedHere ? [i] : []));
        for (let i = 0; i < ok.length; i += RECORD_SPAN) {
          const r = record(ok.slice(i, i + RECORD_SPAN));
          landed.push({ collection: r.collection, id: r.doc.id, data: JSON.stringify(r.doc) });
        }
      }
      // Applied in key order, not group order: neighbouring rows share B-tree pages, so a large
      // group dirties (and writes to the WAL) far fewer pages. The last write of a key wins.
      const last = new Map<string, Write>();
      for (const w of landed) last.set(`${w.collection}\u0000${w.id}`, w);
      return { writes: [...last].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, w]) => w), value: outcome };
    });
  }

  transaction<R>(fn: (tx: Transaction) => Promise<R>): Promise<R> {
    return this.writer.enqueue(async () => {
      const pending: Write[] = [];
      let wrote = false;
      const db = this.db;
      const tx: Transaction = {
        async get(collection, id) {
          if (wrote) throw new ReadAfterWriteError();
          return getDoc(db, collection, id);
        },
        async query(collection, query) {
          if (wrote) throw new ReadAfterWriteError();
          return runQuery(db, collection, query ?? {});
        },
        put(collection, doc) {
          wrote = true;
          pending.push({ collection, id: doc.id, data: JSON.stringify(doc) });
        },
        delete(collection, id) {
          wrote = true;
          pending.push({ collection, id, data: null });
        },
      };
      const value = await fn(tx);
      return { writes: pending, value };
    });
  }

  subscribe(collections: readonly CollectionName[], listener: ChangeListener): () => void {
    const entry = { collections: new Set<string>(collections), listener };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /** Waits for pending writes, then closes both connections (and their statements) now, not at GC. */
  async close(): Promise<void> {
    // Every write asked for before lands first; any asked for after is refused.
    await this.writer.close();
    this.closeNow();
  }

  /** Closes at once, without waiting for queued writes: for process exit only; use close(). */
  closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    openStores.delete(this);
    this.listeners.clear();
    retire(this.reader);
    retire(this.db);
  }

  private commit(writes: Write[]): Promise<void> {
    return this.writer.enqueue(() => ({ writes, value: undefined }));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }

  private emit(writes: Write[]): void {
    if (this.listeners.size === 0) return;
    for (const w of writes) {
      // A document no listener asked for is not parsed back (a mass opening writes tens of thousands).
      const wanted = [...this.listeners].filter(({ collections }) => collections.size === 0 || collections.has(w.collection));
      if (wanted.length === 0) continue;
      const change = (w.data === null ? { collection: w.collection, type: 'delete', id: w.id } : lazyPut(w.collection, w.id, w.data)) as Change;
      for (const { listener } of wanted) {
        try {
          listener(change);
        } catch {
          // A failing listener must not undo a commit or starve the others.
        }
      }
    }
  }
}

/** A put as listeners see it: its document is parsed back on first look only (a feed counting writes never parses one). */
function lazyPut(collection: CollectionName, id: string, data: string) {
  let doc: unknown;
  return {
    collection,
    type: 'put' as const,
    id,
    get doc() {
      return (doc ??= JSON.parse(data));
    },
  };
}

/**
 * Closed connections and their statements stay reachable until the process ends. Node 24 aborts
 * ("(env) != nullptr" in ~Statement) when a better-sqlite3 object is garbage-collected while the
 * environment is being torn down; reachable ones are instead freed by their cleanup hooks, safely.
 * A closed connection holds no file handle, so this costs a few objects per store opened.
 */
const retired: Array<{ db: Database.Database; statements: Database.Statement[] }> = [];
function retire(db: Database.Database): void {
  retired.push({ db, statements: [...(statementCache.get(db)?.values() ?? [])] });
  db.close();
}

/** Statements are compiled once per connection and SQL text: preparing dominated small queries. */
const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function prepared(db: Database.Database, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    // Bounded: the query shapes are few, but never let an unusual caller grow it without end.
    if (cache.size > 500) cache.clear();
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/**
 * Upserts go many rows to a statement: one native call per row was a sixth of a large commit's time
 * (20,000 shelters' allocation: 3.2 s → 2.6 s). Row counts are powers of two up to 256, so at most
 * nine statement shapes are ever prepared per connection.
 */
const UPSERT_MAX_ROWS = 256;
const upsertSql = (rows: number) =>
  `INSERT INTO documents (collection, id, data) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?)').join(', ')} ON CONFLICT (collection, id) DO UPDATE SET data = excluded.data`;

/** Applies writes in order: a row written twice in one statement keeps its last value, as one after the other would. */
function applyWrites(db: Database.Database, writes: Write[]): void {
  const remove = prepared(db, 'DELETE FROM documents WHERE collection = ? AND id = ?');
  const rows: Write[] = [];
  const flush = () => {
    let done = 0;
    while (done < rows.length) {
      let n = UPSERT_MAX_ROWS;
      while (n > rows.length - done) n >>= 1;
      const params: string[] = [];
      for (const w of rows.slice(done, done + n)) params.push(w.collection, w.id, w.data!);
      prepared(db, upsertSql(n)).run(...params);
      done += n;
    }
    rows.length = 0;
  };
  for (const w of writes) {
    if (w.data !== null) {
      rows.push(w);
      if (rows.length === UPSERT_MAX_ROWS) flush();
      continue;
    }
    flush();
    remove.run(w.collection, w.id);
  }
  flush();
}

function getDoc<C extends CollectionName>(db: Database.Database, collection: C, id: string): Collections[C] | null {
  const row = prepared(db, 'SELECT data FROM documents WHERE collection = ? AND id = ?').get(collection, id) as { data: string } | undefined;
  return row ? (JSON.parse(row.data) as Collections[C]) : null;
}

function whereClause(collection: string, where: Record<string, FieldValue | undefined>) {
  const conds = [collectionIs(collection)];
  const params: (string | number | null)[] = [];
  for (const [field, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (value === null) conds.push(`${fieldExpr(field)} IS NULL`);
    else {
      conds.push(`${fieldExpr(field)} = ?`);
      params.push(bindable(value));
    }
  }
  return { conds, params };
}

/** The SELECT a query runs, its parameters, its page size and the field it orders by. */
function querySql<C extends CollectionName>(collection: C, query: Query<C>) {
  const { conds, params } = whereClause(collection, query.where ?? {});
  if (query.contains) {
    // Not indexed: pair it with an indexed equality filter that leaves few documents to look into.
    conds.push(`EXISTS (SELECT 1 FROM json_each(data, '$.${fieldName(query.contains.field)}') WHERE value = ?)`);
    params.push(query.contains.value);
  }
  const orderField = (query.orderBy?.field as string | undefined) ?? 'id';
  const desc = query.orderBy?.direction === 'desc';
  const expr = fieldExpr(orderField);
  if (query.cursor) {
    const [cv, cid] = decodeCursor(query.cursor);
    if (orderField === 'id') {
      conds.push(desc ? 'id < ?' : 'id > ?');
      params.push(cid);
    } else if (cv === null) {
      // NULLs sort first ascending, last descending (SQLite's rule, mirrored by Firestore).
      conds.push(desc ? `(${expr} IS NULL AND id < ?)` : `(${expr} IS NOT NULL OR id > ?)`);
      params.push(cid);
    } else {
      conds.push(desc ? `(${expr} < ? OR ${expr} IS NULL OR (${expr} = ? AND id < ?))` : `(${expr} > ? OR (${expr} = ? AND id > ?))`);
      params.push(bindable(cv), bindable(cv), cid);
    }
  }
  const limit = pageLimit(query.limit);
  const dir = desc ? 'DESC' : 'ASC';
  const order = orderField === 'id' ? `id ${dir}` : `${expr} ${dir}, id ${dir}`;
  const equal = new Set(Object.entries(query.where ?? {}).filter(([, v]) => v !== undefined && v !== null).map(([f]) => f));
  const index = orderField === 'id' ? null : sortIndexFor(collection, orderField, equal);
  const sql = `SELECT id, data FROM documents ${index ? `INDEXED BY ${index} ` : ''}WHERE ${conds.join(' AND ')} ORDER BY ${order} LIMIT ${limit + 1}`;
  return { sql, params, limit, orderField };
}

function runQuery<C extends CollectionName>(db: Database.Database, collection: C, query: Query<C>): Page<Collections[C]> {
  const { sql, params, limit, orderField } = querySql(collection, query);
  const rows = prepared(db, sql).all(...params) as Row[];
  const items = rows.slice(0, limit).map((r) => JSON.parse(r.data) as Collections[C]);
  const last = items.at(-1) as Record<string, unknown> | undefined;
  const nextCursor = rows.length > limit && last ? encodeCursor(last[orderField] as FieldValue, String(last.id)) : null;
  return { items, nextCursor };
}
