import type { PhoneNumber } from '../../provisioning/model/index.js';

const AT = '2024-01-02T03:04:05.000Z';

/** A lent 0AB-J number in Nanao (0767), available unless told otherwise. */
export function phoneNumber(n: number, overrides: Partial<PhoneNumber> = {}): PhoneNumber {
  const e164 = `+81767${String(520000 + n).padStart(6, '0')}`;
  return {
    id: e164,
    version: 0,
    e164,
    kind: '0ABJ',
    areaCode: '0767',
    numberArea: '0767',
    emergencyCapable: true,
    carrierId: 'carrier-a',
    state: 'available',
    shelterId: null,
    previousShelterId: null,
    agingUntil: null,
    reasons: [],
    routingConfirmedAt: null,
    lentAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

export const pool = (size: number, overrides: Partial<PhoneNumber> = {}): PhoneNumber[] =>
  Array.from({ length: size }, (_, i) => phoneNumber(i, overrides));
