import { describe, expect, it } from 'vitest';
import { CertificationInputError, certificationWarnings, lendingEligibility } from '../../provisioning/compliance/certification.js';
import { carrier, NOW } from '../support/model-fixtures.js';
import type { Carrier } from '../../provisioning/model/index.js';

const GRACE = { etocGraceDays: 180 };
const plan = (validUntil: string) => ({ id: 'p', validUntil });

describe('lendingEligibility', () => {
  const table: Array<[string, Partial<Carrier>, { canLend: boolean; canLend0ABJ: boolean; reason?: RegExp }]> = [
    ['an active carrier with both certifications lends everything', {}, { canLend: true, canLend0ABJ: true }],
    ['a frozen carrier lends nothing', { status: 'frozen', statusReason: 'ETOC audit' }, { canLend: false, canLend0ABJ: false, reason: /carrier is frozen: ETOC audit/ }],
    ['a withdrawn carrier lends nothing', { status: 'withdrawn' }, { canLend: false, canLend0ABJ: false, reason: /withdrawn/ }],
    ['an expired ETOC mark stops all lending', { certifications: { numberUsePlan: plan('2030-01-01T00:00:00Z'), etoc: { status: 'certified', validUntil: '2024-01-09T00:00:00Z' } } }, { canLend: false, canLend0ABJ: false, reason: /ETOC mark expired on 2024-01-09/ }],
    ['an ETOC mark without an end date stays valid', { certifications: { numberUsePlan: plan('2030-01-01T00:00:00Z'), etoc: { status: 'certified' } } }, { canLend: true, canLend0ABJ: true }],
    ['an ETOC application inside the grace period lends', { certifications: { numberUsePlan: plan('2030-01-01T00:00:00Z'), etoc: { status: 'applied', appliedAt: '2023-09-01T00:00:00Z' } } }, { canLend: true, canLend0ABJ: true }],
    ['an ETOC application past the grace period stops lending', { certifications: { numberUsePlan: plan('2030-01-01T00:00:00Z'), etoc: { status: 'applied', appliedAt: '2023-01-01T00:00:00Z' } } }, { canLend: false, canLend0ABJ: false, reason: /180-day grace period is over/ }],
    ['an ETOC application without a date does not count', { certifications: { numberUsePlan: plan('2030-01-01T00:00:00Z'), etoc: { status: 'applied' } } }, { canLend: false, canLend0ABJ: false, reason: /no application date/ }],
    ['no number-use-plan certification: 050 only', { certifications: { numberUsePlan: null, etoc: { status: 'certified' } } }, { canLend: true, canLend0ABJ: false, reason: /no number-use-plan certification/ }],
    ['an expired number-use-plan certification: 050 only', { certifications: { numberUsePlan: plan('2024-01-01T00:00:00Z'), etoc: { status: 'certified' } } }, { canLend: true, canLend0ABJ: false, reason: /number-use-plan certification expired on 2024-01-01/ }],
    ['a certification ending exactly now is expired', { certifications: { numberUsePlan: plan(NOW.toISOString()), etoc: { status: 'certified' } } }, { canLend: true, canLend0ABJ: false, reason: /expired on 2024-01-10/ }],
  ];
  it.each(table)('%s', (_name, over, want) => {
    const e = lendingEligibility(carrier('c1', over), NOW, GRACE);
    expect(e.canLend).toBe(want.canLend);
    expect(e.canLend0ABJ).toBe(want.canLend0ABJ);
    if (want.reason) expect(e.reasons.join('; ')).toMatch(want.reason);
    else expect(e.reasons).toEqual([]);
  });

  it('reports the earliest expiry that keeps the carrier lending', () => {
    const c = carrier('c1', { certifications: { numberUsePlan: plan('2024-03-01T00:00:00.000Z'), etoc: { status: 'applied', appliedAt: '2023-12-01T00:00:00.000Z' } } });
    // grace ends 2023-12-01 + 180 days = 2024-05-29, after the plan's end.
    expect(lendingEligibility(c, NOW, GRACE).expiresAt).toBe('2024-03-01T00:00:00.000Z');
    expect(lendingEligibility(c, NOW, { etocGraceDays: 45 }).expiresAt).toBe('2024-01-15T00:00:00.000Z');
  });

  it('ignores the expiry of a certification that no longer matters', () => {
    const c = carrier('c1', { certifications: { numberUsePlan: plan('2024-01-01T00:00:00.000Z'), etoc: { status: 'certified', validUntil: '2025-01-01T00:00:00.000Z' } } });
    expect(lendingEligibility(c, NOW, GRACE).expiresAt).toBe('2025-01-01T00:00:00.000Z');
    expect(lendingEligibility(carrier('c2', { status: 'frozen' }), NOW, GRACE).expiresAt).toBeNull();
  });

  it('refuses a negative grace period and an invalid clock with a clear error', () => {
    expect(() => lendingEligibility(carrier('c1'), NOW, { etocGraceDays: -1 })).toThrow(/etocGraceDays must be a number of days ≥ 0/);
    expect(() => lendingEligibility(carrier('c1'), new Date('nope'), GRACE)).toThrow(CertificationInputError);
  });

  it('refuses an unreadable certification date rather than guessing', () => {
    const c = carrier('c1');
    c.certifications.etoc = { status: 'certified', validUntil: 'soon' };
    expect(() => lendingEligibility(c, NOW, GRACE)).toThrow(/ETOC validUntil is not a date: "soon"/);
  });
});

describe('certificationWarnings', () => {
  it('warns about a certification that expires within the warning window', () => {
    const c = carrier('c1', { certifications: { numberUsePlan: plan('2024-01-25T00:00:00.000Z'), etoc: { status: 'certified', validUntil: '2024-06-01T00:00:00.000Z' } } });
    const w = certificationWarnings(c, NOW, { warnDays: 30 });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ certification: 'numberUsePlan', severity: 'warning', daysLeft: 15 });
    expect(w[0]!.message).toContain('expires on 2024-01-25 (15 days left)');
  });

  it('flags an expired certification as critical', () => {
    const c = carrier('c1', { certifications: { numberUsePlan: plan('2030-01-01T00:00:00.000Z'), etoc: { status: 'certified', validUntil: '2024-01-01T00:00:00.000Z' } } });
    const w = certificationWarnings(c, NOW, { warnDays: 30 });
    expect(w).toEqual([expect.objectContaining({ certification: 'etoc', severity: 'critical', daysLeft: -9 })]);
    expect(w[0]!.message).toMatch(/frozen for new assignments/);
  });

  it('warns when an ETOC grace period is about to run out', () => {
    const c = carrier('c1', { certifications: { numberUsePlan: null, etoc: { status: 'applied', appliedAt: '2023-07-20T00:00:00.000Z' } } });
    expect(certificationWarnings(c, NOW, { warnDays: 30, etocGraceDays: 180 })).toEqual([
      expect.objectContaining({ certification: 'etoc', severity: 'warning', expiresAt: '2024-01-16T00:00:00.000Z' }),
    ]);
  });

  it('says nothing about certifications far from expiry', () => {
    expect(certificationWarnings(carrier('c1'), NOW, { warnDays: 30 })).toEqual([]);
  });
});
