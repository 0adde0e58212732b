import { Carrier, PhoneNumber } from '../../provisioning/model/index.js';

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
