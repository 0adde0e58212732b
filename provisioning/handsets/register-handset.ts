import { randomBytes } from 'node:crypto';
import type { Actor, Handset, HandsetVendor, SipCredential } from '../model/index.js';
import { newId, newSecret } from '../platform/ids.js';
import { hashToken } from '../platform/secrets.js';
import { appendAudit } from '../audit/audit-log.js';
import { conflict, invalid, notFound } from '../errors.js';
import { sipDomainFor } from '../carriers/adapter-factory.js';
import { PRIORITY } from '../jobs/job-queue.js';
import { requestReconcile } from '../jobs/request-reconcile.js';
import type { SecretBox } from '../platform/secrets.js';
import type { Store } from '../store/store.js';
import { normalizeMac, pseudoMacFor } from './mac.js';
import { fileNamesFor } from './provisioning-files.js';
import { publicHandset } from './public-handset.js';

/** Twilio's rule for SIP passwords: ≥ 12 characters with upper, lower case and a digit. */
function sipPassword(): string {
  return `${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}Aa7`;
}

/**
 * Registers a handset for an open shelter: SIP credentials on the primary carrier (the shelter's
 * first line) and a backup carrier (its line on another carrier), and a device token for the
 * provisioning URL. The reconciler then creates the credentials on the carriers.
 */
export async function registerHandset(deps: { store: Store; secrets: SecretBox; publicUrl: string }, shelterId: string, input: { mac?: string; vendor: HandsetVendor; label?: string }, ctx: { actor: Actor; at: Date }) {
  let mac: string;
  if (input.mac) {
    const m = normalizeMac(input.mac);
    if (!m.ok) throw invalid(`mac: ${m.reason}`, { fields: ['mac'] });
    mac = m.mac;
  } else if (input.vendor === 'softphone') mac = pseudoMacFor(newId('soft', ctx.at));
  else throw invalid('a desk phone needs its MAC address', { fields: ['mac'] });

  const token = newSecret(32);
  const handset = await deps.store.transaction(async (tx) => {
    const shelter = await tx.get('shelters', shelterId);
    if (!shelter) throw notFound('shelter', shelterId);
    if (shelter.desiredStatus !== 'open') throw conflict(`shelter ${shelterId} is not open: open it before registering handsets`);
    const [numbers, sameMac] = await Promise.all([
      tx.query('numbers', { where: { shelterId }, limit: 50 }),
      tx.query('handsets', { where: { mac }, limit: 5 }),
    ]);
    if (sameMac.items.some((h) => h.status === 'active')) throw conflict(`a handset with MAC ${mac} is already registered`, { fields: ['mac'] });
    const carrierDocs = new Map((await tx.query('carriers', { limit: 1000 })).items.map((c) => [c.id, c]));
    // A line on a healthy carrier first, so a handset registered during an outage registers where calls work.
    const up = (n: { carrierId: string }) => carrierDocs.get(n.carrierId)?.health !== 'down';
    const lines = numbers.items.filter((n) => n.state === 'in_service' || n.state === 'reserved')
      .sort((a, b) => Number(up(b)) - Number(up(a)) || Number(b.emergencyCapable) - Number(a.emergencyCapable));
    if (lines.length === 0) throw conflict(`shelter ${shelterId} has no line yet; wait for its opening job to finish`);
    const primaryCarrier = lines[0]!.carrierId;
    const backupCarrier = lines.find((n) => n.carrierId !== primaryCarrier)?.carrierId ?? null;
    const carriers = [primaryCarrier, backupCarrier].filter((c): c is string => !!c).map((c) => carrierDocs.get(c) ?? null);
    // One username and password on both carriers: a phone failing over keeps a single line.
    const username = `h${randomBytes(6).toString('hex')}`;
    const passwordEncrypted = deps.secrets.seal(sipPassword());
    const credentials: SipCredential[] = carriers.filter((c) => c !== null).map((c, i) => ({
      carrierId: c!.id, role: i === 0 ? 'primary' : 'backup', username, passwordEncrypted,
      domain: sipDomainFor(c!), state: 'pending',
    }));
    const stamp = ctx.at.toISOString();
    const doc: Handset = {
      id: newId('hs', ctx.at), version: 0, shelterId, mac, vendor: input.vendor, ...(input.label ? { label: input.label } : {}),
      deviceTokenHash: hashToken(token), status: 'active', sipUsername: username, credentials, lastSeenAt: null, lastSeenFrom: null, configVersion: null, fetchedConfigVersion: null, createdAt: stamp, updatedAt: stamp,
    };
    tx.put('handsets', doc);
    const { job } = requestReconcile(tx, shelter, { kind: 'handset', at: ctx.at, actor: ctx.actor, reason: null, priority: PRIORITY.shelter });
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'handset.register', entity: { collection: 'handsets', id: doc.id }, shelterId, after: { shelterId, mac, vendor: input.vendor, carriers: credentials.map((c) => c.carrierId) } });
    return { doc, jobId: job.id };
  });
  const files = fileNamesFor(input.vendor, mac);
  const base = `${deps.publicUrl}/p/${token}`;
  return {
    handset: publicHandset(handset.doc),
    jobId: handset.jobId,
    provisioningUrl: `${base}/${files[0]}`,
    provisioningBase: `${base}/`,
    files: files.map((f) => `${base}/${f}`),
  };
}
