import type { Store } from '../../provisioning/store/store.js';

export type ClaimResult = { kind: 'claimed'; numberId: string } | { kind: 'pool-exhausted' };

/**
 * Claims one available number for a shelter using only the Store port: list candidates, pick one
 * at random, then re-check and reserve it in a transaction on that one document. Picking at random
 * keeps concurrent claims off a single hot document; listing outside the transaction keeps the
 * transaction from locking every candidate (Firestore locks what a transaction reads).
 */
export async function claimNumber(store: Store, shelterId: string, at: string, candidates = 20): Promise<ClaimResult> {
  for (let round = 0; round < 1000; round++) {
    const page = await store.query('numbers', { where: { state: 'available' }, limit: candidates });
    if (page.items.length === 0) return { kind: 'pool-exhausted' };
    const pick = page.items[Math.floor(Math.random() * page.items.length)]!;
    const claimed = await store.transaction(async (tx) => {
      const current = await tx.get('numbers', pick.id);
      // Someone else got it between the listing and now: list again.
      if (!current || current.state !== 'available') return false;
      tx.put('numbers', { ...current, state: 'reserved', shelterId, version: current.version + 1, updatedAt: at });
      return true;
    });
    if (claimed) return { kind: 'claimed', numberId: pick.id };
  }
  throw new Error(`claim for ${shelterId} did not settle`);
}

/**
 * The same claim through the grouped commit path (Store.getMany + commitGuarded): read a random
 * candidate, then write it only if it is still at the version read.
 */
export async function claimNumberGuarded(store: Store, shelterId: string, at: string, candidates = 20): Promise<ClaimResult> {
  for (let round = 0; round < 1000; round++) {
    const page = await store.query('numbers', { where: { state: 'available' }, limit: candidates });
    if (page.items.length === 0) return { kind: 'pool-exhausted' };
    const pick = page.items[Math.floor(Math.random() * page.items.length)]!;
    const [current] = await store.getMany('numbers', [pick.id]);
    if (!current || current.state !== 'available') continue;
    const [landed] = await store.commitGuarded([
      {
        expect: [{ collection: 'numbers', id: current.id, version: current.version }],
        puts: [{ collection: 'numbers', doc: { ...current, state: 'reserved', shelterId, version: current.version + 1, updatedAt: at } }],
      },
    ]);
    if (landed) return { kind: 'claimed', numberId: pick.id };
  }
  throw new Error(`claim for ${shelterId} did not settle`);
}
