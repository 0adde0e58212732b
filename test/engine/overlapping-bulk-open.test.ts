import { afterAll, describe, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { GuardedWrite, RecordLanded } from '../../provisioning/store/store.js';
import type { FirestoreStore } from '../../provisioning/store/firestore/firestore-store.js';
import type { Shelter } from '../../provisioning/model/index.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { firestoreEmulator } from '../support/requirements.js';
import { firestoreInstances } from '../support/firestore-instances.js';
import { allDocs, call } from '../support/api-server.js';
import { carrier, number } from '../support/model-fixtures.js';

const emulatorHost = firestoreEmulator();

const ADMIN = 'o'.repeat(40);
const instances = firestoreInstances('shelter-line-overlap', ADMIN);
afterAll(() => instances.closeAll());

const AT = '2024-01-10T00:00:00.000Z';
const pad = (n: number, w: number) => String(n).padStart(w, '0');

function shelter(i: number, areaCode: string): Shelter {
  return {
    id: `OVL${pad(i, 4)}`, version: 0, name: `重複避難所 ${i}`, municipalityCode: '172022', address: '石川県七尾市', lat: 37.04, lon: 136.96,
    capacity: 100, evacuees: null, areaCodes: [areaCode], desiredStatus: 'closed', actualStatus: 'closed', lines: 2, shortCode: null,
    currentJobId: null, service: null, replacementLines: [], lastPrint: null, noEmergencyLine: false, openedAt: null, closedAt: null, createdAt: AT, updatedAt: AT,
  };
}

/**
 * Both instances plan from the same view of the shelters, then the first lands its allocation
 * before the second commits: the overlap the issue saw by chance, made certain (each wait has a deadline).
 */
function planBothThenCommitInTurn(firstStore: FirestoreStore, secondStore: FirestoreStore): void {
  const signal = () => {
    let fire!: () => void;
    const fired = new Promise<void>((resolve) => (fire = resolve));
    return { fire, fired };
  };
  const secondPlanned = signal();
  const firstCommitted = signal();
  const within = async (p: Promise<void>, what: string): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} never happened`)), 60_000)));
    try {
      await Promise.race([p, deadline]);
    } finally {
      clearTimeout(timer);
    }
  };
  const hold = (store: FirestoreStore, turn: (commit: () => Promise<boolean[]>) => Promise<boolean[]>): void => {
    const commitGuarded = store.commitGuarded.bind(store);
    let first = true;
    store.commitGuarded = (groups: readonly GuardedWrite[], record?: RecordLanded) => {
      const allocation = first && groups.some((g) => g.puts.some((p) => p.collection === 'numbers'));
      if (!allocation) return commitGuarded(groups, record);
      first = false;
      return turn(() => commitGuarded(groups, record));
    };
  };
  hold(firstStore, async (commit) => {
    await within(secondPlanned.fired, 'the second allocation');
    const landed = await commit();
    firstCommitted.fire();
    return landed;
  });
  hold(secondStore, async (commit) => {
    secondPlanned.fire();
    await within(firstCommitted.fired, 'the first allocation');
    return commit();
  });
}

describe.skipIf(!emulatorHost)('overlapping bulk opens on two orchestrator instances (Firestore emulator)', () => {
  it('never gives a shelter more lines than it wants, whichever instance commits first', { timeout: 180_000 }, async () => {
    const prefix = `ovl${randomBytes(4).toString('hex')}_`;
    const clock = () => ({ wsHub: false as const, clock: new ManualClock(AT) });
    const a = await instances.start(prefix, clock());
    const b = await instances.start(prefix, clock());
    await a.store.putMany('carriers', [carrier('ma'), carrier('mb')]);
    await a.store.putMany('numbers', ['ma', 'mb'].flatMap((c, k) => [
      ...Array.from({ length: 100 }, (_, j) => number(`07675${k + 1}${pad(j, 4)}`, c)),
      ...Array.from({ length: 50 }, (_, j) => number(`07685${k + 1}${pad(j, 4)}`, c)),
      ...Array.from({ length: 50 }, (_, j) => number(`050${k + 1}00${pad(j, 5)}`, c)),
    ]));
    // The first instance's own shelters are in the 0768 area, so its plan and the second's reach
    // for different 0767 numbers for the 30 shelters both open.
    const shelters = Array.from({ length: 112 }, (_, i) => shelter(i, i < 40 ? '0768' : '0767'));
    await a.store.putMany('shelters', shelters);
    const first = shelters.slice(0, 70).map((s) => s.id); // 70 on one instance…
    const second = [...shelters.slice(70), ...shelters.slice(40, 70)].map((s) => s.id); // …72 on the other, 30 of them the same
    planBothThenCommitInTurn(a.store, b.store);

    const [ra, rb] = await Promise.all([
      call(a.server, 'post', '/api/v1/shelters/open-bulk', { token: ADMIN, json: { ids: first, lines: 2 } }),
      call(b.server, 'post', '/api/v1/shelters/open-bulk', { token: ADMIN, json: { ids: second, lines: 2 } }),
    ]);
    expect([ra.status, rb.status]).toEqual([202, 202]);

    const numbers = await allDocs(a.store, 'numbers');
    const held = new Map<string, string[]>();
    for (const n of numbers) if (n.shelterId && (n.state === 'reserved' || n.state === 'in_service')) held.set(n.shelterId, [...(held.get(n.shelterId) ?? []), n.e164]);
    const over = [...held].filter(([, lines]) => lines.length > 2).map(([id, lines]) => `${id}: ${lines.length}`);
    expect(over, 'shelters holding more lines than they want').toEqual([]);
    // The first instance served every shelter it was asked for; the second only added to none of them.
    for (const id of first) expect(held.get(id)?.length, id).toBe(2);
    const asked = [...ra.body.results, ...rb.body.results];
    expect(asked.filter((r: { error?: string }) => r.error)).toEqual([]);
    const stored = await allDocs(a.store, 'shelters');
    expect(stored.filter((s) => s.desiredStatus === 'open')).toHaveLength(112);
  });
});
