import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitAllocation, planAllocation, type AllocationPlan } from '../../provisioning/allocation/index.js';
import type { Actor, CollectionName, PhoneNumber } from '../../provisioning/model/index.js';
import { SqliteStore } from '../../provisioning/store/sqlite-store.js';
import { carrier, NOW, number } from './fixtures.js';

const actor: Actor = { id: 'coordinator-1', role: 'coordinator', label: 'Nanao HQ' };
let dir: string;
let store: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'alloc-commit-'));
  store = new SqliteStore(join(dir, 'orch.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function seed(...numbers: PhoneNumber[]): Promise<void> {
  await store.putMany('numbers', numbers);
}

async function audit(): Promise<Array<{ action: string; entity: { id: string }; reason: string | null }>> {
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
  it('reserves each planned number for its shelter, with its reasons and one audit event', async () => {
    const pool = [number('0767520001', 'A'), number('0767520002', 'B'), number('0767520003', 'A')];
    await seed(...pool);
    const plan = planFor(pool, [{ id: 'S1', lines: 2 }, { id: 'S2', lines: 1 }]);
    const result = await commitAllocation(store, plan, { at: NOW, actor });
    expect(result.conflicts).toEqual([]);
    expect(result.committed).toEqual([
      // Round-robin: S2 gets B's number as its first line before S1 gets a second one.
      { shelterId: 'S1', e164s: ['+81767520001', '+81767520003'] },
      { shelterId: 'S2', e164s: ['+81767520002'] },
    ]);
    const n1 = await store.get('numbers', '+81767520001');
    expect(n1).toMatchObject({ state: 'reserved', shelterId: 'S1', version: 1, updatedAt: NOW.toISOString() });
    expect(n1!.reasons).toEqual(plan.assignments.find((a) => a.e164 === '+81767520001')!.reasons);
    const events = await audit();
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.action === 'number.reserved')).toBe(true);
    expect(events.find((e) => e.entity.id === '+81767520002')!.reason).toMatch(/^allocated to shelter S2: 0AB-J 0767/);
  });

  it('never gives one number to two shelters: a number taken meanwhile is a conflict', async () => {
    const pool = [number('0767520001', 'A'), number('0767520002', 'B')];
    await seed(...pool);
    const plan = planFor(pool, [{ id: 'S1', lines: 2 }]);
    // Another orchestrator reserved one of them for S9 after we planned.
    const taken = { ...pool[1]!, state: 'reserved' as const, shelterId: 'S9', version: 1 };
    await store.put('numbers', taken);

    const result = await commitAllocation(store, plan, { at: NOW, actor });
    expect(result.committed).toEqual([{ shelterId: 'S1', e164s: ['+81767520001'] }]);
    expect(result.conflicts).toEqual([{ shelterId: 'S1', e164: '+81767520002', reason: 'already reserved for shelter S9' }]);
    expect(await store.get('numbers', '+81767520002')).toMatchObject({ shelterId: 'S9', version: 1 });
    expect((await audit()).map((e) => e.entity.id)).toEqual(['+81767520001']);
  });

  it('lets two plans made from the same snapshot race without a double assignment', async () => {
    const pool = Array.from({ length: 6 }, (_, i) => number(`076752000${i}`, i % 2 ? 'A' : 'B'));
    await seed(...pool);
    const first = planFor(pool, [{ id: 'S1', lines: 2 }, { id: 'S2', lines: 2 }, { id: 'S3', lines: 2 }]);
    const second = planFor(pool, [{ id: 'T1', lines: 2 }, { id: 'T2', lines: 2 }, { id: 'T3', lines: 2 }]);
    const [a, b] = await Promise.all([
      commitAllocation(store, first, { at: NOW, actor, concurrency: 3 }),
      commitAllocation(store, second, { at: NOW, actor, concurrency: 3 }),
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
    await commitAllocation(store, plan, { at: NOW, actor });
    expect(await store.get('numbers', ageing.e164)).toMatchObject({ state: 'reserved', shelterId: 'S1', agingUntil: '2024-03-01T00:00:00.000Z' });
  });

  it('commits again without effect: a retry after a crash finds its numbers already reserved', async () => {
    const pool = [number('0767520001', 'A'), number('0767520002', 'B')];
    await seed(...pool);
    const plan = planFor(pool, [{ id: 'S1', lines: 2 }]);
    await commitAllocation(store, plan, { at: NOW, actor });
    const again = await commitAllocation(store, plan, { at: NOW, actor });
    expect(again).toEqual({ committed: [{ shelterId: 'S1', e164s: expect.arrayContaining(pool.map((p) => p.e164)) }], conflicts: [] });
    expect(await audit()).toHaveLength(2);
  });

  it('writes only the numbers and their audit events, one transaction per shelter (no shared counter)', async () => {
    const pool = Array.from({ length: 8 }, (_, i) => number(`076752000${i}`, i % 2 ? 'A' : 'B'));
    await seed(...pool);
    const plan = planFor(pool, [1, 2, 3, 4].map((i) => ({ id: `S${i}`, lines: 2 })));
    const touched: Array<[CollectionName, string]> = [];
    store.subscribe([], (c) => touched.push([c.collection, c.id]));
    let transactions = 0;
    const tx = store.transaction.bind(store);
    store.transaction = (fn) => {
      transactions++;
      return tx(fn);
    };
    await commitAllocation(store, plan, { at: NOW, actor });
    expect(transactions).toBe(4);
    expect(new Set(touched.map(([c]) => c))).toEqual(new Set(['numbers', 'audit']));
    expect(touched.filter(([c]) => c === 'numbers').map(([, id]) => id).sort()).toEqual(pool.map((p) => p.e164).sort());
  });

  it('reports a number its carrier withdrew from the store as a conflict', async () => {
    const pool = [number('0767520001', 'A')];
    const plan = planFor(pool, [{ id: 'S1', lines: 1 }]);
    const result = await commitAllocation(store, plan, { at: NOW, actor });
    expect(result).toEqual({ committed: [], conflicts: [{ shelterId: 'S1', e164: '+81767520001', reason: 'the number is no longer lent by any carrier' }] });
  });

  it('refuses a concurrency below one', async () => {
    await expect(commitAllocation(store, { assignments: [], shortfalls: [] }, { at: NOW, actor, concurrency: 0 })).rejects.toThrow(/concurrency must be a whole number ≥ 1/);
  });
});
