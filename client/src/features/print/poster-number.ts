import type { PhoneNumber } from '../../../../provisioning/model/index.js';

/** The number a poster shows large: in service, emergency-capable 0AB-J first, then by number. */
export function posterNumbers(numbers: PhoneNumber[]): PhoneNumber[] {
  const rank = (n: PhoneNumber) => (n.emergencyCapable ? 0 : 2) + (n.kind === '0ABJ' ? 0 : 1);
  return numbers.filter((n) => n.state === 'in_service').sort((a, b) => rank(a) - rank(b) || a.e164.localeCompare(b.e164));
}
