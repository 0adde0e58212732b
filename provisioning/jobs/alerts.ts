import { expireAfter, messageText, RETENTION_DAYS, type Actor, type Alert, type Message } from '../model/index.js';
import { appendAudit } from '../audit/audit-log.js';
import { notFound } from '../errors.js';
import { newId } from '../platform/ids.js';
import type { Store } from '../store/store.js';

/** Raises an alert for the board; the same open kind for the same subject is raised once. */
export async function raiseAlert(store: Store, at: Date, alert: Pick<Alert, 'severity' | 'kind'> & { text: Message; detail?: string | null; carrierId?: string | null; shelterId?: string | null }): Promise<Alert> {
  const id = `alr_${alert.kind}_${alert.carrierId ?? '-'}_${alert.shelterId ?? '-'}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  const detail = alert.detail ? alert.detail.slice(0, 2000) : null;
  const doc: Alert = {
    id, version: 0, severity: alert.severity, kind: alert.kind, text: alert.text, detail,
    message: messageText(alert.text) + (detail ? ` (${detail})` : ''),
    carrierId: alert.carrierId ?? null, shelterId: alert.shelterId ?? null, acknowledged: false, createdAt: at.toISOString(),
  };
  const prior = await store.get('alerts', id);
  if (prior && !prior.acknowledged && prior.message === doc.message) return prior;
  await store.put('alerts', { ...doc, version: (prior?.version ?? -1) + 1 });
  return doc;
}

/** A coordinator has seen the alert; the same alert raised again later shows again. */
export async function acknowledgeAlert(store: Store, id: string, ctx: { actor: Actor; at: Date }): Promise<Alert> {
  return store.transaction(async (tx) => {
    const a = await tx.get('alerts', id);
    if (!a) throw notFound('alert', id);
    const next: Alert = { ...a, acknowledged: true, version: a.version + 1, expireAt: expireAfter(ctx.at, RETENTION_DAYS.alert) };
    tx.put('alerts', next);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'alert.ack', entity: { collection: 'alerts', id }, reason: a.message });
    return next;
  });
}
