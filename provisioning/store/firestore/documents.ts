import { DocumentReference, GeoPoint, Timestamp, type DocumentData } from '@google-cloud/firestore';

/** Documents come back as the plain JSON we stored: Firestore's own types are turned into JSON. */
export function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (value instanceof DocumentReference) return value.path;
  if (value instanceof GeoPoint) return { latitude: value.latitude, longitude: value.longitude };
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
  return out;
}

/** The field Firestore TTL policies watch (firestore.indexes.json); TTL needs a Timestamp there, not a string. */
export const TTL_FIELD = 'expireAt';

/** What we write is plain JSON too: undefined fields dropped, Dates as ISO strings, like SQLite; only the TTL field is a Timestamp. */
export function toStored(doc: object): DocumentData {
  const stored = JSON.parse(JSON.stringify(doc)) as DocumentData;
  const expireAt: unknown = stored[TTL_FIELD];
  if (typeof expireAt === 'string') stored[TTL_FIELD] = Timestamp.fromDate(new Date(expireAt));
  return stored;
}
