import { Carrier, PhoneNumber, Shelter } from '../../provisioning/model/index.js';
import type { AllocationPlan } from '../../provisioning/allocation/index.js';
import type { Store } from '../../provisioning/store/store.js';

export const NOW = new Date('2024-01-10T00:00:00.000Z');
export const FAR = '2030-01-01T00:00:00.000Z';

/** A carrier that may lend everything, parsed through the real schema; override what a test needs. */
export function carrier(id: string, over: Partial<Carrier> = {}): Carrier {
  return Carrier.parse({
    id,
    name: `carrier ${id}`,
    kind: 'api',
    certifications: { numberUsePlan: { id: `plan-${id}`, validUntil: FAR }, etoc: { status: 'certified', id: `etoc-${id}`, validUntil: FAR } },
    capacity: {},
    createdAt: '2023-01-01T00:00:00.000Z',
    updatedAt: '2023-01-01T00:00:00.000Z',
    ...over,
  });
}

/** A national number such as 0767520959 or 05012345678 stored as E.164. */
export function number(national: string, carrierId: string, over: Partial<PhoneNumber> = {}): PhoneNumber {
  const is050 = national.startsWith('050');
  const areaCode = over.areaCode !== undefined ? over.areaCode : is050 ? null : national.slice(0, 4);
  return PhoneNumber.parse({
    id: `+81${national.slice(1)}`,
    e164: `+81${national.slice(1)}`,
    kind: is050 ? '050' : '0ABJ',
    areaCode,
    numberArea: areaCode,
    emergencyCapable: !is050,
    carrierId,
    state: 'available',
    lentAt: '2023-06-01T00:00:00.000Z',
    updatedAt: '2023-06-01T00:00:00.000Z',
    ...over,
  });
}

/** A closed shelter of the 0767 area (Nanao), parsed through the real schema; override what a test needs. */
export function shelter(id: string, over: Partial<Shelter> = {}): Shelter {
  return Shelter.parse({
    id,
    name: `避難所 ${id}`,
    municipalityCode: '172022',
    address: '石川県七尾市',
    lat: 37.04,
    lon: 136.96,
    areaCodes: ['0767'],
    createdAt: '2023-01-01T00:00:00.000Z',
    updatedAt: '2023-01-01T00:00:00.000Z',
    ...over,
  });
}

/** The shelters a plan names, as stored now (created when missing): what a commit expects them to still be. */
export async function sheltersOf(store: Store, plan: AllocationPlan): Promise<Map<string, Shelter>> {
  const ids = [...new Set(plan.assignments.map((a) => a.shelterId))];
  const found = await store.getMany('shelters', ids);
  const missing = ids.filter((_, i) => !found[i]).map((id) => shelter(id));
  if (missing.length > 0) await store.putMany('shelters', missing);
  return new Map([...found.filter((s): s is Shelter => s !== null), ...missing].map((s) => [s.id, s]));
}
