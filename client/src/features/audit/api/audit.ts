import { api } from '../../../lib/http.js';
import type { AuditEvent, Page } from '../../../../../provisioning/model/index.js';

export const fetchAudit = (cursor: string | null) =>
  api<Page<AuditEvent>>('GET', `/api/v1/audit?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
