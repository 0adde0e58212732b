import { api } from '../../../lib/http.js';
import type { AuditEntry, Page } from '../../../../../provisioning/model/index.js';

/** What the board filters the log by; dates are days in Japan (JST), sent as instants. */
export interface AuditFilters {
  shelterId: string;
  actor: string;
  action: string;
  fromDay: string;
  toDay: string;
}

export const NO_FILTERS: AuditFilters = { shelterId: '', actor: '', action: '', fromDay: '', toDay: '' };

export function auditQuery(f: AuditFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.shelterId) q.set('shelterId', f.shelterId);
  if (f.actor) q.set('actor', f.actor);
  if (f.action) q.set('action', f.action);
  if (f.fromDay) q.set('from', `${f.fromDay}T00:00:00.000+09:00`);
  if (f.toDay) q.set('to', `${f.toDay}T23:59:59.999+09:00`);
  return q;
}

export const fetchAudit = (cursor: string | null, filters: AuditFilters = NO_FILTERS) => {
  const q = auditQuery(filters);
  q.set('limit', '100');
  if (cursor) q.set('cursor', cursor);
  return api<Page<AuditEntry>>('GET', `/api/v1/audit?${q}`);
};
