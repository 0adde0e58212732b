import type { Carrier, LendingEligibility } from '../model/index.js';
import { DAY_MS } from '../platform/clock.js';

export type { LendingEligibility };

export interface CertificationWarning {
  certification: 'etoc' | 'numberUsePlan';
  severity: 'warning' | 'critical';
  expiresAt: string;
  /** Whole days left, rounded down; negative once expired. */
  daysLeft: number;
  message: string;
}

/** Thrown for input a rule cannot be judged on (an unreadable date, a negative grace period). */
export class CertificationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificationInputError';
  }
}

function instant(value: string, what: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new CertificationInputError(`${what} is not a date: ${JSON.stringify(value)}`);
  return t;
}

function checkNow(now: Date): number {
  const t = now.getTime();
  if (Number.isNaN(t)) throw new CertificationInputError('now is not a valid date');
  return t;
}

function checkDays(days: number, what: string): void {
  if (!Number.isFinite(days) || days < 0) throw new CertificationInputError(`${what} must be a number of days ≥ 0, got ${days}`);
}

type CertState = { valid: true; expiresAt: number | null } | { valid: false; reason: string };

/** ETOC mark: certified and not past validUntil, or applied within the grace period. */
function etocState(carrier: Carrier, now: number, graceDays: number): CertState {
  const etoc = carrier.certifications.etoc;
  if (etoc.status === 'certified') {
    if (etoc.validUntil === undefined) return { valid: true, expiresAt: null };
    const until = instant(etoc.validUntil, 'ETOC validUntil');
    return until > now ? { valid: true, expiresAt: until } : { valid: false, reason: `ETOC mark expired on ${etoc.validUntil}` };
  }
  if (etoc.appliedAt === undefined) return { valid: false, reason: 'ETOC mark applied for, but no application date is recorded' };
  const applied = instant(etoc.appliedAt, 'ETOC appliedAt');
  const graceEnd = applied + graceDays * DAY_MS;
  return graceEnd > now
    ? { valid: true, expiresAt: graceEnd }
    : { valid: false, reason: `ETOC mark only applied for (on ${etoc.appliedAt}) and the ${graceDays}-day grace period is over` };
}

/** 番号使用計画の認定: needed for 0AB-J numbers, always with an end date. */
function numberUsePlanState(carrier: Carrier, now: number): CertState {
  const plan = carrier.certifications.numberUsePlan;
  if (plan === null) return { valid: false, reason: 'no number-use-plan certification (番号使用計画の認定): cannot lend 0AB-J numbers' };
  const until = instant(plan.validUntil, 'number-use-plan validUntil');
  return until > now
    ? { valid: true, expiresAt: until }
    : { valid: false, reason: `number-use-plan certification expired on ${plan.validUntil}: cannot lend 0AB-J numbers` };
}

/** Whether a carrier may lend numbers now, and 0AB-J numbers in particular (DESIGN.md "Compliance"). */
export function lendingEligibility(carrier: Carrier, now: Date, opts: { etocGraceDays: number }): LendingEligibility {
  const t = checkNow(now);
  checkDays(opts.etocGraceDays, 'etocGraceDays');
  const reasons: string[] = [];
  if (carrier.status !== 'active') {
    reasons.push(`carrier is ${carrier.status}${carrier.statusReason ? `: ${carrier.statusReason}` : ''}`);
  }
  const etoc = etocState(carrier, t, opts.etocGraceDays);
  if (!etoc.valid) reasons.push(etoc.reason);
  const plan = numberUsePlanState(carrier, t);
  if (!plan.valid) reasons.push(plan.reason);

  const canLend = carrier.status === 'active' && etoc.valid;
  const canLend0ABJ = canLend && plan.valid;
  const expiries: number[] = [];
  if (canLend && etoc.valid && etoc.expiresAt !== null) expiries.push(etoc.expiresAt);
  if (canLend0ABJ && plan.valid && plan.expiresAt !== null) expiries.push(plan.expiresAt);
  const expiresAt = expiries.length > 0 ? new Date(Math.min(...expiries)).toISOString() : null;
  return { canLend, canLend0ABJ, reasons, expiresAt };
}

/** Certifications that expire within `warnDays` (warning) or already have (critical), for the board. */
export function certificationWarnings(carrier: Carrier, now: Date, opts: { warnDays: number; etocGraceDays?: number }): CertificationWarning[] {
  const t = checkNow(now);
  checkDays(opts.warnDays, 'warnDays');
  if (opts.etocGraceDays !== undefined) checkDays(opts.etocGraceDays, 'etocGraceDays');
  const out: CertificationWarning[] = [];
  const consider = (certification: CertificationWarning['certification'], label: string, end: number | null): void => {
    if (end === null) return;
    const daysLeft = Math.floor((end - t) / DAY_MS);
    const expiresAt = new Date(end).toISOString();
    if (end <= t) {
      out.push({ certification, severity: 'critical', expiresAt, daysLeft, message: `${carrier.name}: ${label} expired on ${expiresAt.slice(0, 10)}; its numbers are frozen for new assignments` });
    } else if (end - t <= opts.warnDays * DAY_MS) {
      out.push({ certification, severity: 'warning', expiresAt, daysLeft, message: `${carrier.name}: ${label} expires on ${expiresAt.slice(0, 10)} (${daysLeft} days left)` });
    }
  };
  const etoc = carrier.certifications.etoc;
  if (etoc.status === 'certified') {
    consider('etoc', 'ETOC mark', etoc.validUntil === undefined ? null : instant(etoc.validUntil, 'ETOC validUntil'));
  } else if (etoc.appliedAt !== undefined && opts.etocGraceDays !== undefined) {
    consider('etoc', 'ETOC grace period (applied, not yet certified)', instant(etoc.appliedAt, 'ETOC appliedAt') + opts.etocGraceDays * DAY_MS);
  }
  const plan = carrier.certifications.numberUsePlan;
  if (plan !== null) consider('numberUsePlan', 'number-use-plan certification', instant(plan.validUntil, 'number-use-plan validUntil'));
  return out;
}
