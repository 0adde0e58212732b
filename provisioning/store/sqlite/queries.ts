import type Database from 'better-sqlite3';
import type { CollectionName, Collections } from '../../model/index.js';
import { decodeCursor, encodeCursor, pageLimit, type FieldValue, type Page, type Query, type Where } from '../store.js';
import { sortIndexFor } from './indexes.js';
import { bindable, collectionIs, fieldExpr, fieldName } from './sql-expressions.js';
import { prepared } from './statements.js';

type Row = { id: string; data: string };

export function getDoc<C extends CollectionName>(db: Database.Database, collection: C, id: string): Collections[C] | null {
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
export function querySql<C extends CollectionName>(collection: C, query: Query<C>) {
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

export function runQuery<C extends CollectionName>(db: Database.Database, collection: C, query: Query<C>): Page<Collections[C]> {
  const { sql, params, limit, orderField } = querySql(collection, query);
  const rows = prepared(db, sql).all(...params) as Row[];
  const items = rows.slice(0, limit).map((r) => JSON.parse(r.data) as Collections[C]);
  const last = items.at(-1) as Record<string, unknown> | undefined;
  const nextCursor = rows.length > limit && last ? encodeCursor(last[orderField] as FieldValue, String(last.id)) : null;
  return { items, nextCursor };
}

/** How SQLite reads a query (EXPLAIN QUERY PLAN, a step per line): which index, and whether it sorts its matches. */
export function explainQuery<C extends CollectionName>(db: Database.Database, collection: C, query: Query<C>): string {
  const { sql, params } = querySql(collection, query);
  return (prepared(db, `EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
}

export function countDocs<C extends CollectionName>(db: Database.Database, collection: C, where: Where<C>): number {
  const { conds, params } = whereClause(collection, where);
  const row = prepared(db, `SELECT COUNT(*) AS n FROM documents WHERE ${conds.join(' AND ')}`).get(...params) as { n: number };
  return row.n;
}

export function getDocs<C extends CollectionName>(db: Database.Database, collection: C, ids: readonly string[]): Array<Collections[C] | null> {
  const found = new Map<string, Collections[C]>();
  // One cached statement for any count of ids: they travel as one JSON array parameter.
  const rows = prepared(db, `SELECT id, data FROM documents WHERE ${collectionIs(collection)} AND id IN (SELECT value FROM json_each(?))`).all(
    JSON.stringify(ids),
  ) as Row[];
  for (const r of rows) found.set(r.id, JSON.parse(r.data) as Collections[C]);
  return ids.map((id) => found.get(id) ?? null);
}
