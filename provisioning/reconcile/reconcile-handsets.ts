import type { Handset, PhoneNumber } from '../model/index.js';
import type { EngineDeps } from './engine.js';
import type { JobRun } from './job-run.js';

async function activeHandsets(deps: EngineDeps, shelterId: string): Promise<Handset[]> {
  return (await deps.store.query('handsets', { where: { shelterId }, limit: 200 })).items;
}

async function setCredentialState(deps: EngineDeps, handsetId: string, carrierId: string, state: 'active' | 'deleted', extra: Partial<Handset> = {}): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const h = await tx.get('handsets', handsetId);
    if (!h) return;
    tx.put('handsets', {
      ...h, ...extra, version: h.version + 1, updatedAt: deps.clock.now().toISOString(),
      credentials: h.credentials.map((c) => (c.carrierId === carrierId ? { ...c, state } : c)),
    });
  });
}

/** Every active handset gets its SIP credential on each carrier it registers with. */
export async function reconcileHandsetsOpen(deps: EngineDeps, run: JobRun, shelterId: string, healthyNumbers: PhoneNumber[]): Promise<void> {
  const healthy = new Set(healthyNumbers.map((n) => n.carrierId));
  for (const h of await activeHandsets(deps, shelterId)) {
    if (h.status !== 'active') continue;
    for (const cred of h.credentials) {
      if (!healthy.has(cred.carrierId) || cred.state === 'active') continue;
      const carrier = await deps.carriers.get(cred.carrierId);
      const password = deps.secrets.open(cred.passwordEncrypted);
      await run.step(`credential ${h.id} ${cred.role}`, () => carrier.ensureCredential({ shelterId, username: cred.username, password }));
      await setCredentialState(deps, h.id, cred.carrierId, 'active');
    }
  }
}

/** A closed shelter leaves no credential behind on any carrier, and its handsets' tokens stop working. */
export async function reconcileHandsetsClosed(deps: EngineDeps, run: JobRun, shelterId: string, held: PhoneNumber[]): Promise<void> {
  const handsets = await activeHandsets(deps, shelterId);
  const carrierIds = new Set([...held.map((n) => n.carrierId), ...handsets.flatMap((h) => h.credentials.map((c) => c.carrierId))]);
  for (const carrierId of carrierIds) {
    const carrier = await deps.carriers.get(carrierId);
    await run.step(`credentials removed ${carrierId}`, () => carrier.deleteShelterCredentials(shelterId));
  }
  for (const h of handsets) {
    await deps.store.transaction(async (tx) => {
      const cur = await tx.get('handsets', h.id);
      if (!cur) return;
      tx.put('handsets', {
        ...cur, status: 'revoked', version: cur.version + 1, updatedAt: deps.clock.now().toISOString(),
        credentials: cur.credentials.map((c) => ({ ...c, state: 'deleted' as const })),
      });
    });
  }
}
