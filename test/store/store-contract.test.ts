import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import type { AuditEvent, PhoneNumber } from '../../provisioning/model/index.js';
import { FirestoreStore } from '../../provisioning/store/firestore/firestore-store.js';
import {
  InvalidCursorError,
  ReadAfterWriteError,
  RECORD_SPAN,
  type Change,
  type Page,
  type Query,
  type Store,
} from '../../provisioning/store/store.js';
import { resetFirestore } from '../support/firestore-emulator.js';
import { firestoreEmulator } from '../support/requirements.js';
import { openTempSqliteStore, removeTempSqliteStore } from '../support/temp-sqlite-store.js';
import { claimNumber, claimNumberGuarded, type ClaimResult } from '../support/claim-number.js';
import { commitAllocation, planAllocation } from '../../provisioning/allocation/index.js';
import { carrier as carrierFixture, shelter as shelterFixture } from '../support/model-fixtures.js';
import { phoneNumber, pool } from '../support/number-fixtures.js';
import { createCarrierBudgets } from '../../provisioning/carriers/carrier-budget.js';
import { systemClock } from '../../provisioning/platform/clock.js';

const emulatorHost = firestoreEmulator('the Firestore store');

interface Adapter {
  name: 'sqlite' | 'firestore';
  available: boolean;
  /** A fresh, empty store; cleaned up after the test. */
  open(): Promise<Store>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const adapters: Adapter[] = [
  {
    name: 'sqlite',
    available: true,
    async open() {
      const store = openTempSqliteStore();
      cleanups.push(() => removeTempSqliteStore(store));
      return store;
    },
  },
  {
    name: 'firestore',
    available: emulatorHost !== null,
    async open() {
      // A project of its own per test: isolation without waiting for a reset between tests.
      const projectId = `contract-${randomUUID()}`;
      const store = new FirestoreStore({ projectId });
      cleanups.push(async () => {
        await store.close();
        await resetFirestore(projectId);
      });
      return store;
    },
  },
];

/** Firestore's feed goes live after its first snapshot; SQLite's at once. */
async function feedLive(store: Store): Promise<void> {
  if (store instanceof FirestoreStore) await store.listening();
}

function auditEvent(id: string): AuditEvent {
  return {
    id,
    version: 0,
    at: '2024-01-02T03:04:05.000Z',
    actor: { id: 'system', role: 'system' },
    action: 'number.reserved',
    entity: { collection: 'numbers', id: '+81767520000' },
    from: 'available',
    to: 'reserved',
    reason: null,
    before: null,
    after: null,
  };
}

/** Every page of a query, following cursors to the end. */
async function allPages(store: Store, query: Query<'numbers'>): Promise<PhoneNumber[]> {
  const seen: PhoneNumber[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: Page<PhoneNumber> = await store.query('numbers', { ...query, cursor });
    seen.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('paging did not end');
}

const ids = (docs: { id: string }[]) => docs.map((d) => d.id);

for (const adapter of adapters) {
  describe.skipIf(!adapter.available)(`${adapter.name} store (contract)`, () => {
    it('reads back exactly what it stored, and nothing after a delete', async () => {
      const store = await adapter.open();
      const doc = phoneNumber(1, { reasons: ['area 0767', 'second carrier'], carrierRef: 'PN123', shelterId: 'shelter-1' });
      expect(await store.get('numbers', doc.id)).toBeNull();
      await store.put('numbers', doc);
      expect(await store.get('numbers', doc.id)).toEqual(doc);
      await store.put('numbers', { ...doc, state: 'reserved', version: 1 });
      expect(await store.get('numbers', doc.id)).toMatchObject({ state: 'reserved', version: 1 });
      await store.delete('numbers', doc.id);
      expect(await store.get('numbers', doc.id)).toBeNull();
    });

    it('keeps collections apart', async () => {
      const store = await adapter.open();
      await store.put('numbers', phoneNumber(1));
      expect(await store.get('shelters', phoneNumber(1).id)).toBeNull();
      expect((await store.query('shelters')).items).toEqual([]);
    });

    it('filters on equality of strings, numbers, booleans and null, all filters together', async () => {
      const store = await adapter.open();
      await store.putMany('numbers', [
        phoneNumber(1, { state: 'available', version: 0, emergencyCapable: true }),
        phoneNumber(2, { state: 'reserved', version: 3, emergencyCapable: true }),
        phoneNumber(3, { state: 'available', version: 3, emergencyCapable: false, kind: '050', areaCode: null }),
        phoneNumber(4, { state: 'available', version: 3, emergencyCapable: true }),
      ]);
      const where = async (w: Query<'numbers'>['where']) => ids((await store.query('numbers', { where: w })).items).map((id) => id.slice(-1));
      expect(await where({ state: 'available' })).toEqual(['1', '3', '4']);
      expect(await where({ version: 3 })).toEqual(['2', '3', '4']);
      expect(await where({ emergencyCapable: false })).toEqual(['3']);
      expect(await where({ areaCode: null })).toEqual(['3']);
      expect(await where({ state: 'available', version: 3, emergencyCapable: true })).toEqual(['4']);
      expect(await where({ id: phoneNumber(2).id })).toEqual(['2']);
      expect(await where({ state: 'aging' })).toEqual([]);
    });

    it('counts the documents that match equality filters, without reading them out', async () => {
      const store = await adapter.open();
      await store.putMany('numbers', [
        phoneNumber(1, { state: 'available', carrierId: 'a' }),
        phoneNumber(2, { state: 'in_service', carrierId: 'a' }),
        phoneNumber(3, { state: 'in_service', carrierId: 'b' }),
        phoneNumber(4, { state: 'in_service', carrierId: 'a', areaCode: null }),
      ]);
      expect(await store.count('numbers')).toBe(4);
      expect(await store.count('numbers', { state: 'in_service' })).toBe(3);
      expect(await store.count('numbers', { state: 'in_service', carrierId: 'a' })).toBe(2);
      expect(await store.count('numbers', { areaCode: null })).toBe(1);
      expect(await store.count('shelters')).toBe(0);
    });

    it('counts past a page: more documents than the largest page limit', async () => {
      const store = await adapter.open();
      await store.putMany('numbers', pool(1200));
      expect(await store.count('numbers')).toBe(1200);
      expect(await store.count('numbers', { state: 'available' })).toBe(1200);
    });

    it('orders by a field ascending and descending, ties broken by id, nulls first when ascending', async () => {
      const store = await adapter.open();
      await store.putMany('numbers', [
        phoneNumber(1, { areaCode: '076' }),
        phoneNumber(2, { areaCode: null }),
        phoneNumber(3, { areaCode: '0767' }),
        phoneNumber(4, { areaCode: '076' }),
        phoneNumber(5, { areaCode: null }),
      ]);
      const asc = await store.query('numbers', { orderBy: { field: 'areaCode' } });
      expect(ids(asc.items).map((id) => id.slice(-1))).toEqual(['2', '5', '1', '4', '3']);
      const desc = await store.query('numbers', { orderBy: { field: 'areaCode', direction: 'desc' } });
      expect(ids(desc.items).map((id) => id.slice(-1))).toEqual(['3', '4', '1', '5', '2']);
      const byIdDesc = await store.query('numbers', { orderBy: { field: 'id', direction: 'desc' }, limit: 2 });
      expect(ids(byIdDesc.items).map((id) => id.slice(-1))).toEqual(['5', '4']);
    });

    it('returns at most `limit` documents and a cursor only when more remain', async () => {
      const store = await adapter.open();
      await store.putMany('numbers', pool(5));
      const first = await store.query('numbers', { limit: 3 });
      expect(first.items).toHaveLength(3);
      expect(first.nextCursor).not.toBeNull();
      const exact = await store.query('numbers', { limit: 5 });
      expect(exact.items).toHaveLength(5);
      expect(exact.nextCursor).toBeNull();
    });

    it('pages through every document exactly once, in order, with filters, ties and nulls', async () => {
      const store = await adapter.open();
      const docs = Array.from({ length: 23 }, (_, i) =>
        phoneNumber(i, {
          // Repeating values (ties) and some nulls, so the cursor needs both value and id.
          areaCode: i % 4 === 0 ? null : `07${i % 3}`,
          state: i % 5 === 0 ? 'reserved' : 'available',
        }),
      );
      await store.putMany('numbers', docs);
      for (const direction of ['asc', 'desc'] as const) {
        const whole = await store.query('numbers', { where: { state: 'available' }, orderBy: { field: 'areaCode', direction }, limit: 1000 });
        const paged = await allPages(store, { where: { state: 'available' }, orderBy: { field: 'areaCode', direction }, limit: 4 });
        expect(ids(paged)).toEqual(ids(whole.items));
        expect(new Set(ids(paged)).size).toBe(docs.filter((d) => d.state === 'available').length);
      }
      const byId = await allPages(store, { limit: 6 });
      expect(ids(byId)).toEqual(ids(docs).sort());
    });

    it('refuses a cursor it did not give out, and a field name that is not one', async () => {
      const store = await adapter.open();
      await expect(store.query('numbers', { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
      const badField = { where: { 'state) OR 1=1 --': 'x' } } as unknown as Query<'numbers'>;
      await expect(store.query('numbers', badField)).rejects.toThrow(/not a field name/);
    });

    it('runs a transaction that reads, then writes what it read', async () => {
      const store = await adapter.open();
      await store.put('numbers', phoneNumber(1, { version: 4 }));
      const result = await store.transaction(async (tx) => {
        const current = await tx.get('numbers', phoneNumber(1).id);
        if (!current) throw new Error('missing');
        tx.put('numbers', { ...current, version: current.version + 1, state: 'reserved' });
        tx.put('numbers', phoneNumber(2));
        return current.version;
      });
      expect(result).toBe(4);
      expect(await store.get('numbers', phoneNumber(1).id)).toMatchObject({ version: 5, state: 'reserved' });
      expect(await store.get('numbers', phoneNumber(2).id)).toEqual(phoneNumber(2));
    });

    it.each([
      ['a transaction per claim', claimNumber],
      ['the grouped commit path (getMany + commitGuarded)', claimNumberGuarded],
    ])('never gives one number to two shelters: 50 claims on a pool of 20, through %s', async (_path, claim) => {
      const store = await adapter.open();
      await store.putMany('numbers', pool(20));
      await store.putMany('numbers', pool(5, { state: 'in_service', shelterId: 'elsewhere' }).map((d, i) => ({ ...d, id: `+8150${1000_0000 + i}`, e164: `+8150${1000_0000 + i}` })));
      const at = '2024-01-03T00:00:00.000Z';
      const results: ClaimResult[] = await Promise.all(
        Array.from({ length: 50 }, (_, i) => claim(store, `shelter-${i}`, at)),
      );
      const claimed = results.filter((r) => r.kind === 'claimed');
      expect(claimed).toHaveLength(20);
      expect(results.filter((r) => r.kind === 'pool-exhausted')).toHaveLength(30);
      expect(new Set(claimed.map((r) => r.numberId)).size).toBe(20);
      const reserved = await store.query('numbers', { where: { state: 'reserved' }, limit: 1000 });
      expect(reserved.items).toHaveLength(20);
      // Each claim's shelter holds exactly the number its claim returned.
      const holder = new Map(reserved.items.map((n) => [n.id, n.shelterId]));
      results.forEach((r, i) => {
        if (r.kind === 'claimed') expect(holder.get(r.numberId)).toBe(`shelter-${i}`);
      });
      expect((await store.query('numbers', { where: { state: 'available' } })).items).toEqual([]);
    });

    it('never gives one number to two shelters: 50 concurrent commitAllocation calls planned from one snapshot of 20 numbers', async () => {
      const store = await adapter.open();
      const numbers = pool(20, { carrierId: 'carrier-a' });
      await store.putMany('numbers', numbers);
      const now = new Date('2024-01-10T00:00:00.000Z');
      const carrier = carrierFixture('carrier-a');
      const actor = { id: 'test', role: 'system' as const };
      const shelters = Array.from({ length: 50 }, (_, i) => shelterFixture(`shelter-${i}`));
      await store.putMany('shelters', shelters);
      // Every plan is made from the same snapshot: they all reach for the same numbers.
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          commitAllocation(store, planAllocation({ shelters: [{ id: `shelter-${i}`, areaCodes: ['0767'], lines: 1, held: [] }], pool: numbers, carriers: [carrier], load: {}, now, etocGraceDays: 180 }), { at: now, actor, shelters: new Map([[shelters[i]!.id, shelters[i]!]]) }),
        ),
      );
      const won = results.flatMap((r) => r.committed.flatMap((c) => c.e164s.map((e164) => [c.shelterId, e164] as const)));
      expect(new Set(won.map(([, e]) => e)).size).toBe(won.length);
      expect(won.length + results.reduce((n, r) => n + r.conflicts.length, 0)).toBe(50);
      const reserved = await store.query('numbers', { where: { state: 'reserved' }, limit: 1000 });
      expect(reserved.items).toHaveLength(won.length);
      const holder = new Map(reserved.items.map((n) => [n.id, n.shelterId]));
      for (const [shelterId, e164] of won) expect(holder.get(e164)).toBe(shelterId);
    });

    it('reads many documents in the order asked, with null for the missing', async () => {
      const store = await adapter.open();
      await store.putMany('numbers', pool(3));
      const docs = await store.getMany('numbers', [phoneNumber(2).id, phoneNumber(9).id, phoneNumber(0).id]);
      expect(docs).toEqual([phoneNumber(2), null, phoneNumber(0)]);
      expect(await store.getMany('numbers', [])).toEqual([]);
    });

    it('lands each guarded group only if its documents are still at the versions read, and a refused group writes nothing', async () => {
      const store = await adapter.open();
      await store.putMany('numbers', pool(4, { version: 2 }));
      const reserve = (n: number, shelterId: string, version = 2) => ({ collection: 'numbers' as const, doc: phoneNumber(n, { version: version + 1, state: 'reserved', shelterId }) });
      const guard = (n: number, version: number | null = 2) => ({ collection: 'numbers' as const, id: phoneNumber(n).id, version });
      // Someone else moved number 1 on to version 3 after we read it at 2.
      await store.put('numbers', phoneNumber(1, { version: 3, state: 'reserved', shelterId: 'other' }));
      const landed = await store.commitGuarded([
        { expect: [guard(0)], puts: [reserve(0, 'S1'), { collection: 'audit', doc: auditEvent('aud-1') }] },
        { expect: [guard(1), guard(2)], puts: [reserve(1, 'S2'), reserve(2, 'S2'), { collection: 'audit', doc: auditEvent('aud-2') }] },
        // Number 0 again, in the same call: the first group already changed it.
        { expect: [guard(0)], puts: [reserve(0, 'S3')] },
        { expect: [guard(3), guard(7, null)], puts: [reserve(3, 'S4'), { collection: 'numbers', doc: phoneNumber(7) }] },
      ]);
      expect(landed).toEqual([true, false, false, true]);
      expect(await store.get('numbers', phoneNumber(0).id)).toMatchObject({ shelterId: 'S1', version: 3 });
      expect(await store.get('numbers', phoneNumber(1).id)).toMatchObject({ shelterId: 'other', version: 3 });
      expect(await store.get('numbers', phoneNumber(2).id)).toEqual(phoneNumber(2, { version: 2 }));
      expect(await store.get('numbers', phoneNumber(3).id)).toMatchObject({ shelterId: 'S4' });
      expect(await store.get('numbers', phoneNumber(7).id)).toEqual(phoneNumber(7));
      expect(await store.get('audit', 'aud-1')).not.toBeNull();
      expect(await store.get('audit', 'aud-2')).toBeNull();
      // A guard that the document must not exist fails once it does.
      expect(await store.commitGuarded([{ expect: [guard(7, null)], puts: [{ collection: 'numbers', doc: phoneNumber(7, { carrierId: 'x' }) }] }])).toEqual([false]);
      expect(await store.get('numbers', phoneNumber(7).id)).toEqual(phoneNumber(7));
    });

    it("shares one member's limit among three instances: together never more requests at once than the limit, each gets a part, and a stop gives its slots back", async () => {
      const store = await adapter.open();
      await store.put('carriers', carrierFixture('kaga', { kind: 'twilio', capacity: { requestsPerSecond: 1000, concurrency: 4 } }));
      const timing = { renewEveryMs: 50, leaseMs: 4000, safetyMs: 1000, idleMs: 500 };
      const instances = ['a', 'b', 'c'].map((owner) => createCarrierBudgets({ store, clock: systemClock, owner: `worker-${owner}`, timing }));
      let inFlight = 0;
      let most = 0;
      const sentBy = [0, 0, 0];
      const request = (i: number) =>
        instances[i]!.gateFor('kaga')(async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          sentBy[i]!++;
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
          return { statusCode: 200 };
        });
      await Promise.all(Array.from({ length: 90 }, (_, k) => request(k % 3)));
      expect(most).toBeLessThanOrEqual(4);
      expect(most).toBeGreaterThan(1);
      expect(sentBy.every((n) => n === 30)).toBe(true);
      const held = (await store.query('carrierSlots', { where: { carrierId: 'kaga' }, limit: 100 })).items;
      // No slot past the limit, none with two owners (one document each).
      expect(held.every((s) => s.index < 4)).toBe(true);
      expect(new Set(held.map((s) => s.id)).size).toBe(held.length);
      await Promise.all(instances.map((b) => b.stop()));
      const after = (await store.query('carrierSlots', { where: { carrierId: 'kaga' }, limit: 100 })).items;
      expect(after.filter((s) => s.owner !== null)).toEqual([]);
    });

    it('finds documents whose array field holds a value, with an equality filter, newest first, page by page', async () => {
      const store = await adapter.open();
      const events = Array.from({ length: 7 }, (_, i) => ({
        ...auditEvent(`aud-${i}`),
        action: i === 6 ? 'shelter.open' : 'number.reserved',
        related: i % 2 === 0 ? ['S1', 'S2'] : ['S3'],
      }));
      await store.putMany('audit', events);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<AuditEvent> = await store.query('audit', { where: { action: 'number.reserved' }, contains: { field: 'related', value: 'S2' }, orderBy: { field: 'id', direction: 'desc' }, limit: 2, cursor });
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);
      // aud-6 holds S2 too, but is not a number.reserved event.
      expect(seen).toEqual(['aud-4', 'aud-2', 'aud-0']);
      expect((await store.query('audit', { contains: { field: 'related', value: 'S9' } })).items).toEqual([]);
    });

    it('writes the record of the groups that land with them, naming only those (a refused group is in no record)', async () => {
      const store = await adapter.open();
      await store.putMany('numbers', pool(250, { version: 2 }));
      // Number 5 moved on after we read it: its group is refused.
      await store.put('numbers', phoneNumber(5, { version: 3, state: 'reserved', shelterId: 'other' }));
      const groups = Array.from({ length: 250 }, (_, n) => ({
        expect: [{ collection: 'numbers' as const, id: phoneNumber(n).id, version: 2 }],
        puts: [{ collection: 'numbers' as const, doc: phoneNumber(n, { version: 3, state: 'reserved', shelterId: `S${n}` }) }],
      }));
      const calls: number[][] = [];
      const landed = await store.commitGuarded(groups, (idx) => {
        calls.push([...idx]);
        return { collection: 'audit', doc: { ...auditEvent(`rec-${calls.length}`), related: idx.map((i) => `S${i}`) } };
      });
      expect(landed.filter((ok) => !ok)).toHaveLength(1);
      expect(landed[5]).toBe(false);
      const records = (await store.query('audit', { limit: 100 })).items;
      const named = records.flatMap((r) => r.related ?? []);
      // Every landed group is named once, the refused one never; no record names more than RECORD_SPAN groups.
      expect(named.sort()).toEqual(landed.flatMap((ok, i) => (ok ? [`S${i}`] : [])).sort());
      expect(records.every((r) => (r.related ?? []).length <= RECORD_SPAN)).toBe(true);
    });

    it('replaces a guarded document whole: fields the new version drops are gone', async () => {
      const store = await adapter.open();
      await store.put('numbers', phoneNumber(1, { carrierRef: 'PN1', version: 1 }));
      const { carrierRef: _dropped, ...rest } = phoneNumber(1, { version: 2, state: 'reserved', shelterId: 'S1' });
      expect(await store.commitGuarded([{ expect: [{ collection: 'numbers', id: rest.id, version: 1 }], puts: [{ collection: 'numbers', doc: rest }] }])).toEqual([true]);
      expect(await store.get('numbers', rest.id)).toEqual(rest);
    });

    it('writes nothing when the transaction throws', async () => {
      const store = await adapter.open();
      await store.put('numbers', phoneNumber(1));
      await expect(
        store.transaction(async (tx) => {
          const current = await tx.get('numbers', phoneNumber(1).id);
          tx.put('numbers', { ...current!, state: 'reserved' });
          tx.delete('numbers', phoneNumber(1).id);
          tx.put('numbers', phoneNumber(2));
          throw new Error('carrier refused');
        }),
      ).rejects.toThrow('carrier refused');
      expect(await store.get('numbers', phoneNumber(1).id)).toEqual(phoneNumber(1));
      expect(await store.get('numbers', phoneNumber(2).id)).toBeNull();
    });

    it('refuses a read after a write inside a transaction, and writes nothing', async () => {
      const store = await adapter.open();
      await expect(
        store.transaction(async (tx) => {
          tx.put('numbers', phoneNumber(1));
          return tx.get('numbers', phoneNumber(2).id);
        }),
      ).rejects.toBeInstanceOf(ReadAfterWriteError);
      await expect(
        store.transaction(async (tx) => {
          tx.delete('numbers', phoneNumber(3).id);
          return tx.query('numbers');
        }),
      ).rejects.toBeInstanceOf(ReadAfterWriteError);
      expect(await store.get('numbers', phoneNumber(1).id)).toBeNull();
    });

    it('feeds puts and deletes in commit order, from puts, transactions and putMany', async () => {
      const store = await adapter.open();
      await store.put('numbers', phoneNumber(0)); // Already there: not a change.
      const changes: Change[] = [];
      const unsubscribe = store.subscribe(['numbers'], (c) => changes.push(c));
      const other: Change[] = [];
      store.subscribe(['audit'], (c) => other.push(c));
      await feedLive(store);

      const seen = (n: number) => vi.waitFor(() => expect(changes).toHaveLength(n), { timeout: 10_000, interval: 20 });
      // Each step waits for its change: a state-based feed (Firestore) may merge commits it sees together.
      await store.put('numbers', phoneNumber(1));
      await seen(1);
      await store.put('numbers', { ...phoneNumber(1), state: 'reserved' });
      await seen(2);
      await store.transaction(async (tx) => {
        const n = await tx.get('numbers', phoneNumber(1).id);
        tx.put('numbers', { ...n!, state: 'in_service' });
      });
      await seen(3);
      await store.delete('numbers', phoneNumber(0).id);
      await seen(4);
      await store.putMany('numbers', [phoneNumber(2), phoneNumber(3), phoneNumber(4)]);
      await seen(7);
      await store.transaction(async (tx) => {
        tx.delete('numbers', phoneNumber(2).id);
      });
      await seen(8);
      await store.put('audit', auditEvent('evt_1'));
      await vi.waitFor(() => expect(other).toHaveLength(1), { timeout: 10_000, interval: 20 });

      const summary = changes.map((c) => (c.type === 'put' ? `put ${c.id.slice(-1)} ${(c.doc as PhoneNumber).state}` : `delete ${c.id.slice(-1)}`));
      expect(summary).toEqual([
        'put 1 available',
        'put 1 reserved',
        'put 1 in_service',
        'delete 0',
        'put 2 available',
        'put 3 available',
        'put 4 available',
        'delete 2',
      ]);
      expect(changes.every((c) => c.collection === 'numbers')).toBe(true);
      expect(other).toEqual([{ collection: 'audit', type: 'put', id: 'evt_1', doc: auditEvent('evt_1') }]);

      unsubscribe();
      await store.put('numbers', phoneNumber(9));
      await store.put('audit', auditEvent('evt_2'));
      await vi.waitFor(() => expect(other).toHaveLength(2), { timeout: 10_000, interval: 20 });
      expect(changes).toHaveLength(8);
    });
  });
}
