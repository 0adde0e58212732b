import type { Store } from '../store/store.js';
import type { SecretBox } from '../platform/secrets.js';
import type { Clock } from '../platform/clock.js';
import { hashToken } from '../platform/secrets.js';
import { formatNational } from '../numbers/japanese-number.js';
import { RESYNC_MINUTES, type HandsetProvisioningView } from './provisioning-view.js';
import { handsetConfigVersion, registrarOrder } from './registrar-order.js';
import { resolveProvisioningFile, type ProvisioningFileResult } from './provisioning-files.js';
import { SOFTPHONE_ACCOUNT_FILE } from './vendors/softphone.js';
import { bumpedAt } from '../store/versioned.js';

const NOT_FOUND: ProvisioningFileResult = { ok: false, status: 404, reason: 'unknown device token or file' };

/**
 * A handset fetches `/p/{token}/{file}`: find it by its token, build its view (passwords
 * decrypted here and nowhere else), let its vendor module answer, and note that it was seen.
 */
export async function handsetFile(deps: { store: Store; secrets: SecretBox; clock: Clock; publicUrl: string }, token: string, fileName: string, userAgent: string | undefined, from: string | null): Promise<ProvisioningFileResult> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return NOT_FOUND;
  const { items } = await deps.store.query('handsets', { where: { deviceTokenHash: hashToken(token) }, limit: 1 });
  const handset = items[0];
  if (!handset || handset.status !== 'active' || handset.credentials.length === 0) return NOT_FOUND;
  const shelter = await deps.store.get('shelters', handset.shelterId);
  if (!shelter || shelter.desiredStatus !== 'open') return NOT_FOUND;
  const carriers = new Map((await deps.store.query('carriers', { limit: 1000 })).items.map((c) => [c.id, c]));
  // A down primary carrier's registrar goes second: the phone registers with a healthy one at its next resync.
  const accounts = registrarOrder(handset.credentials, carriers);
  const published = shelter.service?.publishedNumber ?? null;
  const view: HandsetProvisioningView = {
    handsetId: handset.id,
    mac: handset.mac,
    vendor: handset.vendor,
    label: handset.label ?? '',
    shelterName: shelter.name,
    shortCode: shelter.shortCode ?? '0000',
    displayNumber: published ? formatNational(published) : '000',
    accounts: accounts.map((c) => ({
      role: c.role, registrar: c.domain, port: 5060, transport: 'udp' as const,
      username: c.username, password: deps.secrets.open(c.passwordEncrypted), authUsername: c.username,
    })),
    timezone: 'Asia/Tokyo',
    language: 'ja',
    provisioningUrl: `${deps.publicUrl}/p/${token}/`,
    resyncMinutes: RESYNC_MINUTES,
  };
  const version = handsetConfigVersion(handset, shelter, carriers);
  const oneTime = handset.vendor === 'softphone' && fileName.toLowerCase() === SOFTPHONE_ACCOUNT_FILE;
  if (oneTime && handset.accountFileServedAt) return { ok: false, status: 404, reason: 'this softphone account was already fetched; register the softphone again' };
  const result = await resolveProvisioningFile(view, fileName, userAgent);
  if (result.ok) {
    const at = deps.clock.now().toISOString();
    const first = await deps.store.transaction(async (tx) => {
      const h = await tx.get('handsets', handset.id);
      if (!h) return false;
      // Claimed in the transaction: of two concurrent fetches of a one-time file only one gets it.
      if (oneTime && h.accountFileServedAt) return false;
      tx.put('handsets', bumpedAt(h, at, { lastSeenAt: at, lastSeenFrom: from, fetchedConfigVersion: version, configVersion: version, ...(oneTime ? { accountFileServedAt: at } : {}) }));
      return true;
    });
    if (oneTime && !first) return { ok: false, status: 404, reason: 'this softphone account was already fetched; register the softphone again' };
  }
  return result;
}
