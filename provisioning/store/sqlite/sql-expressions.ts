import type { FieldValue } from '../store.js';
import { COLLECTION_NAMES } from '../../model/index.js';

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The collection as a literal, not a parameter: SQLite uses a partial index only when the query's
 * WHERE names the same literal. Only a known collection name gets here.
 */
export function collectionIs(collection: string): string {
  if (!(COLLECTION_NAMES as readonly string[]).includes(collection)) throw new Error(`not a collection: ${JSON.stringify(collection)}`);
  return `collection = '${collection}'`;
}

export function fieldName(field: string): string {
  if (!FIELD_NAME.test(field)) throw new Error(`not a field name: ${JSON.stringify(field)}`);
  return field;
}

export function fieldExpr(field: string): string {
  return fieldName(field) === 'id' ? 'id' : `json_extract(data, '$.${field}')`;
}

/** SQLite stores JSON booleans as 1/0: bind them the same way. */
export function bindable(v: FieldValue): string | number | null {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}
