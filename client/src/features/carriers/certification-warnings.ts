import type { PublicCarrier } from '../../../../provisioning/model/index.js';
import { daysUntil } from '../../lib/format.js';

export interface CertLine {
  key: 'numberUsePlan' | 'etoc';
  id: string | null;
  validUntil: string | null;
  daysLeft: number | null;
  level: 'ok' | 'warning' | 'critical' | 'none';
}

/** One line per certification, warned 30 days before expiry, critical once expired. */
export function certificationLines(c: PublicCarrier, now: Date, warnDays = 30): CertLine[] {
  const line = (key: CertLine['key'], id: string | null, validUntil: string | null, present: boolean): CertLine => {
    if (!present) return { key, id: null, validUntil: null, daysLeft: null, level: 'none' };
    const daysLeft = validUntil ? daysUntil(validUntil, now) : null;
    const level = daysLeft === null ? 'ok' : daysLeft < 0 ? 'critical' : daysLeft <= warnDays ? 'warning' : 'ok';
    return { key, id, validUntil, daysLeft, level };
  };
  const { numberUsePlan, etoc } = c.certifications;
  return [
    line('numberUsePlan', numberUsePlan?.id ?? null, numberUsePlan?.validUntil ?? null, numberUsePlan !== null),
    line('etoc', etoc.id ?? etoc.status, etoc.validUntil ?? null, true),
  ];
}
