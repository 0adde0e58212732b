import type { Store } from '../../store/store.js';
import { expireAfter, RETENTION_DAYS, type WorkOrder } from '../../model/index.js';
import type { Principal } from '../../access/tokens.js';
import { appendAudit } from '../../audit/audit-log.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import type { SecretBox } from '../../platform/secrets.js';
import { eraseOrderSecrets, unsealOrderParams } from './work-order-secrets.js';
import { settleAging } from '../../numbers/lifecycle.js';
import { bumpedAt } from '../../store/versioned.js';

/** What a member engineer sees: the order without internal keys; a sealed password opened only for its owner. */
function publicOrder(o: WorkOrder, ownerSecrets: SecretBox | null = null) {
  const { dedupeKey: _k, version: _v, paramsDigest: _d, params, ...rest } = o;
  return { ...rest, params: unsealOrderParams(params, ownerSecrets) };
}

/** Pending work of one carrier; with `wait`, holds the request until work arrives or `wait` seconds pass. */
export async function listWorkOrders(
  store: Store,
  carrierId: string,
  q: { status?: WorkOrder['status']; limit?: number; cursor?: string; wait?: number },
  /** Given only when the owning carrier itself asks: it must configure the password on its platform. */
  ownerSecrets: SecretBox | null = null,
) {
  if (!(await store.get('carriers', carrierId))) throw notFound('carrier', carrierId);
  const read = () => store.query('workOrders', { where: { carrierId, status: q.status ?? 'pending' }, orderBy: { field: 'createdAt' }, limit: q.limit, cursor: q.cursor ?? null });
  let page = await read();
  if (page.items.length === 0 && q.wait) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, q.wait! * 1000);
      const unsubscribe = store.subscribe(['workOrders'], (c) => {
        if (c.type === 'put' && (c.doc as WorkOrder).carrierId === carrierId) done();
      });
      function done() {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
    page = await read();
  }
  return { items: page.items.map((o) => publicOrder(o, ownerSecrets)), nextCursor: page.nextCursor };
}

export async function reportWorkOrder(store: Store, id: string, result: { status: 'done' | 'failed'; detail?: string }, ctx: { actor: Principal; at: Date }) {
  return store.transaction(async (tx) => {
    const o = await tx.get('workOrders', id);
    if (!o) throw notFound('work order', id);
    if (ctx.actor.role === 'carrier' && ctx.actor.carrierId !== o.carrierId) throw forbidden('this work order belongs to another carrier');
    if (o.status === result.status) return publicOrder(o);
    if (o.status !== 'pending') throw conflict(`work order ${id} is ${o.status} and cannot be reported any more`, { state: o.status });
    // A reset done ends an aged number's quarantine now, not at the next maintenance run (a replay's next run may be days away).
    const aged = result.status === 'done' && o.action === 'reset_number' ? await tx.get('numbers', String(o.params.e164)) : null;
    const settled = aged && aged.carrierId === o.carrierId ? settleAging(aged, ctx.at, ctx.actor) : null;
    const next = bumpedAt(o, ctx.at, { params: eraseOrderSecrets(o.params), status: result.status, detail: result.detail ?? null, expireAt: expireAfter(ctx.at, RETENTION_DAYS.workOrder) });
    tx.put('workOrders', next);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: `work_order.${result.status}`, entity: { collection: 'workOrders', id }, from: 'pending', to: result.status, reason: result.detail ?? null });
    if (settled) {
      tx.put('numbers', settled.number);
      tx.put('audit', settled.event);
    }
    return publicOrder(next);
  });
}
