import { createHash } from 'node:crypto';
import type { Carrier, Handset, Shelter, SipCredential } from '../model/index.js';

/**
 * The handset's accounts in the order its files list them: when the primary carrier is down and
 * the backup's is not, the backup's registrar comes first (the phone picks it up at its next resync).
 */
export function registrarOrder(credentials: readonly SipCredential[], carriers: ReadonlyMap<string, Pick<Carrier, 'health'>>): SipCredential[] {
  const primary = credentials.find((c) => c.role === 'primary');
  const backup = credentials.find((c) => c.role === 'backup');
  const down = (c: SipCredential) => carriers.get(c.carrierId)?.health === 'down';
  if (primary && backup && down(primary) && !down(backup)) {
    return [{ ...backup, role: 'primary' }, { ...primary, role: 'backup' }];
  }
  return [...credentials].sort((a, b) => (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1));
}

/**
 * A short digest of what the handset's files say (registrars in order, published number, names),
 * never of a secret: comparing it with what the handset fetched tells who runs an old file.
 */
export function handsetConfigVersion(handset: Pick<Handset, 'label' | 'credentials'>, shelter: Pick<Shelter, 'name' | 'shortCode' | 'service'>, carriers: ReadonlyMap<string, Pick<Carrier, 'health'>>): string {
  const facts = {
    accounts: registrarOrder(handset.credentials, carriers).map((c) => [c.role, c.carrierId, c.domain, c.username]),
    published: shelter.service?.publishedNumber ?? null,
    shortCode: shelter.shortCode,
    name: shelter.name,
    label: handset.label ?? '',
  };
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 16);
}
