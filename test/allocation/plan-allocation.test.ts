import { messageText } from '../../provisioning/model/messages.js';
import { describe, expect, it } from 'vitest';
import { AllocationInputError, planAllocation, type AllocationInput } from '../../provisioning/allocation/index.js';
import type { PhoneNumber } from '../../provisioning/model/index.js';
import { carrier, NOW, number } from '../support/model-fixtures.js';

const base = (over: Partial<AllocationInput>): AllocationInput => ({
  shelters: [], pool: [], carriers: [carrier('A'), carrier('B')], load: {}, now: NOW, etocGraceDays: 180, ...over,
});
const shelter = (id: string, areaCodes = ['0767'], lines = 2, held: PhoneNumber[] = []) => ({ id, areaCodes, lines, held });
const of = (plan: ReturnType<typeof planAllocation>, shelterId: string) => plan.assignments.filter((a) => a.shelterId === shelterId);

describe('planAllocation', () => {
  it('gives a shelter one emergency-capable 0AB-J of its area and a second line on another carrier', () => {
    const plan = planAllocation(base({
      shelters: [shelter('S1')],
      pool: [number('0767520001', 'A'), number('0767520002', 'A'), number('05011110001', 'B')],
    }));
    const [first, second] = of(plan, 'S1');
    expect(first).toMatchObject({ e164: '+81767520001', carrierId: 'A', reclaim: false });
    expect(first!.reasons).toContain("0AB-J 0767 in the shelter's number area, emergency-capable");
    expect(second).toMatchObject({ e164: '+815011110001', carrierId: 'B' });
    expect(second!.reasons).toContain("different carrier from the shelter's other line(s) (carrier A)");
    expect(second!.reasons[0]).toMatch(/^050 fallback \(cannot call 110\/118\/119\)/);
    expect(plan.shortfalls).toEqual([]);
  });

  it('prefers a different carrier over a second 0AB-J of the same carrier', () => {
    const plan = planAllocation(base({
      shelters: [shelter('S1')],
      pool: [number('0767520001', 'A'), number('0767520002', 'A'), number('0767520003', 'B', { emergencyCapable: false })],
    }));
    expect(of(plan, 'S1').map((a) => a.carrierId).sort()).toEqual(['A', 'B']);
    expect(of(plan, 'S1')[1]!.reasons[0]).toBe("0AB-J 0767 in the shelter's number area, not emergency-capable");
  });

  it('uses the same carrier twice only when no other carrier has a number, and says so', () => {
    const plan = planAllocation(base({ shelters: [shelter('S1')], pool: [number('0767520001', 'A'), number('0767520002', 'A')] }));
    expect(of(plan, 'S1')).toHaveLength(2);
    expect(of(plan, 'S1')[1]!.reasons).toContain("same carrier as the shelter's other line(s) (carrier A): no other carrier has an eligible number left");
  });

  it('puts the emergency-capable line on the same carrier only when no other carrier has one, and says so', () => {
    const held = number('05011110009', 'A', { state: 'in_service', shelterId: 'S1' });
    const plan = planAllocation(base({ shelters: [shelter('S1', ['0767'], 2, [held])], pool: [number('0767520001', 'A'), number('05011110001', 'B')] }));
    expect(of(plan, 'S1')).toEqual([expect.objectContaining({ e164: '+81767520001' })]);
    expect(of(plan, 'S1')[0]!.reasons).toContain("same carrier as the shelter's other line(s) (carrier A): only that carrier has an emergency-capable 0AB-J of the area left");
  });

  it('picks the least-loaded carrier and updates the load as the plan proceeds', () => {
    const carriers = [carrier('A'), carrier('B'), carrier('C')];
    const pool = ['A', 'B', 'C'].flatMap((c, i) => [0, 1, 2].map((j) => number(`07675${i}000${j}`, c)));
    const plan = planAllocation(base({ carriers, load: { A: 5, B: 1, C: 0 }, pool, shelters: [shelter('S1', ['0767'], 1), shelter('S2', ['0767'], 1), shelter('S3', ['0767'], 1)] }));
    expect(plan.assignments.map((a) => a.carrierId)).toEqual(['C', 'B', 'C']);
    expect(plan.assignments[0]!.reasons).toContain('least-loaded carrier (0 line(s))');
    expect(plan.assignments[1]!.reasons).toContain('least-loaded carrier (1 line(s))');
    // The same reasons travel as codes the board words in Japanese or English.
    expect(plan.assignments[0]!.why).toContainEqual({ code: 'reason.least_loaded', params: { lines: 0 } });
    expect(plan.assignments[1]!.why).toContainEqual({ code: 'reason.least_loaded', params: { lines: 1 } });
    expect(plan.assignments[0]!.reasons).toEqual(plan.assignments[0]!.why.map(messageText));
  });

  it('gives every shelter its first line before any shelter gets its second', () => {
    const plan = planAllocation(base({ shelters: [shelter('S1'), shelter('S2')], pool: [number('0767520001', 'A'), number('0767520002', 'B')] }));
    expect(of(plan, 'S1')).toHaveLength(1);
    expect(of(plan, 'S2')).toHaveLength(1);
    expect(plan.shortfalls).toEqual([
      expect.objectContaining({ shelterId: 'S1', missing: 1 }),
      expect.objectContaining({ shelterId: 'S2', missing: 1 }),
    ]);
    expect(plan.shortfalls[0]!.reasons).toContain('every 0AB-J number of area 0767 is taken (2 in the pool)');
    expect(plan.shortfalls[0]!.reasons).toContain('no 050 number in the pool to fall back on');
  });

  it("reclaims the shelter's own ageing number, which nobody else may take", () => {
    const ageing = number('0767520009', 'B', { state: 'aging', previousShelterId: 'S1', agingUntil: '2024-03-01T00:00:00.000Z' });
    const plan = planAllocation(base({
      shelters: [shelter('S0', ['0767'], 1), shelter('S1', ['0767'], 1)],
      pool: [ageing, number('0767520001', 'A')],
    }));
    expect(of(plan, 'S1')).toEqual([
      expect.objectContaining({ e164: '+81767520009', reclaim: true, reasons: expect.arrayContaining(["reclaimed: this shelter's number before (aging until 2024-03-01T00:00:00.000Z)"]) }),
    ]);
    expect(of(plan, 'S0')).toEqual([expect.objectContaining({ e164: '+81767520001' })]);
  });

  it('keeps a former number for its shelter even after its quarantine ended', () => {
    const due = number('0767520009', 'B', { state: 'aging', previousShelterId: 'S2', agingUntil: '2024-01-01T00:00:00.000Z' });
    // S1 comes first and would otherwise take the only number.
    const plan = planAllocation(base({ shelters: [shelter('S1', ['0767'], 1), shelter('S2', ['0767'], 1)], pool: [due] }));
    expect(of(plan, 'S2')).toEqual([expect.objectContaining({ e164: '+81767520009', reclaim: true })]);
    expect(of(plan, 'S2')[0]!.reasons[0]).toBe("reclaimed: this shelter's number before (its quarantine is over)");
    expect(plan.shortfalls.map((s) => s.shelterId)).toEqual(['S1']);
  });

  it('never gives a number still ageing for another shelter', () => {
    const ageing = number('0767520009', 'A', { state: 'aging', previousShelterId: 'S9', agingUntil: '2024-03-01T00:00:00.000Z' });
    const plan = planAllocation(base({ shelters: [shelter('S1', ['0767'], 1)], pool: [ageing] }));
    expect(plan.assignments).toEqual([]);
    expect(plan.shortfalls[0]!.reasons).toContain('1 0AB-J numbers of area 0767 are ageing for the shelters that released them');
  });

  it('gives a 0AB-J number only to a shelter inside its number area', () => {
    const plan = planAllocation(base({ shelters: [shelter('TOKYO', ['03'], 1)], pool: [number('0767520001', 'A')] }));
    expect(plan.assignments).toEqual([]);
    expect(plan.shortfalls[0]!.reasons).toContain('no 0AB-J number of area 03 in the pool');
  });

  it('refuses 0AB-J numbers of a carrier without a number-use-plan certification but lends its 050', () => {
    const carriers = [carrier('A', { certifications: { numberUsePlan: null, etoc: { status: 'certified' } } })];
    const plan = planAllocation(base({ carriers, shelters: [shelter('S1')], pool: [number('0767520001', 'A'), number('05011110001', 'A')] }));
    expect(plan.assignments.map((a) => a.e164)).toEqual(['+815011110001']);
    expect(plan.shortfalls[0]!.reasons.join('\n')).toMatch(/0AB-J numbers of area 0767 from carriers that may not lend them now: carrier A ×1 \(no number-use-plan certification/);
  });

  it('lends nothing from frozen, down or excluded carriers and says all carriers are out', () => {
    const carriers = [carrier('A', { status: 'frozen' }), carrier('B', { health: 'down', healthReason: 'satellite link lost' }), carrier('C')];
    const pool = ['A', 'B', 'C'].map((c, i) => number(`076752000${i}`, c));
    const plan = planAllocation(base({ carriers, excludeCarriers: ['C'], shelters: [shelter('S1', ['0767'], 1)], pool }));
    expect(plan.assignments).toEqual([]);
    const why = plan.shortfalls[0]!.reasons[0]!;
    expect(why).toMatch(/^no carrier may lend now/);
    expect(why).toContain('carrier B: carrier is down: satellite link lost');
    expect(why).toContain('carrier C: carrier excluded from this allocation');
  });

  it('counts held numbers towards the lines and never hands them out again', () => {
    const held = number('0767520001', 'A', { state: 'in_service', shelterId: 'S1' });
    const plan = planAllocation(base({
      shelters: [shelter('S1', ['0767'], 2, [held]), shelter('S2', ['0767'], 1)],
      pool: [held, number('0767520002', 'A'), number('0767520003', 'B', { emergencyCapable: false })],
    }));
    expect(of(plan, 'S1')).toEqual([expect.objectContaining({ e164: '+81767520003', carrierId: 'B' })]);
    expect(of(plan, 'S1')[0]!.reasons).toContain("different carrier from the shelter's other line(s) (carrier A)");
    expect(of(plan, 'S2')).toEqual([expect.objectContaining({ e164: '+81767520002' })]);
  });

  it('respects a carrier line limit', () => {
    const carriers = [carrier('A', { capacity: { requestsPerSecond: 10, concurrency: 4, maxLines: 1 } })];
    const plan = planAllocation(base({ carriers, shelters: [shelter('S1')], pool: [number('0767520001', 'A'), number('0767520002', 'A')] }));
    expect(plan.assignments).toHaveLength(1);
    expect(plan.shortfalls[0]!.reasons).toContain('carriers at their line limit: carrier A (1)');
  });

  describe('scarce emergency-capable numbers', () => {
    // Two emergency-capable 0767 numbers left (carrier C), 050s plenty (carrier B); X wants two lines, Y one.
    const pool = [number('0767530001', 'C'), number('0767530002', 'C'), number('05011110001', 'B'), number('05011110002', 'B'), number('05011110003', 'B')];
    const carriers = [carrier('A'), carrier('B'), carrier('C')];
    const emergency = (plan: ReturnType<typeof planAllocation>, id: string) => of(plan, id).filter((a) => a.e164.startsWith('+81767'));

    // X kept a working 050 on B and lost two lines: it wants two more, and no other carrier offers any.
    const xHeld = [number('05011119999', 'B', { state: 'in_service', shelterId: 'X' })];

    it('gives no shelter a second emergency-capable line while another shelter has none, when each failover plans alone', () => {
      // X's failover runs first, during an outage: it takes one emergency line and a 050, never both emergency numbers.
      const x = planAllocation(base({ carriers, pool, shelters: [shelter('X', ['0767'], 3, xHeld)], emergencyReserved: 'all' }));
      expect(emergency(x, 'X')).toHaveLength(1);
      expect(of(x, 'X')).toHaveLength(2);
      const left = pool.filter((n) => !x.assignments.some((a) => a.e164 === n.e164));
      const y = planAllocation(base({ carriers, pool: left, shelters: [shelter('Y', ['0767'], 1)], emergencyReserved: 'all' }));
      expect(emergency(y, 'Y')).toHaveLength(1);
    });

    it('keeps an area\'s emergency numbers for the open shelters of that area that lack one, and only those', () => {
      const kept = planAllocation(base({ carriers, pool, shelters: [shelter('X', ['0767'], 3, xHeld)], emergencyReserved: ['0767'] }));
      expect(emergency(kept, 'X')).toHaveLength(1);
      const elsewhere = planAllocation(base({ carriers, pool, shelters: [shelter('X', ['0767'], 3, xHeld)], emergencyReserved: ['0768'] }));
      expect(emergency(elsewhere, 'X')).toHaveLength(2);
    });

    it('shares them within one plan too: every shelter gets one before any gets a second', () => {
      const plan = planAllocation(base({ carriers, pool, shelters: [shelter('X', ['0767'], 3), shelter('Y', ['0767'], 2)] }));
      expect(emergency(plan, 'X')).toHaveLength(1);
      expect(emergency(plan, 'Y')).toHaveLength(1);
    });
  });

  it('refuses bad input with a clear error', () => {
    expect(() => planAllocation(base({ shelters: [shelter('S1'), shelter('S1')] }))).toThrow(/shelter S1 appears twice/);
    expect(() => planAllocation(base({ shelters: [shelter('S1', ['0767'], 1.5)] }))).toThrow(AllocationInputError);
    expect(() => planAllocation(base({ load: { A: -1 } }))).toThrow(/load of carrier A must be a count ≥ 0/);
    expect(() => planAllocation(base({ now: new Date('x') }))).toThrow(/now is not a valid date/);
    expect(() => planAllocation(base({ etocGraceDays: -3 }))).toThrow(/etocGraceDays/);
  });
});
