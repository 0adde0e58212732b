import type { IdempotencyRecord } from '../model/index.js';
import type { Store } from '../store/store.js';
import { bumped } from '../store/versioned.js';

/** A remembered answer is kept for a day, as payment APIs do; Firestore drops it by its TTL field, SQLite by the sweep. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** A claim whose request never finished (the instance died) frees the key after this long. */
export const IDEMPOTENCY_CLAIM_MS = 5 * 60_000;

export type IdempotencyClaim =
  | { kind: 'claimed'; record: IdempotencyRecord }
  | { kind: 'replay'; record: IdempotencyRecord }
  | { kind: 'in-progress'; record: IdempotencyRecord }
  | { kind: 'mismatch'; record: IdempotencyRecord };

/**
 * Create-if-absent inside one store transaction: of any number of concurrent requests with one
 * key, on any number of instances, exactly one gets `claimed` and runs.
 */
export async function claimIdempotencyKey(store: Store, id: string, requestHash: string, now: Date): Promise<IdempotencyClaim> {
  const at = now.toISOString();
  return store.transaction(async (tx) => {
    const prior = await tx.get('idempotency', id);
    if (prior && prior.expireAt > at) {
      if (prior.requestHash !== requestHash) return { kind: 'mismatch', record: prior };
      return { kind: prior.state === 'done' ? 'replay' : 'in-progress', record: prior };
    }
    const record: IdempotencyRecord = {
      id, version: (prior?.version ?? -1) + 1, requestHash, state: 'running', status: 0, replySealed: null,
      expireAt: new Date(now.getTime() + IDEMPOTENCY_CLAIM_MS).toISOString(), createdAt: at,
    };
    tx.put('idempotency', record);
    return { kind: 'claimed', record };
  });
}

/** Keeps the answer (sealed by the caller: it may carry a freshly minted token) for a day. */
export async function completeIdempotencyKey(store: Store, claimed: IdempotencyRecord, status: number, replySealed: string, now: Date): Promise<void> {
  await store.put('idempotency', bumped(claimed, { state: 'done', status, replySealed, expireAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString() }));
}

/** The request failed without an answer worth replaying: the key is free again. */
export async function releaseIdempotencyKey(store: Store, id: string): Promise<void> {
  await store.delete('idempotency', id);
}

/** Deletes expired records (SQLite has no TTL); returns how many. */
export async function sweepExpiredIdempotency(store: Store, now: Date): Promise<number> {
  const at = now.toISOString();
  let removed = 0;
  for (;;) {
    const { items } = await store.query('idempotency', { orderBy: { field: 'expireAt', direction: 'asc' }, limit: 500 });
    const expired = items.filter((r) => r.expireAt <= at);
    for (const r of expired) await store.delete('idempotency', r.id);
    removed += expired.length;
    if (expired.length < items.length || items.length === 0) return removed;
  }
}
