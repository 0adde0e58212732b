import { api } from '../../../lib/http.js';
import type { AuditEvent } from '../../../../../provisioning/model/index.js';

export const fetchAudit = (cursor: string | null) =>
  api<{ items: AuditEvent[]; nextCursor: string | null }>('GET', `/api/v1/audit?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
