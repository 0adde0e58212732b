import type { Actor, Message } from '../model/index.js';
import { message } from '../model/messages.js';
import { eachDocument } from '../store/paging.js';
import type { Store } from '../store/store.js';
import { appendAudit } from '../audit/audit-log.js';
import { raiseAlert, resolveAlerts } from '../alerts/alerts.js';
import { newJob, PRIORITY } from '../jobs/job-queue.js';
import { requestReconcile } from '../jobs/request-reconcile.js';
import { alertShelterService, computeShelterHealth, readShelterHealth } from '../carriers/shelter-health-sync.js';
import { bumpedAt } from '../store/versioned.js';

/**
 * A carrier went down or came back (its probe job, its adapter's calls, or a coordinator said so):
 * the use case that decides what follows (alerts, failover and reconcile jobs). The carrier layer
 * below only reports health (carrier-probe.ts judges a probe; the observed adapter counts failures).
 * Down: its lines stop counting at once (routing unconfirmed),
 * every open shelter with a line on it gets its service recomputed and a failover job (a
 * replacement line on a healthy carrier). Up: the same shelters are reconciled again and a drift
 * check of the carrier confirms its routing; only then do its lines count as working again.
 */
export async function carrierHealthChanged(store: Store, carrierId: string, health: 'up' | 'down', ctx: { at: Date; actor: Actor; reason: string; manual?: boolean; cause?: Message }): Promise<{ jobs: string[] }> {
  // A person's reason is the why itself, shown as typed; an adapter's failure is technical text beside its worded cause.
  const why = ctx.manual
    ? { cause: message(health === 'down' ? 'cause.marked_down' : 'cause.marked_up', { by: ctx.actor.label ?? ctx.actor.id, reason: ctx.reason }), detail: null }
    : { cause: ctx.cause ?? null, detail: health === 'down' ? ctx.reason : null };
  // The carrier as it was changed, or null when nothing changed.
  const changed = await store.transaction(async (tx) => {
    const c = await tx.get('carriers', carrierId);
    if (!c) return null;
    // A coordinator's "down" is not lifted by the adapter seeing calls succeed.
    if (!ctx.manual && health === 'up' && c.manualDown) return null;
    if (c.health === health && !ctx.manual) return null;
    tx.put('carriers', bumpedAt(c, ctx.at, {
      health, healthReason: ctx.reason, healthCause: why.cause, healthChangedAt: ctx.at.toISOString(), ...(ctx.manual ? { manualDown: health === 'down' } : {}),
    }));
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: health === 'down' ? 'carrier.down' : 'carrier.up', entity: { collection: 'carriers', id: carrierId }, from: c.health, to: health, reason: ctx.reason });
    return c;
  });
  if (!changed) return { jobs: [] };
  // Named, not by id: a viewer's board does not hold the carriers to look a name up.
  const carrier = changed.name;
  if (health === 'down') await raiseAlert(store, ctx.at, { severity: 'critical', kind: 'carrier_down', carrierId, text: message('alert.carrier_down', { carrier }), ...why });
  else {
    // The outage episode ends (kept as history) and the recovery is a notice of its own.
    await resolveAlerts(store, ctx.at, { kind: 'carrier_down', carrierId });
    await raiseAlert(store, ctx.at, { severity: 'info', kind: 'carrier_up', carrierId, text: message('alert.carrier_up', { carrier }), ...why, notice: true });
  }
  const jobs = await reconcileSheltersOnCarrier(store, carrierId, health === 'down' ? 'failover' : 'open_shelter', ctx);
  if (health === 'up') {
    // The recovered carrier's lines count again once this check has seen their routing.
    const drift = newJob('routing_check', ctx.at, { type: 'network' }, { carrierId, priority: PRIORITY.failover, requestedBy: 'carrier health', requestId: ctx.actor.requestId });
    await store.put('jobs', drift);
    jobs.push(drift.id);
  }
  return { jobs };
}

/**
 * One job per open shelter that has a line on the carrier; each shelter in its own transaction,
 * which also writes the shelter's new service (and, for a failover, unconfirms the carrier's lines).
 */
export async function reconcileSheltersOnCarrier(store: Store, carrierId: string, kind: 'failover' | 'open_shelter', ctx: { at: Date; actor: Actor; reason: string }): Promise<string[]> {
  const at = ctx.at;
  const shelterIds = new Set<string>();
  for await (const n of eachDocument(store, 'numbers', { where: { carrierId }, limit: 1000 })) {
    if (n.shelterId && (n.state === 'in_service' || n.state === 'reserved' || n.state === 'error')) shelterIds.add(n.shelterId);
  }
  const jobs: string[] = [];
  for (const shelterId of shelterIds) {
    const done = await store.transaction(async (tx) => {
      const inputs = await readShelterHealth(tx, shelterId, store);
      if (!inputs || inputs.shelter.desiredStatus !== 'open') return null;
      if (kind === 'failover') {
        // A dead carrier's routing is no longer known: its lines count again only once the drift check sees it.
        inputs.numbers = inputs.numbers.map((n) => {
          if (n.carrierId !== carrierId || !n.routingConfirmedAt) return n;
          const next = bumpedAt(n, at, { routingConfirmedAt: null });
          tx.put('numbers', next);
          return next;
        });
      }
      const health = computeShelterHealth(inputs, at);
      for (const h of health.handsets) tx.put('handsets', h);
      const priority = kind === 'failover' ? PRIORITY.failover : PRIORITY.shelter;
      // One write of the shelter: its new service and its new job together.
      // The reason as given (a coordinator's words stay theirs); the carrier is recorded beside it.
      const { shelter, job } = requestReconcile(tx, health.shelter, { kind, at, actor: ctx.actor, reason: ctx.reason, priority, carrierId });
      return { id: job.id, shelter };
    });
    if (!done) continue;
    jobs.push(done.id);
    await alertShelterService(store, done.shelter, at);
  }
  return jobs;
}
