import { expireAfter, messageText, RETENTION_DAYS, type Actor, type Alert, type Message } from '../model/index.js';
import { appendAudit } from '../audit/audit-log.js';
import { notFound } from '../errors.js';
import { newId } from '../platform/ids.js';
import type { Store } from '../store/store.js';
import { bumped } from '../store/versioned.js';

type Subject = { kind: string; carrierId?: string | null; shelterId?: string | null };
/** Every alert is a code the board words in JA/EN (`text`, and why: `cause`), which gives the English `message`; `detail` holds outside words. */
type Raised = Pick<Alert, 'severity' | 'kind'> & Subject & { text: Message; cause?: Message | null; detail?: string | null } & {
  /** A notice of something that happened (a carrier back up), not a condition that holds: born resolved. */
  notice?: boolean;
};

/** Pure: the key that makes raises of one kind about one subject the same episode. */
export function episodeOf(s: Subject): string {
  return `${s.kind}|${s.carrierId ?? '-'}|${s.shelterId ?? '-'}`;
}

/**
 * Raises an alert for the board. While an episode holds (not resolved, not acknowledged) raising it
 * again changes nothing, or only its message; after it is resolved or acknowledged a raise is a new
 * alert, so the history of episodes stays on the board and in the store.
 */
export async function raiseAlert(store: Store, at: Date, raised: Raised): Promise<Alert> {
  const detail = raised.detail ? raised.detail.slice(0, 2000) : null;
  const cause = raised.cause ?? null;
  const alert = { ...raised, cause, detail, message: messageText(raised.text) + (cause ? ` ${messageText(cause)}` : '') + (detail ? ` (${detail})` : '') };
  const episode = episodeOf(alert);
  return store.transaction(async (tx) => {
    const open = alert.notice ? [] : (await tx.query('alerts', { where: { episode, resolvedAt: null, acknowledged: false }, limit: 10 })).items;
    const current = open[0];
    if (current) {
      if (current.message === alert.message && current.severity === alert.severity) return current;
      const next = bumped(current, { message: alert.message, text: alert.text, cause: alert.cause, detail: alert.detail, severity: alert.severity });
      tx.put('alerts', next);
      return next;
    }
    const doc: Alert = {
      id: newId('alr', at), version: 0, severity: alert.severity, kind: alert.kind, message: alert.message, text: alert.text, cause: alert.cause, detail: alert.detail,
      carrierId: alert.carrierId ?? null, shelterId: alert.shelterId ?? null, acknowledged: false, createdAt: at.toISOString(),
      episode, resolvedAt: alert.notice ? at.toISOString() : null,
      ...(alert.notice ? { expireAt: expireAfter(at, RETENTION_DAYS.alert) } : {}),
    };
    tx.put('alerts', doc);
    return doc;
  });
}

/** The condition behind an episode ended: its alerts are resolved (kept, with a retention end), never replaced. */
export async function resolveAlerts(store: Store, at: Date, subject: Subject): Promise<Alert[]> {
  const episode = episodeOf(subject);
  // Most calls find nothing to resolve: a plain read first keeps them off the transaction path.
  if ((await store.query('alerts', { where: { episode, resolvedAt: null }, limit: 1 })).items.length === 0) return [];
  return store.transaction(async (tx) => {
    const { items } = await tx.query('alerts', { where: { episode, resolvedAt: null }, limit: 100 });
    const resolved = items.map((a) => bumped(a, { resolvedAt: at.toISOString(), expireAt: a.expireAt ?? expireAfter(at, RETENTION_DAYS.alert) }));
    for (const a of resolved) tx.put('alerts', a);
    return resolved;
  });
}

/** A coordinator has seen the alert; the same alert raised again later shows again (as a new alert). */
export async function acknowledgeAlert(store: Store, id: string, ctx: { actor: Actor; at: Date }): Promise<Alert> {
  return store.transaction(async (tx) => {
    const a = await tx.get('alerts', id);
    if (!a) throw notFound('alert', id);
    const next = bumped(a, { acknowledged: true, expireAt: expireAfter(ctx.at, RETENTION_DAYS.alert) });
    tx.put('alerts', next);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'alert.ack', entity: { collection: 'alerts', id }, reason: a.message });
    return next;
  });
}

/** Assigns an alert to a named person (or takes the assignment off with null); audited with before and after. */
export async function assignAlert(store: Store, id: string, assignee: string | null, ctx: { actor: Actor; at: Date }): Promise<Alert> {
  const name = assignee === null || assignee.trim() === '' ? null : assignee.trim();
  return store.transaction(async (tx) => {
    const a = await tx.get('alerts', id);
    if (!a) throw notFound('alert', id);
    const was = a.assignee?.name ?? null;
    if (was === name) return a;
    const next = bumped(a, { assignee: name === null ? null : { name, at: ctx.at.toISOString(), by: ctx.actor.label ?? ctx.actor.id } });
    tx.put('alerts', next);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'alert.assign', entity: { collection: 'alerts', id }, shelterId: a.shelterId, before: { assignee: was }, after: { assignee: name } });
    return next;
  });
}
