import { defineRoute, roles } from '../http/route.js';
import { AuditEntry, AuditQuery, pageOf } from '../../provisioning/model/index.js';
import { z } from 'zod';
import { listAudit, withEntityNames } from '../../provisioning/audit/audit-log.js';
import { auditToCsv } from '../../provisioning/audit/audit-csv.js';

export const auditRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/audit', access: roles('admin'), summary: 'The append-only audit log, newest first, paged; filtered by action, actor, shelter and a date range; entries name what they are about; `format=csv` exports the page as the CSV a reviewer opens in Excel (UTF-8 with BOM, CRLF, Japanese headers, Japan time)', tags: ['audit'],
    query: AuditQuery,
    responses: { 200: { description: 'a page of events (JSON), or with format=csv the page as CSV (X-Next-Cursor carries the cursor)', schema: pageOf(AuditEntry), also: [{ contentType: 'text/csv', schema: z.string() }] } },
    handler: async ({ query, deps }) => {
      const page = await listAudit(deps.store, query);
      const items = await withEntityNames(deps.store, page.items);
      if (query.format === 'csv') {
        const headers: Record<string, string> = { 'Content-Disposition': 'attachment; filename="audit.csv"' };
        if (page.nextCursor) headers['X-Next-Cursor'] = page.nextCursor;
        return { status: 200, contentType: 'text/csv; charset=utf-8', headers, body: auditToCsv(items) };
      }
      return { status: 200, body: { items, nextCursor: page.nextCursor } };
    },
  }),
];
