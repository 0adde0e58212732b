import { actorOf, type Actor, type AuditEvent } from '../model/index.js';
import { newId } from '../platform/ids.js';
import type { Store, Transaction } from '../store/store.js';

export interface AuditInput {
  at: Date;
  actor: Actor;
  action: string;
  entity: { collection: string; id: string };
  from?: string | null;
  to?: string | null;
  reason?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export function auditEvent(input: AuditInput): AuditEvent {
  return {
    id: newId('aud', input.at),
    version: 0,
    at: input.at.toISOString(),
    actor: actorOf(input.actor),
    action: input.action,
    entity: input.entity,
    from: input.from ?? null,
    to: input.to ?? null,
    reason: input.reason ?? null,
    before: input.before ?? null,
    after: input.after ?? null,
  };
}

/** The audit log is append-only: events are only ever put with a fresh id. */
export function appendAudit(tx: Transaction, input: AuditInput): AuditEvent {
  const event = auditEvent(input);
  tx.put('audit', event);
  return event;
}

export async function listAudit(store: Store, opts: { limit?: number; cursor?: string | null; action?: string }) {
  return store.query('audit', {
    where: opts.action ? { action: opts.action } : {},
    orderBy: { field: 'id', direction: 'desc' },
    limit: opts.limit,
    cursor: opts.cursor ?? null,
  });
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system', label: 'orchestrator' };
