import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotApplied } from '../../server/drill/replay.js';
import { allNumbers, startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;

describe('drill replay of the 2024 Nanao timeline', () => {
  let drill: Drill;
  const checked: Array<{ takenAt: string; open: number; problems: string[] }> = [];
  const everOpened = new Set<string>();

  beforeAll(async () => {
    drill = await startTestDrill();
  }, 60_000);
  afterAll(async () => drill?.dispose());

  /** After a snapshot: exactly its shelters have lines in service; every other shelter that was open has released its lines (aging). */
  async function check(s: SnapshotApplied): Promise<void> {
    for (const id of s.open) everOpened.add(id);
    const numbers = await allNumbers(drill);
    const problems: string[] = [];
    const inService = new Map<string, number>();
    for (const n of numbers) if (n.state === 'in_service' && n.shelterId) inService.set(n.shelterId, (inService.get(n.shelterId) ?? 0) + 1);
    for (const id of s.open) if (!inService.get(id)) problems.push(`${id} is open but has no line in service`);
    for (const id of inService.keys()) if (!s.open.has(id)) problems.push(`${id} is closed but still has a line in service`);
    for (const id of everOpened) {
      if (s.open.has(id)) continue;
      const held = numbers.filter((n) => n.shelterId === id && n.state !== 'aging');
      if (held.length) problems.push(`${id} is closed but holds ${held.map((n) => `${n.e164}:${n.state}`).join(', ')}`);
      const aging = numbers.filter((n) => n.state === 'aging' && n.previousShelterId === id);
      if (!aging.length) problems.push(`${id} is closed but none of its numbers is aging`);
    }
    checked.push({ takenAt: s.takenAt, open: s.open.size, problems });
  }

  it('after each snapshot of the first 14 days, exactly the open shelters have lines in service and closed ones have released theirs', async () => {
    const result = await drill.replay({ speed: 0, days: 14, onSnapshot: check });
    expect(result.snapshots).toBeGreaterThanOrEqual(10);
    expect(checked.length).toBe(result.snapshots);
    expect(checked[0]!.open).toBe(29);
    expect(checked.some((c) => c.open < 29)).toBe(true); // some shelters closed within the fortnight
    expect(checked.filter((c) => c.problems.length)).toEqual([]);
  }, 60_000);

  it('points every in-service twilio number at our inbound webhook on the simulator', async () => {
    const ours = `${drill.url}/twilio/voice/inbound`;
    const byE164 = new Map((await allNumbers(drill)).map((n) => [n.e164, n]));
    for (const c of drill.carriers.filter((x) => x.account)) {
      for (const sn of drill.sim.snapshot(c.account!.sid).numbers) {
        if (byE164.get(sn.phone_number)?.state === 'in_service') expect(sn.voice_url).toBe(ours);
      }
    }
  });
});
