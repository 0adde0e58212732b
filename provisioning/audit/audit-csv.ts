import { stringify } from 'csv-stringify/sync';
import type { AuditEvent } from '../model/index.js';

/** The audit log as CSV for authorities and reviews: one row per event. */
export function auditToCsv(events: AuditEvent[]): string {
  return stringify(
    events.map((e) => [e.id, e.at, e.actor.role, e.actor.id, e.actor.label ?? '', e.action, e.entity.collection, e.entity.id, e.from ?? '', e.to ?? '', e.reason ?? '', e.before ? JSON.stringify(e.before) : '', e.after ? JSON.stringify(e.after) : '']),
    { header: true, columns: ['id', 'at', 'role', 'actor', 'actor_label', 'action', 'collection', 'entity', 'from', 'to', 'reason', 'before', 'after'] },
  );
}
