import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir, ensurePrivateFile } from '../../platform/private-files.js';
import type { CollectionName, Collections } from '../../model/index.js';
import {
  ReadAfterWriteError,
  type ChangeListener,
  type GuardedWrite,
  type Page,
  type RecordLanded,
  type Query,
  type Store,
  type Transaction,
  type Where,
} from '../store.js';
import type { Write } from './apply-writes.js';
import { ChangeFeed } from './change-feed.js';
import { trackUntilClosed, untrack } from './close-at-exit.js';
import { GroupCommit } from './group-commit.js';
import { guardedWrites } from './guarded-writes.js';
import { migrate, schemaVersionOf } from './migrations.js';
import { countDocs, explainQuery, getDoc, getDocs, runQuery } from './queries.js';
import { retire } from './statements.js';

/**
 * The embedded store: one WAL file, a writer connection behind a group commit and a reader
 * connection that sees only committed data. Each concern lives in its own file beside this one.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  /** Reads outside transactions see only committed data. */
  private readonly reader: Database.Database;
  private readonly writer: GroupCommit;
  private readonly feed = new ChangeFeed();
  private closed = false;

  constructor(readonly file: string) {
    ensurePrivateDir(dirname(file));
    // The database, and the -wal and -shm SQLite makes beside it with its mode, are owner-only.
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (f === file || existsSync(f)) ensurePrivateFile(f);
    this.db = new Database(file);
    // exec, not pragma(): pragma() prepares a throwaway statement each call (see `retired` in statements.ts).
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = NORMAL');
    // Checkpoint less often: a mass opening is thousands of small transactions (halves commit time).
    this.db.exec('PRAGMA wal_autocheckpoint = 20000');
    this.db.exec('PRAGMA busy_timeout = 10000');
    try {
      migrate(this.db, file);
    } catch (err) {
      // A file this build cannot use: close the connection now, not whenever the GC gets to it.
      retire(this.db);
      throw err;
    }
    this.writer = new GroupCommit(this.db, (writes) => this.feed.emit(writes), () => this.assertOpen());
    this.reader = new Database(file, { readonly: true });
    this.reader.exec('PRAGMA busy_timeout = 10000');
    trackUntilClosed(this);
  }

  /** The schema version this file is at (number of migrations applied). */
  get schemaVersion(): number {
    return schemaVersionOf(this.db);
  }

  async get<C extends CollectionName>(collection: C, id: string): Promise<Collections[C] | null> {
    return getDoc(this.reader, collection, id);
  }

  async query<C extends CollectionName>(collection: C, query: Query<C> = {}): Promise<Page<Collections[C]>> {
    return runQuery(this.reader, collection, query);
  }

  /** How SQLite reads a query (EXPLAIN QUERY PLAN, a step per line): which index, and whether it sorts its matches. */
  queryPlan<C extends CollectionName>(collection: C, query: Query<C>): string {
    return explainQuery(this.reader, collection, query);
  }

  async count<C extends CollectionName>(collection: C, where: Where<C> = {}): Promise<number> {
    return countDocs(this.reader, collection, where);
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
    return getDocs(this.reader, collection, ids);
  }

  commitGuarded(groups: readonly GuardedWrite[], record?: RecordLanded): Promise<boolean[]> {
    return this.writer.enqueue(() => guardedWrites(this.db, groups, record));
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
    return this.feed.subscribe(collections, listener);
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
    untrack(this);
    this.feed.clear();
    retire(this.reader);
    retire(this.db);
  }

  private commit(writes: Write[]): Promise<void> {
    return this.writer.enqueue(() => ({ writes, value: undefined }));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}
