import type Database from 'better-sqlite3';

/**
 * Closed connections and their statements stay reachable until the process ends. Node 24 aborts
 * ("(env) != nullptr" in ~Statement) when a better-sqlite3 object is garbage-collected while the
 * environment is being torn down; reachable ones are instead freed by their cleanup hooks, safely.
 * A closed connection holds no file handle, so this costs a few objects per store opened.
 */
const retired: Array<{ db: Database.Database; statements: Database.Statement[] }> = [];
export function retire(db: Database.Database): void {
  retired.push({ db, statements: [...(statementCache.get(db)?.values() ?? [])] });
  db.close();
}

/** Statements are compiled once per connection and SQL text: preparing dominated small queries. */
const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();
export function prepared(db: Database.Database, sql: string): Database.Statement {
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
