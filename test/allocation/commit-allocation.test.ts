import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitAllocation, planAllocation, type AllocationPlan } from '../../provisioning/allocation/index.js';
import type { Actor, CollectionName, PhoneNumber } from '../../provisioning/model/index.js';
import type { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';
import { openTempSqliteStore, removeTempSqliteStore } from '../support/temp-sqlite-store.js';
import { carrier, NOW, number, shelter, sheltersOf } from '../support/model-fixtures.js';

const actor: Actor = { id: 'coordinator-1', role: 'coordinator', label: 'Nanao HQ' };
let store: SqliteStore;

beforeEach(() => {
  store = openTempSqliteStore();
});
afterEach(async () => {
  await removeTempSqliteStore(store);
});

async function seed(...numbers: PhoneNumber[]): Promise<void> {
  await store.putMany('numbers', numbers);
}

async function audit(): Promise<Array<{ action: string; entity: { id: string }; reason: string | null; after: Record<string, unknown> | null }>> {
  return (await store.query('audit', { limit: 1000 })).items;
}

const planFor = (pool: PhoneNumber[], shelters: Array<{ id: string; lines: number }>): AllocationPlan =>
  planAllocation({
    shelters: shelters.map((s) => ({ ...s, areaCodes: ['0767'], held: [] })),
    pool,
    carriers: [carrier('A'), carrier('B')],
    load: {},
    now: NOW,
    etocGraceDays: 180,
  });

describe('commitAllocation', () => {
  it('reserves each planned number for its shelter, with its reasons, in one audit row for the shelters that landed together', async () => {
    const pool = [number('0767520001', 'A'), number('0767520002', 'B'), number('0767520003', 'A')];
    await seed(...pool);
    const plan = planFor(pool, [{ id: 'S1', lines: 2 }, { id: 'S2', lines: 1 }]);
    const result = await commitAllocation(store, plan, { at: NOW, actor, shelters: await sheltersOf(store, plan) });
    expect(result.conflicts).toEqual([]);
    expect(result.committed).toEqual([
      // Round-robin: S2 gets B's number as its first line before S1 gets a second one.
      { shelterId: 'S1', e164s: ['+81767520001', '+81767520003'] },
      { shelterId: 'S2', e164s: ['+81767520002'] },
    ]);
    const n1 = await store.get('numbers', '+81767520001');
    expect(n1).toMatchObject({ state: 'reserved', shelterId: 'S1', version: 1, updatedAt: NOW.toISOString() });
    expect(n1!.reasons).toEqual(plan.assignments.find((a) => a.e164 === '+81767520001')!.reasons);
    const events = (await store.query('audit', { limit: 1000 })).items;
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ action: 'number.reserved', entity: { collection: 'shelters', id: 'S1' }, related: ['S2'] });
    expect(event!.reason).toMatch(/^allocated to shelter S1: \+81767520001 \(.*\|\| allocated to shelter S2: \+81767520002 \(0AB-J 0767/);
    expect(Object.keys(event!.after!).sort()).toEqual(['+81767520001', '+81767520002', '+81767520003']);
    expect(event!.after!['+81767520002']).toMatchObject({ shelterId: 'S2' });
  });

  it('never gives one number to two shelters: a number taken meanwhile is a conflict', async () => {
    const pool = [number('0767520001', 'A'), number('0767520002', 'B')];
    await seed(...pool);
    const plan = planFor(pool, [{ id: 'S1', lines: 2 }]);
    // Another orchestrator reserved one of them for S9 after we planned.
    const taken = { ...pool[1]!, state: 'reserved' as const, shelterId: 'S9', version: 1 };
    await store.put('numbers', taken);

    const result = await commitAllocation(store, plan, { at: NOW, actor, shelters: await sheltersOf(store, plan) });
    expect(result.committed).toEqual([{ shelterId: 'S1', e164s: ['+81767520001'] }]);
    expect(result.conflicts).toEqual([{ shelterId: 'S1', e164: '+81767520002', reason: 'already reserved for shelter S9' }]);
    expect(await store.get('numbers', '+81767520002')).toMatchObject({ shelterId: 'S9', version: 1 });
    expect((await audit()).map((e) => [e.entity.id, Object.keys(e.after!)])).toEqual([['S1', ['+81767520001']]]);
  });

  it('lets two plans made from the same snapshot race without a double assignment', async () => {
    const pool = Array.from({ length: 6 }, (_, i) => number(`076752000${i}`, i % 2 ? 'A' : 'B'));
    await seed(...pool);
    const first = planFor(pool, [{ id: 'S1', lines: 2 }, { id: 'S2', lines: 2 }, { id: 'S3', lines: 2 }]);
    const second = planFor(pool, [{ id: 'T1', lines: 2 }, { id: 'T2', lines: 2 }, { id: 'T3', lines: 2 }]);
    const [a, b] = await Promise.all([
      commitAllocation(store, first, { at: NOW, actor, shelters: await sheltersOf(store, first), groupSize: 1 }),
      commitAllocation(store, second, { at: NOW, actor, shelters: await sheltersOf(store, second), groupSize: 1 }),
    ]);
    const won = [...a.committed, ...b.committed].flatMap((c) => c.e164s);
    expect(won.sort()).toEqual(pool.map((p) => p.e164).sort());
    expect(a.conflicts.length + b.conflicts.length).toBe(6);
    const stored = (await store.query('numbers', { limit: 100 })).items;
    for (const n of stored) {
      const owners = [...a.committed, ...b.committed].filter((c) => c.e164s.includes(n.e164)).map((c) => c.shelterId);
      expect(owners).toEqual([n.shelterId]);
    }
  });

  it("reserves a reclaimed ageing number for its former shelter and keeps its quarantine end", async () => {
    const ageing = number('0767520009', 'A', { state: 'aging', previousShelterId: 'S1', agingUntil: '2024-03-01T00:00:00.000Z' });
    await seed(ageing);
    const plan = planFor([ageing], [{ id: 'S1', lines: 1 }]);
    expect(plan.assignments[0]!.reclaim).toBe(true);
    await commitAllocation(store, plan, { at: NOW, actor, shelters: await sheltersOf(store, plan) });
    expect(await store.get('numbers', ageing.e164)).toMatchObject({ state: 'reserved', shelterId: 'S1', agingUntil: '2024-03-01T00:00:00.000Z' });
  });

  it('commits again without effect: a retry after a crash finds its numbers already reserved', async () => {
    const pool = [number('0767520001', 'A'), number('0767520002', 'B')];
    await seed(...pool);
    const plan = planFor(pool, [{ id: 'S1', lines: 2 }]);
    await commitAllocation(store, plan, { at: NOW, actor, shelters: await sheltersOf(store, plan) });
    const again = await commitAllocation(store, plan, { at: NOW, actor, shelters: await sheltersOf(store, plan) });
    expect(again).toEqual({ committed: [{ shelterId: 'S1', e164s: expect.arrayContaining(pool.map((p) => p.e164)) }], conflicts: [] });
    expect(await audit()).toHaveLength(1);
  });

  it('writes many shelters in one grouped write: their numbers, their versions and one audit row for them all, no shared counter', async () => {
    const pool = Array.from({ length: 8 }, (_, i) => number(`076752000${i}`, i % 2 ? 'A' : 'B'));
    await seed(...pool);
    const plan = planFor(pool, [1, 2, 3, 4].map((i) => ({ id: `S${i}`, lines: 2 })));
    const shelters = await sheltersOf(store, plan);
    const touched: Array<[CollectionName, string]> = [];
    store.subscribe([], (c) => touched.push([c.collection, c.id]));
    let grouped = 0;
    const commitGuarded = store.commitGuarded.bind(store);
    store.commitGuarded = (groups, record) => {
      grouped++;
      return commitGuarded(groups, record);
    };
    await commitAllocation(store, plan, { at: NOW, actor, shelters });
    expect(grouped).toBe(1);
    expect(new Set(touched.map(([c]) => c))).toEqual(new Set(['numbers', 'shelters', 'audit']));
    expect(touched.filter(([c]) => c === 'numbers').map(([, id]) => id).sort()).toEqual(pool.map((p) => p.e164).sort());
    // 2 lines + the shelter's version bump (the guard against a second allocation), and 1 audit row for the 4.
    expect(touched.filter(([c]) => c === 'shelters').map(([, id]) => id).sort()).toEqual(['S1', 'S2', 'S3', 'S4']);
    expect(touched.filter(([c]) => c === 'audit')).toHaveLength(1);
    expect(touched.length).toBe(4 * 3 + 1);
  });

  it('a conflict inside a grouped commit costs only the affected shelter, which re-plans and gets another number', async () => {
    const pool = Array.from({ length: 10 }, (_, i) => number(`07675200${String(i).padStart(2, '0')}`, i % 2 ? 'A' : 'B'));
    await seed(...pool);
    const shelters = [1, 2, 3, 4].map((i) => ({ id: `S${i}`, lines: 2 }));
    const plan = planFor(pool, shelters);
    const s3 = plan.assignments.filter((a) => a.shelterId === 'S3').map((a) => a.e164);
    const planned = await sheltersOf(store, plan);
    // Between our read and our write, another orchestrator takes one of S3's numbers.
    const getMany = store.getMany.bind(store);
    store.getMany = (async (collection: 'numbers', ids: readonly string[]) => {
      const docs = await getMany(collection, ids);
      const n = docs.find((d) => d?.e164 === s3[0])!;
      await store.put('numbers', { ...n, state: 'reserved', shelterId: 'S9', version: n.version + 1 });
      return docs;
    }) as typeof store.getMany;
    const result = await commitAllocation(store, plan, { at: NOW, actor, shelters: planned });
    store.getMany = getMany;
    expect(result.committed.map((c) => c.shelterId).sort()).toEqual(['S1', 'S2', 'S4']);
    expect(result.conflicts.map((c) => [c.shelterId, c.e164]).sort()).toEqual(s3.map((e) => ['S3', e]).sort());
    // S3 wrote nothing; the others are reserved as planned.
    for (const e164 of s3) expect((await store.get('numbers', e164))!.shelterId).not.toBe('S3');
    for (const a of plan.assignments.filter((x) => x.shelterId !== 'S3')) expect(await store.get('numbers', a.e164)).toMatchObject({ state: 'reserved', shelterId: a.shelterId });
    // Re-planning touches S3 only, from what is left.
    const left = (await store.query('numbers', { where: { state: 'available' }, limit: 100 })).items;
    const again = planFor(left, [{ id: 'S3', lines: 2 }]);
    expect(new Set(again.assignments.map((a) => a.shelterId))).toEqual(new Set(['S3']));
    const second = await commitAllocation(store, again, { at: NOW, actor, shelters: await sheltersOf(store, again) });
    expect(second.conflicts).toEqual([]);
    expect(second.committed).toEqual([{ shelterId: 'S3', e164s: again.assignments.map((a) => a.e164) }]);
    const held = (await store.query('numbers', { where: { shelterId: 'S3' }, limit: 10 })).items;
    expect(held).toHaveLength(2);
  });

  it('lands only one of two allocations planned from the same view of a shelter: the other is a conflict, never a third line', async () => {
    const pool = Array.from({ length: 6 }, (_, i) => number(`076752000${i}`, i % 2 ? 'A' : 'B'));
    await seed(...pool);
    const s1 = shelter('S1');
    await store.put('shelters', s1);
    // Two instances both saw S1 with no line and planned different numbers for it.
    const one = planFor(pool.slice(0, 2), [{ id: 'S1', lines: 2 }]);
    const other = planFor(pool.slice(2, 4), [{ id: 'S1', lines: 2 }]);
    const first = await commitAllocation(store, one, { at: NOW, actor, shelters: new Map([['S1', s1]]) });
    const second = await commitAllocation(store, other, { at: NOW, actor, shelters: new Map([['S1', s1]]) });
    expect(first.conflicts).toEqual([]);
    expect(second.committed).toEqual([]);
    expect(second.conflicts.map((c) => c.reason)).toEqual(['the number or its shelter changed while this allocation was being written', 'the number or its shelter changed while this allocation was being written']);
    const held = (await store.query('numbers', { where: { shelterId: 'S1' }, limit: 10 })).items;
    expect(held.map((n) => n.e164).sort()).toEqual(one.assignments.map((a) => a.e164).sort());
    for (const a of other.assignments) expect(await store.get('numbers', a.e164)).toMatchObject({ state: 'available', version: 0 });
    expect(await store.get('shelters', 'S1')).toMatchObject({ version: s1.version + 1 });
    expect(await audit()).toHaveLength(1);
  });

  it('refuses a plan for a shelter it was not given as read, and writes nothing', async () => {
    const pool = [number('0767520001', 'A')];
    await seed(...pool);
    const result = await commitAllocation(store, planFor(pool, [{ id: 'S1', lines: 1 }]), { at: NOW, actor, shelters: new Map() });
    expect(result).toEqual({ committed: [], conflicts: [{ shelterId: 'S1', e164: '+81767520001', reason: 'shelter S1 was not read before its allocation was planned' }] });
    expect(await store.get('numbers', '+81767520001')).toMatchObject({ state: 'available', version: 0 });
  });

  it('reports a number its carrier withdrew from the store as a conflict', async () => {
    const pool = [number('0767520001', 'A')];
    const plan = planFor(pool, [{ id: 'S1', lines: 1 }]);
    const result = await commitAllocation(store, plan, { at: NOW, actor, shelters: await sheltersOf(store, plan) });
    expect(result).toEqual({ committed: [], conflicts: [{ shelterId: 'S1', e164: '+81767520001', reason: 'the number is no longer lent by any carrier' }] });
  });

  it('refuses a group size below one, and writes nothing', async () => {
    const pool = [number('0767520001', 'A')];
    await seed(...pool);
    await expect(commitAllocation(store, planFor(pool, [{ id: 'S1', lines: 1 }]), { at: NOW, actor, shelters: new Map(), groupSize: 0 })).rejects.toThrow(/groupSize must be a whole number ≥ 1/);
    expect(await store.get('numbers', '+81767520001')).toMatchObject({ state: 'available' });
  });
});
