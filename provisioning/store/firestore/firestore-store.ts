import {
  DocumentReference,
  FieldValue as FsFieldValue,
  Firestore,
  type CollectionReference,
  type DocumentSnapshot,
} from '@google-cloud/firestore';
import { COLLECTION_NAMES, type CollectionName, type Collections } from '../../model/index.js';
import { LocalContentionError, LocalLocks } from './local-locks.js';
import {
  ReadAfterWriteError,
  type Change,
  type ChangeListener,
  type GuardedWrite,
  type Page,
  type RecordLanded,
  RECORD_SPAN,
  type Query,
  type Store,
  type Transaction,
  type Where,
} from '../store.js';
import { toPlain, toStored } from './documents.js';
import { buildQuery, filtered, toPage } from './queries.js';

export interface FirestoreStoreOptions {
  projectId: string;
  databaseId?: string;
  /** A client to use instead of creating one; the caller then owns (and terminates) it. */
  firestore?: Firestore;
  /** Prepended to every collection name, so tests or tenants can share one database. */
  prefix?: string;
  /** How many times a contended transaction is attempted before it fails; default 50. */
  maxTransactionAttempts?: number;
  /** Told when a change-feed listener fails; the feed for that collection has then stopped. */
  onFeedError?: (collection: CollectionName, error: Error) => void;
}

/** Firestore's limit of writes per batched commit. */
const BATCH_LIMIT = 500;
const RETRY_BASE_MS = 10;
const RETRY_MAX_MS = 500;
/** gRPC codes on which a transaction is worth running again: ABORTED (contention), UNAVAILABLE. */
const CONTENTION_CODES = new Set([10, 14]);
const INVALID_ARGUMENT = 3;
/**
 * INVALID_ARGUMENT about the transaction itself: Firestore closed it (a lock timeout aborted it, or
 * it expired) while a parallel read of the same attempt was still in flight. Nothing was written.
 */
const CLOSED_TRANSACTION = /transaction is invalid or closed|transaction has expired|no longer valid/i;
/** gRPC codes of a batch refused by a precondition: NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED. */
const PRECONDITION_CODES = new Set([5, 6, 9, 10]);
/** Documents per getAll round trip. */
const READ_CHUNK = 300;
/** Batches of guarded writes in flight at once. */
const BATCHES_IN_FLIGHT = 8;

/** Whether running the whole transaction again may succeed; nothing of a failed attempt was committed. */
export function isContention(err: unknown): boolean {
  if (err instanceof LocalContentionError) return true;
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'number') return false;
  return CONTENTION_CODES.has(code) || (code === INVALID_ARGUMENT && typeof message === 'string' && CLOSED_TRANSACTION.test(message));
}

export class FirestoreStore implements Store {
  readonly kind = 'firestore' as const;
  readonly db: Firestore;
  private readonly owned: boolean;
  private readonly prefix: string;
  private readonly maxAttempts: number;
  private readonly onFeedError: FirestoreStoreOptions['onFeedError'];
  private readonly locks = new LocalLocks();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly unsubscribers = new Set<() => void>();
  private readonly pendingListens = new Set<Promise<void>>();
  private closed = false;

  constructor(options: FirestoreStoreOptions) {
    if (!options.projectId) throw new Error('FirestoreStore needs a projectId');
    if (options.prefix !== undefined && !/^[A-Za-z0-9_-]*$/.test(options.prefix)) {
      throw new Error(`not a collection prefix: ${JSON.stringify(options.prefix)}`);
    }
    this.owned = !options.firestore;
    this.db =
      options.firestore ??
      new Firestore({
        projectId: options.projectId,
        ...(options.databaseId ? { databaseId: options.databaseId } : {}),
        ignoreUndefinedProperties: true,
      });
    this.prefix = options.prefix ?? '';
    this.maxAttempts = options.maxTransactionAttempts ?? 50;
    this.onFeedError = options.onFeedError;
  }

  private col(collection: CollectionName): CollectionReference {
    return this.db.collection(this.prefix + collection);
  }

  async get<C extends CollectionName>(collection: C, id: string): Promise<Collections[C] | null> {
    this.assertOpen();
    const snap = await this.col(collection).doc(id).get();
    return snap.exists ? (toPlain(snap.data()) as Collections[C]) : null;
  }

  async query<C extends CollectionName>(collection: C, query: Query<C> = {}): Promise<Page<Collections[C]>> {
    this.assertOpen();
    const built = buildQuery(this.col(collection), query);
    return toPage(await built.query.get(), built.limit, built.orderField);
  }

  async count<C extends CollectionName>(collection: C, where: Where<C> = {}): Promise<number> {
    this.assertOpen();
    // Filters only: the page limit and sort of a query would cap or skew the count.
    const snap = await filtered(this.col(collection), where).count().get();
    return snap.data().count;
  }

  async put<C extends CollectionName>(collection: C, doc: Collections[C]): Promise<void> {
    this.assertOpen();
    const ref = this.col(collection).doc(doc.id);
    await this.locks.idle(ref.path);
    await ref.set(toStored(doc));
  }

  async delete<C extends CollectionName>(collection: C, id: string): Promise<void> {
    this.assertOpen();
    const ref = this.col(collection).doc(id);
    await this.locks.idle(ref.path);
    await ref.delete();
  }

  async putMany<C extends CollectionName>(collection: C, docs: Collections[C][]): Promise<void> {
    this.assertOpen();
    // One batch at a time, so each chunk is atomic and the change feed sees chunks in order.
    for (let i = 0; i < docs.length; i += BATCH_LIMIT) {
      const batch = this.db.batch();
      for (const doc of docs.slice(i, i + BATCH_LIMIT)) {
        const ref = this.col(collection).doc(doc.id);
        await this.locks.idle(ref.path);
        batch.set(ref, toStored(doc));
      }
      await batch.commit();
    }
  }

  async getMany<C extends CollectionName>(collection: C, ids: readonly string[]): Promise<Array<Collections[C] | null>> {
    this.assertOpen();
    const snaps = await this.readAll(ids.map((id) => this.col(collection).doc(id)));
    return snaps.map((s) => (s.exists ? (toPlain(s.data()) as Collections[C]) : null));
  }

  private async readAll(refs: DocumentReference[]): Promise<DocumentSnapshot[]> {
    const chunks: DocumentReference[][] = [];
    for (let i = 0; i < refs.length; i += READ_CHUNK) chunks.push(refs.slice(i, i + READ_CHUNK));
    const read = await Promise.all(chunks.map((c) => this.db.getAll(...c)));
    return read.flat();
  }

  /**
   * Reads every guarded document once (one getAll per 300), checks versions here, then commits
   * the groups that pass in batches of up to 500 writes whose updates carry the read's update time
   * as a precondition: a document changed since makes Firestore refuse the batch, which is then
   * split until the group at fault stands alone and is reported as not landed.
   */
  async commitGuarded(groups: readonly GuardedWrite[], record?: RecordLanded): Promise<boolean[]> {
    this.assertOpen();
    const landed = groups.map(() => false);
    const paths = new Map<string, DocumentReference>();
    for (const g of groups) for (const e of g.expect) {
      const ref = this.col(e.collection).doc(e.id);
      paths.set(ref.path, ref);
    }
    const refs = [...paths.values()];
    const snaps = new Map((await this.readAll(refs)).map((s, i) => [refs[i]!.path, s]));
    const claimed = new Set<string>();
    const ready: number[] = [];
    groups.forEach((g, i) => {
      const ok = g.expect.every((e) => {
        const path = this.col(e.collection).doc(e.id).path;
        const snap = snaps.get(path)!;
        if (claimed.has(path)) return false; // an earlier group of this call changes it
        return e.version === null ? !snap.exists : snap.exists && ((snap.get('version') as number | undefined) ?? 0) === e.version;
      });
      if (!ok) return;
      for (const e of g.expect) claimed.add(this.col(e.collection).doc(e.id).path);
      ready.push(i);
    });

    const commit = async (idx: number[]): Promise<void> => {
      const batch = this.db.batch();
      for (const i of idx) {
        const g = groups[i]!;
        const written = new Set<string>();
        for (const p of g.puts) {
          const ref = this.col(p.collection).doc(p.doc.id);
          await this.locks.idle(ref.path);
          written.add(ref.path);
          const guard = g.expect.find((e) => e.collection === p.collection && e.id === p.doc.id);
          const snap = snaps.get(ref.path);
          const data = toStored(p.doc);
          if (!guard) batch.set(ref, data);
          else if (guard.version === null) batch.create(ref, data);
          else {
            // update() keeps fields it is not given: delete the ones the new document dropped.
            for (const key of Object.keys(snap!.data() ?? {})) if (!(key in data)) data[key] = FsFieldValue.delete();
            batch.update(ref, data, { lastUpdateTime: snap!.updateTime! });
          }
        }
        for (const e of g.expect) {
          const ref = this.col(e.collection).doc(e.id);
          const snap = snaps.get(ref.path)!;
          // A guard on a document the group does not write still needs a precondition to ride on.
          if (!written.has(ref.path) && snap.exists) batch.update(ref, { version: e.version }, { lastUpdateTime: snap.updateTime! });
        }
      }
      // The record of these groups rides in their batch: if the batch is split, each part records its own.
      if (record) {
        for (let k = 0; k < idx.length; k += RECORD_SPAN) {
          const r = record(idx.slice(k, k + RECORD_SPAN));
          batch.set(this.col(r.collection).doc(r.doc.id), toStored(r.doc));
        }
      }
      try {
        await batch.commit();
        for (const i of idx) landed[i] = true;
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        if (typeof code !== 'number' || !PRECONDITION_CODES.has(code)) throw err;
        if (idx.length === 1) return;
        const half = Math.ceil(idx.length / 2);
        await Promise.all([commit(idx.slice(0, half)), commit(idx.slice(half))]);
      }
    };

    const batches: number[][] = [];
    let current: number[] = [];
    let writes = 0;
    // Room for the records: a batch of up to BATCH_LIMIT groups needs one per RECORD_SPAN of them.
    const limit = record ? BATCH_LIMIT - Math.ceil(BATCH_LIMIT / RECORD_SPAN) : BATCH_LIMIT;
    for (const i of ready) {
      const n = groups[i]!.puts.length + groups[i]!.expect.length;
      if (writes + n > limit && current.length > 0) {
        batches.push(current);
        current = [];
        writes = 0;
      }
      current.push(i);
      writes += n;
    }
    if (current.length > 0) batches.push(current);
    for (let i = 0; i < batches.length; i += BATCHES_IN_FLIGHT) await Promise.all(batches.slice(i, i + BATCHES_IN_FLIGHT).map(commit));
    return landed;
  }

  /**
   * Retries contention itself with a short full-jitter backoff: the SDK's own retry waits a
   * second and more between attempts, which makes a busy pool crawl. Transactions of this
   * process that need the same document take turns (LocalLocks) instead of deadlocking.
   */
  transaction<R>(fn: (tx: Transaction) => Promise<R>): Promise<R> {
    this.assertOpen();
    const running = this.retrying(fn);
    // close() lets running transactions finish rather than cut them off mid-commit.
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return running;
  }

  private async retrying<R>(fn: (tx: Transaction) => Promise<R>): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(fn);
      } catch (err) {
        if (!isContention(err) || attempt >= this.maxAttempts || this.closed) throw err;
        const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
      }
    }
  }

  private async attempt<R>(fn: (tx: Transaction) => Promise<R>): Promise<R> {
    const locks = this.locks.begin();
    try {
      return await this.db.runTransaction(
        async (t) => {
          let wrote = false;
          const tx: Transaction = {
            get: async (collection, id) => {
              if (wrote) throw new ReadAfterWriteError();
              const ref = this.col(collection).doc(id);
              locks.take(ref.path);
              const snap = await t.get(ref);
              return snap.exists ? (toPlain(snap.data()) as Collections[typeof collection]) : null;
            },
            query: async (collection, query) => {
              if (wrote) throw new ReadAfterWriteError();
              const built = buildQuery(this.col(collection), query ?? {});
              const snap = await t.get(built.query);
              for (const doc of snap.docs) locks.take(doc.ref.path);
              return toPage(snap, built.limit, built.orderField) as Page<Collections[typeof collection]>;
            },
            put: (collection, doc) => {
              wrote = true;
              const ref = this.col(collection).doc(doc.id);
              locks.take(ref.path);
              t.set(ref, toStored(doc));
            },
            delete: (collection, id) => {
              wrote = true;
              const ref = this.col(collection).doc(id);
              locks.take(ref.path);
              t.delete(ref);
            },
          };
          return fn(tx);
        },
        // Retries are ours (see `transaction`), so each attempt is one SDK attempt.
        { maxAttempts: 1 },
      );
    } finally {
      locks.release();
    }
  }

  /**
   * Watches each collection; the documents already there (the first snapshot) are not changes.
   * Order holds per collection and across commits; within one commit Firestore reports removals,
   * then additions, then modifications. Use `listening()` to know the feed is live.
   */
  subscribe(collections: readonly CollectionName[], listener: ChangeListener): () => void {
    this.assertOpen();
    const names = collections.length > 0 ? [...new Set(collections)] : [...COLLECTION_NAMES];
    const stops = names.map((collection) => {
      let initial = true;
      let markReady!: () => void;
      const ready = new Promise<void>((resolve) => (markReady = resolve));
      this.pendingListens.add(ready);
      void ready.then(() => this.pendingListens.delete(ready));
      const stop = this.col(collection).onSnapshot(
        (snap) => {
          if (initial) {
            initial = false;
            markReady();
            return;
          }
          for (const change of snap.docChanges()) {
            const id = change.doc.id;
            const event = (change.type === 'removed'
              ? { collection, type: 'delete', id }
              : { collection, type: 'put', id, doc: toPlain(change.doc.data()) }) as Change;
            try {
              listener(event);
            } catch {
              // A failing listener must not stop the feed for the others.
            }
          }
        },
        (error) => {
          markReady();
          this.onFeedError?.(collection, error);
        },
      );
      return () => {
        markReady();
        stop();
      };
    });
    const unsubscribe = () => {
      this.unsubscribers.delete(unsubscribe);
      for (const stop of stops) stop();
    };
    this.unsubscribers.add(unsubscribe);
    return unsubscribe;
  }

  /** Resolves once every subscription made so far has its first snapshot, so later writes are reported. */
  async listening(): Promise<void> {
    await Promise.all([...this.pendingListens]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const unsubscribe of [...this.unsubscribers]) unsubscribe();
    await Promise.all([...this.inFlight]);
    if (this.owned) await this.db.terminate();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}

