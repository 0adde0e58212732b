import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../provisioning/model/audit-event.js';
import { AuditEvent } from '../../provisioning/model/audit-event.js';
import { NumberState, PhoneNumber } from '../../provisioning/model/phone-number.js';
import {
  IllegalTransitionError,
  TRANSITIONS,
  applyTransition,
  assignability,
  settleAging,
  type TransitionContext,
} from '../../provisioning/numbers/lifecycle.js';
import { phoneNumber } from '../support/number-fixtures.js';

const T0 = new Date('2024-01-02T00:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const admin: Actor = { id: 'tok_admin', role: 'admin', label: 'JUSA ops desk' };
const coordinator: Actor = { id: 'tok_coord', role: 'coordinator' };
const system: Actor = { id: 'reconciler', role: 'system' };

function fresh(): PhoneNumber {
  return PhoneNumber.parse(phoneNumber(959, { lentAt: T0.toISOString(), updatedAt: T0.toISOString() }));
}

function ctx(extra: Partial<TransitionContext> = {}): TransitionContext {
  return { at: T0, actor: admin, reason: 'test', shelterId: 'shelter-a', ...extra };
}

/** Reach each state the way the system would: by legal transitions from a freshly lent number. */
const PATHS: Record<NumberState, [NumberState, Partial<TransitionContext>?][]> = {
  available: [],
  reserved: [['reserved']],
  in_service: [['reserved'], ['in_service']],
  releasing: [['reserved'], ['in_service'], ['releasing']],
  aging: [['reserved'], ['in_service'], ['releasing'], ['aging', { agingDays: 0 }]],
  suspended: [['reserved'], ['in_service'], ['suspended']],
  withdrawn: [['withdrawn']],
  error: [['reserved'], ['error']],
};

function inState(state: NumberState): PhoneNumber {
  let n = fresh();
  for (const [to, extra] of PATHS[state]) n = applyTransition(n, to, ctx(extra)).number;
  expect(n.state).toBe(state);
  return n;
}

function refusal(fn: () => unknown): IllegalTransitionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IllegalTransitionError) return e;
    throw e;
  }
  throw new Error('expected an IllegalTransitionError');
}

const ALL = NumberState.options;
const allowed = ALL.flatMap((from) => TRANSITIONS[from].map((to) => [from, to] as const));
const forbidden = ALL.flatMap((from) => ALL.filter((to) => !TRANSITIONS[from].includes(to)).map((to) => [from, to] as const));

describe('the transition table', () => {
  it('covers the main road available → reserved → in_service → releasing → aging → available', () => {
    const road: NumberState[] = ['available', 'reserved', 'in_service', 'releasing', 'aging', 'available'];
    let n = fresh();
    road.slice(1).forEach((to, i) => {
      n = applyTransition(n, to, ctx({ at: at(i * 100) })).number;
    });
    expect(n.state).toBe('available');
    expect(n.version).toBe(5);
  });

  it.each(allowed)('allows %s → %s', (from, to) => {
    const { number, event } = applyTransition(inState(from), to, ctx({ shelterId: 'shelter-b' }));
    expect(number.state).toBe(to);
    expect(event.from).toBe(from);
    expect(event.to).toBe(to);
    expect(PhoneNumber.safeParse(number).success).toBe(true);
  });

  it.each(forbidden)('refuses %s → %s with an IllegalTransitionError', (from, to) => {
    const n = inState(from);
    const err = refusal(() => applyTransition(n, to, ctx()));
    expect(err).toMatchObject({ from, to, e164: '+81767520959', code: 'not_in_table' });
    expect(err.message).toContain(`${from} → ${to}`);
  });

  it('has no state that may move to itself', () => {
    for (const s of ALL) expect(TRANSITIONS[s]).not.toContain(s);
  });

  it('never lets a suspended number be withdrawn or put back into service', () => {
    expect(TRANSITIONS.suspended).toEqual(['aging', 'available']);
  });

  it('lets a number be withdrawn only when not in service', () => {
    const from = ALL.filter((s) => TRANSITIONS[s].includes('withdrawn'));
    expect(from.sort()).toEqual(['aging', 'available', 'error']);
  });
});

describe('applyTransition', () => {
  it('returns a new document and leaves the old one untouched', () => {
    const before = fresh();
    const snapshot = structuredClone(before);
    const { number } = applyTransition(before, 'reserved', ctx({ at: at(3) }));
    expect(before).toEqual(snapshot);
    expect(number).toMatchObject({ state: 'reserved', shelterId: 'shelter-a', version: 1, updatedAt: at(3).toISOString() });
  });

  it('writes one audit event saying who, when, why, from and to', () => {
    const { event } = applyTransition(fresh(), 'reserved', {
      at: at(1),
      actor: coordinator,
      reason: 'shelter opened: 2 lines',
      shelterId: 'shelter-a',
    });
    expect(AuditEvent.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      at: at(1).toISOString(),
      actor: coordinator,
      action: 'number.reserved',
      entity: { collection: 'numbers', id: '+81767520959' },
      from: 'available',
      to: 'reserved',
      reason: 'shelter opened: 2 lines',
      before: { state: 'available', shelterId: null },
      after: { state: 'reserved', shelterId: 'shelter-a' },
    });
    expect(event.id).toMatch(/^aud_/);
  });

  it('uses the audit id it is given', () => {
    const { event } = applyTransition(fresh(), 'reserved', ctx({ auditId: 'aud_fixed' }));
    expect(event.id).toBe('aud_fixed');
  });

  it('gives audit events created later ids that sort later', () => {
    const a = applyTransition(fresh(), 'reserved', ctx({ at: at(1) })).event;
    const b = applyTransition(fresh(), 'reserved', ctx({ at: at(2) })).event;
    expect(a.id < b.id).toBe(true);
  });

  it('needs a shelter to reserve a number', () => {
    const err = refusal(() => applyTransition(fresh(), 'reserved', ctx({ shelterId: null })));
    expect(err.code).toBe('needs_shelter');
  });

  it('keeps the shelter while releasing and hands it to previousShelterId on ageing', () => {
    const releasing = applyTransition(inState('in_service'), 'releasing', ctx()).number;
    expect(releasing.shelterId).toBe('shelter-a');
    const aging = applyTransition(releasing, 'aging', ctx({ at: at(10) })).number;
    expect(aging).toMatchObject({ shelterId: null, previousShelterId: 'shelter-a', agingUntil: at(100).toISOString() });
  });

  it('ages for the configured number of days', () => {
    const aging = applyTransition(inState('releasing'), 'aging', ctx({ at: at(0), agingDays: 30 })).number;
    expect(aging.agingUntil).toBe(at(30).toISOString());
  });

  it('clears the shelter, the ageing date and the reasons when a number becomes available', () => {
    const reserved = { ...inState('reserved'), reasons: ['same area 0767'] };
    const { number } = applyTransition(reserved, 'available', ctx({ reason: 'allocation rolled back' }));
    expect(number).toMatchObject({ state: 'available', shelterId: null, agingUntil: null, reasons: [] });
  });

  it.each([
    [{ reason: '' }, /reason/],
    [{ reason: '   ' }, /reason/],
    [{ at: new Date('nope') }, /date/],
    [{ agingDays: -1 }, /agingDays/],
    [{ agingDays: 1.5 }, /agingDays/],
  ])('refuses a bad context %j', (extra, message) => {
    const err = refusal(() => applyTransition(inState('releasing'), 'aging', ctx(extra as Partial<TransitionContext>)));
    expect(err.code).toBe('bad_context');
    expect(err.message).toMatch(message);
  });
});

describe('ageing and reclaim', () => {
  const released = () =>
    applyTransition(inState('releasing'), 'aging', ctx({ at: at(0), reason: 'shelter closed' })).number;

  it('lets the shelter that held a number reclaim it while it ages', () => {
    const n = released();
    expect(assignability(n, 'shelter-a', at(1))).toEqual({ ok: true, reclaim: true });
    const { number } = applyTransition(n, 'reserved', ctx({ at: at(1), shelterId: 'shelter-a', reason: 'reopened' }));
    expect(number).toMatchObject({ state: 'reserved', shelterId: 'shelter-a' });
  });

  it('keeps another shelter from an ageing number until agingUntil passes', () => {
    const n = released();
    const verdict = assignability(n, 'shelter-b', at(89));
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(/only that shelter may reclaim/);
    const err = refusal(() => applyTransition(n, 'reserved', ctx({ at: at(89), shelterId: 'shelter-b' })));
    expect(err.code).toBe('not_assignable');
  });

  it('lets anyone take an ageing number once agingUntil has passed', () => {
    const n = released();
    expect(assignability(n, 'shelter-b', at(90))).toEqual({ ok: true, reclaim: false });
    expect(applyTransition(n, 'reserved', ctx({ at: at(90), shelterId: 'shelter-b' })).number.shelterId).toBe('shelter-b');
  });

  it('does not let an ageing number become available before agingUntil', () => {
    const err = refusal(() => applyTransition(released(), 'available', ctx({ at: at(10) })));
    expect(err.code).toBe('still_aging');
  });

  it('settles an ageing number to available once agingUntil has passed, and not before', () => {
    const n = released();
    expect(settleAging(n, at(89), system)).toBeNull();
    const settled = settleAging(n, at(90), system);
    expect(settled?.number).toMatchObject({ state: 'available', shelterId: null, agingUntil: null, previousShelterId: 'shelter-a' });
    expect(settled?.event).toMatchObject({ actor: system, from: 'aging', to: 'available', reason: 'ageing period ended' });
  });

  it('settles nothing that is not ageing', () => {
    for (const s of ALL.filter((x) => x !== 'aging')) expect(settleAging(inState(s), at(1000), system)).toBeNull();
  });

  it('rolls a reclaimed number back to the rest of its quarantine, not to available', () => {
    const reclaimed = applyTransition(released(), 'reserved', ctx({ at: at(5), shelterId: 'shelter-a' })).number;
    expect(refusal(() => applyTransition(reclaimed, 'available', ctx({ at: at(6) }))).code).toBe('still_aging');
    const back = applyTransition(reclaimed, 'aging', ctx({ at: at(6), reason: 'allocation rolled back' })).number;
    expect(back).toMatchObject({ state: 'aging', previousShelterId: 'shelter-a', agingUntil: at(90).toISOString() });
  });

  it('carries no stale ageing date when a number is taken after its quarantine ended', () => {
    const taken = applyTransition(released(), 'reserved', ctx({ at: at(95), shelterId: 'shelter-b' })).number;
    expect(taken.agingUntil).toBeNull();
    expect(applyTransition(taken, 'releasing', ctx({ at: at(96) })).number.agingUntil).toBeNull();
  });

  it('ends the quarantine once a reclaimed number is back in service', () => {
    const reclaimed = applyTransition(released(), 'reserved', ctx({ at: at(5), shelterId: 'shelter-a' })).number;
    expect(applyTransition(reclaimed, 'in_service', ctx({ at: at(5) })).number.agingUntil).toBeNull();
  });

  it('lets anyone take an available number, and says when it is the previous shelter taking it back', () => {
    const n = settleAging(released(), at(90), system)!.number;
    expect(assignability(n, 'shelter-b', at(91))).toEqual({ ok: true, reclaim: false });
    expect(assignability(n, 'shelter-a', at(91))).toEqual({ ok: true, reclaim: true });
  });
});

describe('suspension', () => {
  it('never makes a suspended number assignable, whoever asks and whenever', () => {
    const n = inState('suspended');
    for (const shelter of ['shelter-a', 'shelter-b']) {
      for (const when of [at(0), at(1000)]) {
        const verdict = assignability(n, shelter, when);
        expect(verdict.ok).toBe(false);
        expect(!verdict.ok && verdict.reason).toMatch(/suspended/);
      }
    }
  });

  it('may be suspended from every state but withdrawn', () => {
    const from = ALL.filter((s) => TRANSITIONS[s].includes('suspended'));
    expect(from.sort()).toEqual(ALL.filter((s) => s !== 'withdrawn' && s !== 'suspended').sort());
  });

  it('is lifted only by an admin', () => {
    const n = inState('suspended');
    for (const actor of [coordinator, system, { id: 'police', role: 'authority' } as Actor]) {
      expect(refusal(() => applyTransition(n, 'aging', ctx({ actor, reason: 'lift' }))).code).toBe('needs_admin');
    }
    const lifted = applyTransition(n, 'aging', ctx({ actor: admin, at: at(1), reason: 'police withdrew the request' })).number;
    expect(lifted).toMatchObject({ state: 'aging', shelterId: null, previousShelterId: 'shelter-a', agingUntil: at(91).toISOString() });
  });

  it('drops the suspension record from the number once lifted', () => {
    const n = {
      ...inState('suspended'),
      suspension: { requestId: 'req1', requestedAt: T0.toISOString(), reason: 'fraud', requestedBy: 'police', previousState: 'in_service' as const },
    };
    expect(applyTransition(n, 'available', ctx({ reason: 'lift' })).number.suspension).toBeUndefined();
  });
});

describe('invariants over any sequence of transitions', () => {
  it('keeps shelterId null when available/aging/withdrawn, set when reserved/in_service/releasing, and bumps the version by one', () => {
    const step = fc.record({
      to: fc.constantFrom(...ALL),
      shelter: fc.constantFrom('shelter-a', 'shelter-b', null),
      days: fc.integer({ min: 0, max: 200 }),
      actor: fc.constantFrom(admin, coordinator, system),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let n = fresh();
        let day = 0;
        for (const s of steps) {
          day += s.days;
          const before = n;
          try {
            n = applyTransition(n, s.to, { at: at(day), actor: s.actor, reason: 'prop', shelterId: s.shelter, agingDays: 90 }).number;
          } catch (e) {
            if (!(e instanceof IllegalTransitionError)) throw e;
            continue;
          }
          expect(n.version).toBe(before.version + 1);
          expect(PhoneNumber.safeParse(n).success).toBe(true);
          if (['available', 'aging', 'withdrawn'].includes(n.state)) expect(n.shelterId).toBeNull();
          if (['reserved', 'in_service', 'releasing', 'error'].includes(n.state)) expect(n.shelterId).not.toBeNull();
          if (n.state === 'aging') expect(n.agingUntil).not.toBeNull();
          if (!['aging', 'reserved'].includes(n.state)) expect(n.agingUntil).toBeNull();
          // Nobody but the previous holder takes a number out of quarantine early.
          if (before.state === 'aging' && n.state === 'reserved' && n.shelterId !== before.previousShelterId) {
            expect(new Date(before.agingUntil!).getTime()).toBeLessThanOrEqual(at(day).getTime());
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
