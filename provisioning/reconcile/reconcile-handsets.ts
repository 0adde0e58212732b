import type { Handset, PhoneNumber } from '../model/index.js';
import type { Reader, Transaction } from '../store/store.js';
import { CarrierPending, type CarrierAdapter } from '../carriers/carrier.js';
import type { EngineDeps } from './engine-deps.js';
import type { JobAttempt } from './job-attempt.js';
import { bumpedAt } from '../store/versioned.js';

async function shelterHandsets(deps: EngineDeps, shelterId: string): Promise<Handset[]> {
  return (await deps.store.query('handsets', { where: { shelterId }, limit: 200 })).items;
}

/**
 * Whether a handset's credential on a carrier should exist, read as the store says now: the
 * handset active, its credential not being removed, its shelter open. A close revokes the handsets
 * before it deletes their credentials (below), so a step that passes this check after the revoke
 * can no longer put a credential back for good.
 */
async function credentialWanted(r: Reader, handsetId: string, carrierId: string): Promise<Handset | null> {
  const h = await r.get('handsets', handsetId);
  const cred = h?.credentials.find((c) => c.carrierId === carrierId);
  if (!h || h.status !== 'active' || !cred || cred.state === 'deleting' || cred.state === 'deleted') return null;
  return (await r.get('shelters', h.shelterId))?.desiredStatus === 'open' ? h : null;
}

function withCredentialState(h: Handset, carrierId: string, state: Handset['credentials'][number]['state'], at: Date): Handset {
  return bumpedAt(h, at, { credentials: h.credentials.map((c) => (c.carrierId === carrierId ? { ...c, state } : c)) });
}

/** Runs a carrier call an api member does later: asked is enough here, the work order stands. */
export async function asked(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (!(err instanceof CarrierPending)) throw err;
  }
}

/**
 * The drift check's repair of a credential the carrier lost: put back only if the handset still
 * wants it; `record` (its audit entry) is written in the transaction that checks once more that it
 * does, so a repair is never recorded for a handset revoked meanwhile — and such a handset gets its
 * credential taken away again at once.
 */
export async function putBackCredential(deps: EngineDeps, carrier: CarrierAdapter, handsetId: string, record: (tx: Transaction) => void): Promise<'created' | 'withdrawn' | 'skipped'> {
  const before = await credentialWanted(deps.store, handsetId, carrier.carrierId);
  const cred = before?.credentials.find((c) => c.carrierId === carrier.carrierId && c.state === 'active');
  if (!before || !cred) return 'skipped';
  await asked(() => carrier.ensureCredential({ shelterId: before.shelterId, username: cred.username, password: deps.secrets.open(cred.passwordEncrypted) }));
  const kept = await deps.store.transaction(async (tx) => {
    if (!(await credentialWanted(tx, handsetId, carrier.carrierId))) return false;
    record(tx);
    return true;
  });
  if (kept) return 'created';
  await asked(() => carrier.deleteCredential(before.shelterId, cred.username));
  return 'withdrawn';
}

/** The drift check's removal of a credential no active handset of the shelter has, as the store says now. */
export async function takeAwayCredential(deps: EngineDeps, carrier: CarrierAdapter, shelterId: string, username: string): Promise<boolean> {
  const holders = await deps.store.query('handsets', { where: { sipUsername: username, status: 'active' }, limit: 5 });
  if (holders.items.some((h) => h.shelterId === shelterId && h.credentials.some((c) => c.carrierId === carrier.carrierId && c.state !== 'deleting' && c.state !== 'deleted'))) return false;
  await asked(() => carrier.deleteCredential(shelterId, username));
  return true;
}

/**
 * Every active handset gets its SIP credential on each carrier it registers with. The step that
 * records a credential made also checks, in the same transaction, that the handset still wants
 * it; if a close or a revoke came in between, the credential is taken away again at once.
 */
export async function reconcileHandsetsOpen(deps: EngineDeps, run: JobAttempt, shelterId: string, healthyNumbers: PhoneNumber[]): Promise<void> {
  const healthy = new Set(healthyNumbers.map((n) => n.carrierId));
  for (const h of await shelterHandsets(deps, shelterId)) {
    if (h.status !== 'active') continue;
    for (const cred of h.credentials) {
      if (!healthy.has(cred.carrierId) || cred.state !== 'pending') continue;
      const carrier = await deps.carriers.get(cred.carrierId);
      const password = deps.secrets.open(cred.passwordEncrypted);
      let unwanted = false;
      const record = async (tx: Transaction) => {
        const now = await credentialWanted(tx, h.id, cred.carrierId);
        unwanted = !now;
        if (now) tx.put('handsets', withCredentialState(now, cred.carrierId, 'active', deps.clock.now()));
      };
      await run.step(`credential ${h.id} ${cred.role}`, () => carrier.ensureCredential({ shelterId, username: cred.username, password }), { onDone: record });
      if (unwanted) await run.step(`credential ${h.id} ${cred.role} withdrawn`, () => carrier.deleteCredential(shelterId, cred.username));
    }
  }
}

/**
 * A closed shelter leaves no credential behind on any carrier, and its handsets' tokens stop
 * working. The handsets are revoked first, their credentials marked `deleting`: from then on no
 * step or drift check puts one back, so deleting them on the carriers is the last word.
 */
export async function reconcileHandsetsClosed(deps: EngineDeps, run: JobAttempt, shelterId: string, held: PhoneNumber[]): Promise<void> {
  const mark = (state: 'deleting' | 'deleted') =>
    deps.store.transaction(async (tx) => {
      const { items } = await tx.query('handsets', { where: { shelterId }, limit: 200 });
      const at = deps.clock.now();
      for (const h of items) {
        if (h.status === 'revoked' && h.credentials.every((c) => c.state === state || c.state === 'deleted')) continue;
        tx.put('handsets', bumpedAt(h, at, { status: 'revoked', credentials: h.credentials.map((c) => ({ ...c, state: c.state === 'deleted' ? c.state : state })) }));
      }
      return items;
    });
  const handsets = await mark('deleting');
  const carrierIds = new Set([...held.map((n) => n.carrierId), ...handsets.flatMap((h) => h.credentials.map((c) => c.carrierId))]);
  for (const carrierId of carrierIds) {
    const carrier = await deps.carriers.get(carrierId);
    await run.step(`credentials removed ${carrierId}`, () => carrier.deleteShelterCredentials(shelterId));
  }
  await mark('deleted');
}
