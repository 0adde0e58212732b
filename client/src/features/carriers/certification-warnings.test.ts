import { describe, expect, it } from 'vitest';
import type { PublicCarrier } from '../../../../provisioning/model/index.js';
import { certificationLines } from './certification-warnings.js';

const carrier = (planUntil: string | null, etocUntil?: string) =>
  ({ certifications: { numberUsePlan: planUntil ? { id: 'MIC-1', validUntil: planUntil } : null, etoc: { status: 'certified', id: 'E-1', ...(etocUntil ? { validUntil: etocUntil } : {}) } } }) as PublicCarrier;
const NOW = new Date('2024-01-10T00:00:00Z');

describe('carrier certification warnings', () => {
  it('warns within 30 days of expiry and is critical once expired', () => {
    const [plan, etoc] = certificationLines(carrier('2024-01-25T00:00:00Z', '2024-01-01T00:00:00Z'), NOW);
    expect(plan).toMatchObject({ key: 'numberUsePlan', level: 'warning', daysLeft: 15 });
    expect(etoc).toMatchObject({ key: 'etoc', level: 'critical' });
  });

  it('shows a carrier without a number-use plan as having none (it may lend only 050)', () => {
    const [plan, etoc] = certificationLines(carrier(null, '2030-01-01T00:00:00Z'), NOW);
    expect(plan!.level).toBe('none');
    expect(etoc!.level).toBe('ok');
  });
});
