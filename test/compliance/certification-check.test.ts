import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';
import { checkCertifications } from '../../provisioning/compliance/certification-check.js';
import { lendingEligibility } from '../../provisioning/compliance/certification.js';
import type { Carrier, PhoneNumber } from '../../provisioning/model/index.js';
import { openTempSqliteStore, removeTempSqliteStore } from '../support/temp-sqlite-store.js';

const stores: SqliteStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map(removeTempSqliteStore));
});

function openStore(): SqliteStore {
  const s = openTempSqliteStore();
  stores.push(s);
  return s;
}

function carrier(over: Partial<Carrier> = {}): Carrier {
  return {
    id: 'alpha', version: 0, name: 'Alpha Telecom', kind: 'api',
    certifications: { numberUsePlan: { id: 'N-1', validUntil: '2025-03-31T00:00:00Z' }, etoc: { status: 'certified', id: 'E-1', validUntil: '2026-01-01T00:00:00Z' } },
    capacity: { requestsPerSecond: 10, concurrency: 4 }, status: 'active', health: 'up', manualDown: false, lendingChain: [],
    createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z', ...over,
  };
}

const inService: PhoneNumber = {
  id: '+81767520001', version: 3, e164: '+81767520001', kind: '0ABJ', areaCode: '0767', numberArea: '0767', emergencyCapable: true,
  carrierId: 'alpha', state: 'in_service', shelterId: 'CC0000000504', previousShelterId: null, agingUntil: null, reasons: [], routingConfirmedAt: '2024-01-02T00:00:00Z', lentAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-02T00:00:00Z',
};

describe('daily certification check', () => {
  it('freezes a carrier whose number-use-plan certification lapsed, alerts, and leaves numbers in service alone', async () => {
    const store = openStore();
    await store.put('carriers', carrier());
    await store.put('numbers', inService);

    const before = await checkCertifications(store, new Date('2025-03-30T00:00:00Z'), { etocGraceDays: 180 });
    expect(before.frozen).toEqual([]);
    expect(before.warnings).toBeGreaterThan(0); // expires within 30 days

    const after = await checkCertifications(store, new Date('2025-04-01T00:00:00Z'), { etocGraceDays: 180 });
    expect(after.frozen).toEqual(['alpha']);
    const frozen = (await store.get('carriers', 'alpha'))!;
    expect(frozen.status).toBe('frozen');
    expect(lendingEligibility(frozen, new Date('2025-04-01T00:00:00Z'), { etocGraceDays: 180 }).canLend).toBe(false);
    const alerts = (await store.query('alerts')).items;
    expect(alerts.some((a) => a.severity === 'critical' && a.carrierId === 'alpha' && /frozen/.test(a.message))).toBe(true);
    // The board words it from its code (issue 16): the carrier's name is a parameter, the reasons are detail.
    expect(alerts.find((a) => a.kind === 'certification_lapsed')?.text).toEqual({ code: 'alert.certification_lapsed', params: { carrier: expect.any(String) } });
    expect((await store.query('audit', { where: { action: 'carrier.freeze' } })).items).toHaveLength(1);
    expect(await store.get('numbers', inService.id)).toEqual(inService);
  });

  it('freezes a carrier whose ETOC "applied" status ran past the grace period', async () => {
    const store = openStore();
    await store.put('carriers', carrier({ certifications: { numberUsePlan: null, etoc: { status: 'applied', appliedAt: '2024-01-01T00:00:00Z' } } }));
    expect((await checkCertifications(store, new Date('2024-05-01T00:00:00Z'), { etocGraceDays: 180 })).frozen).toEqual([]);
    expect((await checkCertifications(store, new Date('2024-07-01T00:00:00Z'), { etocGraceDays: 180 })).frozen).toEqual(['alpha']);
  });

  it('lifts its own freeze once the certification is renewed, but not a freeze set by an admin', async () => {
    const store = openStore();
    await store.put('carriers', carrier());
    await checkCertifications(store, new Date('2025-04-01T00:00:00Z'), { etocGraceDays: 180 });
    const frozen = (await store.get('carriers', 'alpha'))!;
    await store.put('carriers', { ...frozen, certifications: { ...frozen.certifications, numberUsePlan: { id: 'N-2', validUntil: '2028-03-31T00:00:00Z' } } });
    const renewed = await checkCertifications(store, new Date('2025-04-02T00:00:00Z'), { etocGraceDays: 180 });
    expect(renewed.unfrozen).toEqual(['alpha']);
    expect((await store.get('carriers', 'alpha'))!.status).toBe('active');

    await store.put('carriers', carrier({ id: 'beta', status: 'frozen', statusReason: 'contract dispute', certifications: { numberUsePlan: null, etoc: { status: 'certified' } } }));
    const again = await checkCertifications(store, new Date('2025-04-03T00:00:00Z'), { etocGraceDays: 180 });
    expect(again.unfrozen).toEqual([]);
    expect((await store.get('carriers', 'beta'))!.status).toBe('frozen');

    // Who froze it is a field, not a prefix of the reason: an admin's words cannot pass for ours.
    await store.put('carriers', carrier({ id: 'gamma', status: 'frozen', frozenBy: 'admin', statusReason: 'certification lapsed: frozen by hand', certifications: { numberUsePlan: null, etoc: { status: 'certified' } } }));
    expect((await checkCertifications(store, new Date('2025-04-04T00:00:00Z'), { etocGraceDays: 180 })).unfrozen).toEqual([]);
    expect((await store.get('carriers', 'gamma'))!.status).toBe('frozen');
  });
});
