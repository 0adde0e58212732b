import type Database from 'better-sqlite3';
import { syncIndexes } from './indexes.js';
import { prepared } from './statements.js';

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

/** The schema version a file is at (number of migrations applied). */
export function schemaVersionOf(db: Database.Database): number {
  return (prepared(db, 'PRAGMA user_version').get() as { user_version: number }).user_version;
}

/** Runs the migrations `file` has not had yet, then brings its indexes in line with the model. */
export function migrate(db: Database.Database, file: string): void {
  const current = schemaVersionOf(db);
  if (current > MIGRATIONS.length) {
    throw new Error(`database ${file} has schema ${current}, newer than this build (${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    // One migration and its version bump commit together (exec: no statements left to the GC).
    try {
      db.exec(`BEGIN IMMEDIATE; ${MIGRATIONS[v]!}; PRAGMA user_version = ${v + 1}; COMMIT;`);
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }
  syncIndexes(db);
}
