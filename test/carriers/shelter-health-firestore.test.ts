import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { refreshShelterHealth } from '../../provisioning/carriers/shelter-health-sync.js';
import { FirestoreStore } from '../../provisioning/store/firestore/firestore-store.js';
import { resetFirestore } from '../support/firestore-emulator.js';
import { firestoreEmulator } from '../support/requirements.js';
import { carrier, number } from '../support/model-fixtures.js';
import { shelter } from '../support/hub-fixture.js';

const emulatorHost = firestoreEmulator();

/**
 * Every shelter's end-of-job write recomputes its service from its carriers. Reading the carriers
 * inside that transaction made every carrier document a lock all shelters share: one transaction
 * stuck on a carrier (behind a killed instance's lock, which Firestore keeps for a minute) stalled
 * every opening in its process (issue 14: three instances, no progress for minutes after a SIGKILL).
 */
describe.skipIf(!emulatorHost)('shelter health on Firestore while a carrier document is held', () => {
  const projectId = `health-${randomUUID()}`;
  let store: FirestoreStore;
  const at = new Date('2026-09-01T09:00:00.000Z');

  beforeAll(async () => {
    // Few attempts: contention must not be what lets this pass or fail slowly.
    store = new FirestoreStore({ projectId, maxTransactionAttempts: 3 });
    await store.put('carriers', carrier('noto', { health: 'up' }));
    await store.put('shelters', shelter(1, { desiredStatus: 'open', actualStatus: 'opening' }));
    await store.put('numbers', number('0767520001', 'noto', { state: 'in_service', shelterId: shelter(1).id, routingConfirmedAt: at.toISOString() }));
  });
  afterAll(async () => {
    await store?.close();
    if (emulatorHost) await resetFirestore(projectId);
  });

  it("recomputes a shelter's service without waiting for a transaction that holds its carrier", async () => {
    let letGo!: () => void;
    const gate = new Promise<void>((r) => (letGo = r));
    let reading!: () => void;
    const hasRead = new Promise<void>((r) => (reading = r));
    // A carrier write in flight (a health change, a freeze) that has read the carrier and not yet committed.
    const holder = store.transaction(async (tx) => {
      const c = await tx.get('carriers', 'noto');
      reading();
      await gate;
      tx.put('carriers', { ...c!, healthReason: 'held', version: c!.version + 1 });
    });
    await hasRead;
    try {
      const updated = await refreshShelterHealth(store, shelter(1).id, at);
      expect(updated?.service).toMatchObject({ workingLines: 1, wantedLines: 2 });
    } finally {
      letGo();
      await holder;
    }
    expect((await store.get('carriers', 'noto'))?.healthReason).toBe('held');
    expect((await store.get('shelters', shelter(1).id))?.service).toMatchObject({ workingLines: 1, wantedLines: 2 });
  });
});
