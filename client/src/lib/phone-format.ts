import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** +81767520959 → 0767-52-0959, as people in Japan write it. */
export function formatNational(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatNational() ?? e164;
}
