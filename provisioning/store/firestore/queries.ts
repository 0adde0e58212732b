import { FieldPath, type CollectionReference, type Query as FsQuery, type QuerySnapshot } from '@google-cloud/firestore';
import type { CollectionName } from '../../model/index.js';
import { decodeCursor, encodeCursor, pageLimit, type FieldValue, type Page, type Query } from '../store.js';
import { toPlain } from './documents.js';

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fieldName(field: string): string {
  if (!FIELD_NAME.test(field)) throw new Error(`not a field name: ${JSON.stringify(field)}`);
  return field;
}

interface BuiltQuery {
  query: FsQuery;
  limit: number;
  orderField: string;
}

/** Equality filters, one sort field with the document id as tie-break, and a keyset cursor. */
export function filtered<C extends CollectionName>(col: CollectionReference, where: Query<C>['where']): FsQuery {
  let q: FsQuery = col;
  for (const [field, value] of Object.entries(where ?? {}) as [string, FieldValue | undefined][]) {
    if (value === undefined) continue;
    // Every document also holds its id as a field, so `id` filters like any other field.
    q = q.where(fieldName(field), '==', value);
  }
  return q;
}

export function buildQuery<C extends CollectionName>(col: CollectionReference, query: Query<C>): BuiltQuery {
  let q = filtered(col, query.where);
  if (query.contains) q = q.where(fieldName(query.contains.field), 'array-contains', query.contains.value);
  const orderField = (query.orderBy?.field as string | undefined) ?? 'id';
  const direction = query.orderBy?.direction === 'desc' ? 'desc' : 'asc';
  if (orderField !== 'id') q = q.orderBy(fieldName(orderField), direction).orderBy(FieldPath.documentId(), direction);
  // The emulator refuses a bare descending scan of document keys; the stored `id` field sorts the same.
  else q = direction === 'asc' ? q.orderBy(FieldPath.documentId()) : q.orderBy('id', 'desc');
  if (query.cursor) {
    const [value, id] = decodeCursor(query.cursor);
    q = orderField === 'id' ? q.startAfter(id) : q.startAfter(value, id);
  }
  const limit = pageLimit(query.limit);
  // One extra document tells whether there is a next page.
  return { query: q.limit(limit + 1), limit, orderField };
}

export function toPage<T>(snap: QuerySnapshot, limit: number, orderField: string): Page<T> {
  const docs = snap.docs.map((d) => toPlain(d.data()) as Record<string, unknown>);
  const items = docs.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = docs.length > limit && last ? encodeCursor(last[orderField] as FieldValue, String(last.id)) : null;
  return { items: items as T[], nextCursor };
}
