import { FraudHold, message, type Actor } from '../model/index.js';
import { appendAudit } from '../audit/audit-log.js';
import { forbidden, notFound } from '../errors.js';
import { raiseAlert } from '../alerts/alerts.js';
import { requestReconcile } from '../jobs/request-reconcile.js';
import { PRIORITY } from '../jobs/job-queue.js';
import type { Store, Transaction } from '../store/store.js';
import { bumpedAt } from '../store/versioned.js';

function emptyHold(shelterId: string, at: Date): FraudHold {
  return FraudHold.parse({ id: shelterId, shelterId, updatedAt: at.toISOString() });
}

async function holdIn(tx: Transaction, shelterId: string, at: Date): Promise<FraudHold> {
  return (await tx.get('fraudHolds', shelterId)) ?? emptyHold(shelterId, at);
}

/** Credible reports reached the threshold: the shelter's outbound calls keep only emergency numbers and short codes. */
export async function restrictOutbound(store: Store, input: { shelterId: string; e164: string; reportIds: string[]; reason: string }, ctx: { actor: Actor; at: Date }): Promise<FraudHold | null> {
  const hold = await store.transaction(async (tx) => {
    const prior = await holdIn(tx, input.shelterId, ctx.at);
    if (prior.restriction) return null;
    const next = bumpedAt(prior, ctx.at, { restriction: { since: ctx.at.toISOString(), e164: input.e164, reportIds: input.reportIds, reason: input.reason } });
    tx.put('fraudHolds', next);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'shelter.outbound_restricted', entity: { collection: 'shelters', id: input.shelterId }, reason: input.reason, after: { e164: input.e164, reportIds: input.reportIds } });
    return next;
  });
  if (hold) {
    await raiseAlert(store, ctx.at, {
      severity: 'critical', kind: 'fraud_reports', shelterId: input.shelterId,
      text: message('alert.fraud_restricted', { shelter: input.shelterId }), detail: input.reason,
    });
  }
  return hold;
}

/** 新たな番号の提供拒否: put before the suspension, so the replacement line it asks for is refused too. */
export async function refuseNewLines(store: Store, input: { shelterId: string; e164: string; reason: string }, ctx: { actor: Actor; at: Date }): Promise<FraudHold> {
  return store.transaction(async (tx) => {
    const prior = await holdIn(tx, input.shelterId, ctx.at);
    const next = bumpedAt(prior, ctx.at, { refusal: { since: ctx.at.toISOString(), e164: input.e164, suspensionId: null, reason: input.reason, revokedHandsetIds: [] } });
    tx.put('fraudHolds', next);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'shelter.new_lines_refused', entity: { collection: 'shelters', id: input.shelterId }, reason: input.reason, after: { e164: input.e164 } });
    return next;
  });
}

/** The refusal learns its suspension and the handsets revoked with it. */
export async function completeRefusal(store: Store, shelterId: string, facts: { suspensionId: string | null; revokedHandsetIds: string[] }, at: Date): Promise<void> {
  await store.transaction(async (tx) => {
    const hold = await tx.get('fraudHolds', shelterId);
    if (!hold?.refusal) return;
    tx.put('fraudHolds', bumpedAt(hold, at, { refusal: { ...hold.refusal, ...facts } }));
  });
}

/**
 * A review lifts one hold: a coordinator (or admin) reviews an outbound restriction; only an
 * admin lifts a refusal, after which the shelter is reconciled to get its missing lines.
 */
export async function reviewHold(store: Store, shelterId: string, kind: 'restriction' | 'refusal', note: string, ctx: { actor: Actor; at: Date }): Promise<FraudHold> {
  if (kind === 'refusal' && ctx.actor.role !== 'admin') throw forbidden('only an admin may lift a refusal of new numbers');
  return store.transaction(async (tx) => {
    const shelter = await tx.get('shelters', shelterId);
    if (!shelter) throw notFound('shelter', shelterId);
    // A review is recorded even when nothing is held: the log shows who looked, and a retry is harmless.
    const hold = await holdIn(tx, shelterId, ctx.at);
    const by = ctx.actor.label ?? ctx.actor.id;
    const next = bumpedAt(hold, ctx.at, { [kind]: null, reviews: [...hold.reviews, { kind, at: ctx.at.toISOString(), by, note }] });
    tx.put('fraudHolds', next);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: kind === 'restriction' ? 'shelter.outbound_restriction_reviewed' : 'shelter.new_lines_refusal_reviewed', entity: { collection: 'shelters', id: shelterId }, reason: note, before: { [kind]: hold[kind] } });
    if (kind === 'refusal' && hold.refusal && shelter.desiredStatus === 'open') {
      requestReconcile(tx, shelter, { kind: 'open_shelter', at: ctx.at, actor: ctx.actor, reason: 'refusal of new numbers reviewed: the shelter may get its missing lines', priority: PRIORITY.failover });
    }
    return next;
  });
}
