import type { Actor, PhoneNumber } from '../model/index.js';
import type { Page } from '../store/store.js';
import type { Store } from '../store/store.js';
import { appendAudit } from '../audit/audit-log.js';
import { raiseAlert } from '../jobs/alerts.js';
import { PRIORITY } from '../jobs/job-queue.js';
import { requestReconcile } from '../jobs/request-reconcile.js';

/**
 * A carrier went down or came back. Down: every open shelter with a line on it gets a failover
 * job (a replacement line on a healthy carrier). Up: the same shelters are reconciled again, so
 * their original lines are routed back.
 */
export async function carrierHealthChanged(store: Store, carrierId: string, health: 'up' | 'down', ctx: { at: Date; actor: Actor; reason: string; manual?: boolean }): Promise<{ jobs: string[] }> {
  const changed = await store.transaction(async (tx) => {
    const c = await tx.get('carriers', carrierId);
    if (!c) return false;
    // A coordinator's "down" is not lifted by the adapter seeing calls succeed.
    if (!ctx.manual && health === 'up' && c.manualDown) return false;
    if (c.health === health && !ctx.manual) return false;
    tx.put('carriers', { ...c, health, healthReason: ctx.reason, healthChangedAt: ctx.at.toISOString(), ...(ctx.manual ? { manualDown: health === 'down' } : {}), version: c.version + 1, updatedAt: ctx.at.toISOString() });
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: health === 'down' ? 'carrier.down' : 'carrier.up', entity: { collection: 'carriers', id: carrierId }, from: c.health, to: health, reason: ctx.reason });
    return true;
  });
  if (!changed) return { jobs: [] };
  if (health === 'down') await raiseAlert(store, ctx.at, { severity: 'critical', kind: 'carrier_down', carrierId, message: `Carrier ${carrierId} is down: ${ctx.reason}. Shelters with lines on it get replacement lines.` });
  else await raiseAlert(store, ctx.at, { severity: 'info', kind: 'carrier_down', carrierId, message: `Carrier ${carrierId} is back up.` });
  return { jobs: await reconcileSheltersOnCarrier(store, carrierId, health === 'down' ? 'failover' : 'open_shelter', ctx) };
}

/** One job per open shelter that has a line on the carrier; each shelter in its own transaction. */
export async function reconcileSheltersOnCarrier(store: Store, carrierId: string, kind: 'failover' | 'open_shelter', ctx: { at: Date; actor: Actor; reason: string }): Promise<string[]> {
  const shelterIds = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: Page<PhoneNumber> = await store.query('numbers', { where: { carrierId }, limit: 1000, cursor });
    for (const n of page.items) if (n.shelterId && (n.state === 'in_service' || n.state === 'reserved' || n.state === 'error')) shelterIds.add(n.shelterId);
    cursor = page.nextCursor;
  } while (cursor);
  const jobs: string[] = [];
  for (const shelterId of shelterIds) {
    const id = await store.transaction(async (tx) => {
      const s = await tx.get('shelters', shelterId);
      if (!s || s.desiredStatus !== 'open') return null;
      const priority = kind === 'failover' ? PRIORITY.failover : PRIORITY.shelter;
      return requestReconcile(tx, s, { kind, at: ctx.at, actor: ctx.actor, reason: `carrier ${carrierId}: ${ctx.reason}`, priority, carrierId }).job.id;
    });
    if (id) jobs.push(id);
  }
  return jobs;
}
