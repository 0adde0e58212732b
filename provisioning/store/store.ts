import type { CollectionName, Collections, Page } from '../model/index.js';

/** A value an equality filter can match. */
export type FieldValue = string | number | boolean | null;

export interface Query<C extends CollectionName> {
  /** Equality filters, all of which must hold. */
  where?: Partial<Record<keyof Collections[C] & string, FieldValue>>;
  /** An array field that must hold this value (Firestore's `array-contains`; one per query). */
  contains?: { field: keyof Collections[C] & string; value: string };
  /** Sort on one field (ties broken by id); default: by id. */
  orderBy?: { field: keyof Collections[C] & string; direction?: 'asc' | 'desc' };
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
}

/** A page of a query: the API answers lists in the same shape (model/api-responses.ts). */
export type { Page };

export interface Reader {
  get<C extends CollectionName>(collection: C, id: string): Promise<Collections[C] | null>;
  query<C extends CollectionName>(collection: C, query?: Query<C>): Promise<Page<Collections[C]>>;
}

export type Where<C extends CollectionName> = NonNullable<Query<C>['where']>;

/**
 * Inside `transaction(fn)`: all reads come before the first write (Firestore's rule, kept by
 * both adapters so code that passes on SQLite also passes on Firestore).
 */
export interface Transaction extends Reader {
  put<C extends CollectionName>(collection: C, doc: Collections[C]): void;
  delete<C extends CollectionName>(collection: C, id: string): void;
}

export type Change<C extends CollectionName = CollectionName> =
  | { collection: C; type: 'put'; id: string; doc: Collections[C] }
  | { collection: C; type: 'delete'; id: string };

/** One document to write, typed by its collection. */
export type DocWrite = { [C in CollectionName]: { collection: C; doc: Collections[C] } }[CollectionName];

/** What code that only writes needs: a transaction's `put`, or a collector's whose writes land later as one guarded group. */
export type Writes = Pick<Transaction, 'put'>;

/** Writes collected through the same code a transaction runs, to land later with `commitGuarded`. */
export function collectWrites(): Writes & { puts: DocWrite[] } {
  const puts: DocWrite[] = [];
  // TypeScript cannot tie `doc` to `collection` through the generic; `put`'s own signature does.
  return { puts, put: (collection, doc) => void puts.push({ collection, doc } as DocWrite) };
}

/**
 * Writes that land together, and only if every document they were decided from is still at the
 * version that was read (optimistic concurrency: no lock is held between the read and the write).
 */
export interface GuardedWrite {
  /** Each must still be at this `version` (null: must not exist) when the group lands. */
  expect: Array<{ collection: CollectionName; id: string; version: number | null }>;
  puts: DocWrite[];
}

/**
 * One document that records groups landing together (a batched audit row), written in the same
 * atomic write as they are: called with the indexes of groups that land together, at most
 * RECORD_SPAN of them per call, so it never describes a group that did not land.
 */
export type RecordLanded = (landed: readonly number[]) => DocWrite;
/** The most groups one `RecordLanded` document describes (keeps it far below Firestore's 1 MiB). */
export const RECORD_SPAN = 100;

export type ChangeListener = (change: Change) => void;

export interface Store extends Reader {
  readonly kind: 'sqlite' | 'firestore';
  put<C extends CollectionName>(collection: C, doc: Collections[C]): Promise<void>;
  delete<C extends CollectionName>(collection: C, id: string): Promise<void>;
  /** Writes many documents without one contended document; atomic per chunk, not as a whole. */
  putMany<C extends CollectionName>(collection: C, docs: Collections[C][]): Promise<void>;
  /** Many documents by id in few round trips; null where one does not exist, in the order asked. */
  getMany<C extends CollectionName>(collection: C, ids: readonly string[]): Promise<Array<Collections[C] | null>>;
  /**
   * Lands many independent groups at once (SQLite: one transaction; Firestore: batched writes
   * with update-time preconditions, no transaction). Each group is atomic and lands only if its
   * `expect`s hold, also against earlier groups of the same call; the result says which landed.
   * A group that did not land wrote nothing.
   */
  commitGuarded(groups: readonly GuardedWrite[], record?: RecordLanded): Promise<boolean[]>;
  /** How many documents match the equality filters (an aggregate: no documents are read out). */
  count<C extends CollectionName>(collection: C, where?: Where<C>): Promise<number>;
  /**
   * Runs `fn` serializably: what it read is still true when its writes land. `fn` may run more
   * than once (Firestore retries on contention), so it must have no side effects besides `tx`.
   * If `fn` throws, nothing is written.
   */
  transaction<R>(fn: (tx: Transaction) => Promise<R>): Promise<R>;
  /** Changes to the given collections (all when empty), in commit order, after subscribing. */
  subscribe(collections: readonly CollectionName[], listener: ChangeListener): () => void;
  /** Resolves once every subscription made so far reports later writes (a remote feed starts asynchronously). */
  listening?(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown when code inside a transaction reads after it wrote. */
export class ReadAfterWriteError extends Error {
  constructor() {
    super('a transaction must do all its reads before its first write');
    this.name = 'ReadAfterWriteError';
  }
}

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

/** Cursor = the last row's sort value and id, so paging is stable under inserts. */
export function encodeCursor(value: FieldValue | undefined, id: string): string {
  return Buffer.from(JSON.stringify([value ?? null, id]), 'utf8').toString('base64url');
}

export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this server gave out');
    this.name = 'InvalidCursorError';
  }
}

export function decodeCursor(cursor: string): [FieldValue, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string') {
      const v = parsed[0];
      if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) return [v as FieldValue, parsed[1]];
    }
  } catch {
    /* fall through */
  }
  throw new InvalidCursorError();
}

export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(1, Math.floor(limit ?? DEFAULT_PAGE_LIMIT)), MAX_PAGE_LIMIT);
}
