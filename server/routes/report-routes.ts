import { z } from 'zod';
import { defineRoute, roles, VIEWER_PLUS } from '../http/route.js';
import { AlreadySuspended, ConvertReportInput, FraudHold, FraudReport, HoldReviewInput, Id, ListQuery, NotLent, ReportsExportQuery, ReportsQuery, SuspensionReport, TriageInput, TriagedReport, pageOf } from '../../provisioning/model/index.js';
import { convertReport, reportsReceivedBetween, reportsToCsv, reviewHold, triageReport, type ReportPolicy } from '../../provisioning/reports/index.js';
import type { Config } from '../config.js';
import { problem } from '../http/problem.js';
import { pageInArea } from '../../provisioning/access/area-scope.js';

const ById = z.object({ id: Id });

/** The reports policy from the configuration (ORCH_REPORTS_*). */
export function reportPolicy(config: Config): ReportPolicy {
  return { credibleReports: config.ORCH_REPORTS_CREDIBLE, windowHours: config.ORCH_REPORTS_WINDOW_HOURS, linkWindowMinutes: 60 };
}

export const reportRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/reports', access: roles('admin', 'authority'), summary: 'Reports from the public reporting window (申告窓口), newest first, with the number\'s history at the reported time', tags: ['reports'],
    query: ReportsQuery,
    responses: { 200: { description: 'a page of reports', schema: pageOf(FraudReport) } },
    handler: async ({ query, deps }) => ({
      status: 200,
      body: await deps.store.query('reports', {
        where: { ...(query.status ? { status: query.status } : {}), ...(query.e164 ? { e164: query.e164 } : {}) },
        orderBy: { field: 'receivedAt', direction: 'desc' }, limit: query.limit, cursor: query.cursor ?? null,
      }),
    }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/reports/export', access: roles('admin', 'authority'), summary: 'Reports received in [from, to) as CSV for MIC and the police (layout in the README); by default the last 7 days', tags: ['reports'],
    query: ReportsExportQuery,
    responses: { 200: { description: 'UTF-8 CSV with a BOM, one row per report, oldest first', schema: z.string(), contentType: 'text/csv' } },
    handler: async ({ query, deps, now }) => {
      const to = query.to ? new Date(query.to) : now;
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 7 * 86_400_000);
      if (from.getTime() >= to.getTime()) throw problem(400, 'validation', 'Invalid request', '`from` must be before `to`', { errors: [{ path: 'query.to', message: 'must be after from' }] });
      const name = `reports_${from.toISOString().slice(0, 10)}_${to.toISOString().slice(0, 10)}.csv`;
      return { status: 200, contentType: 'text/csv; charset=utf-8', headers: { 'Content-Disposition': `attachment; filename="${name}"` }, body: reportsToCsv(await reportsReceivedBetween(deps.store, from, to)) };
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/reports/:id', access: roles('admin', 'authority'), summary: 'One report', tags: ['reports'],
    params: ById,
    responses: { 200: { description: 'the report', schema: FraudReport }, 404: { description: 'no such report' } },
    handler: async ({ params, deps }) => {
      const report = await deps.store.get('reports', params.id);
      if (!report) throw problem(404, 'not-found', 'Not found', `report ${params.id} does not exist`);
      return { status: 200, body: report };
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/reports/:id/triage', access: roles('admin', 'authority'), summary: 'Triage a report: credible, not_credible or needs_info. Enough credible reports about one number restrict its shelter\'s outbound calls', tags: ['reports'],
    params: ById, body: TriageInput,
    responses: { 200: { description: 'triaged; and whether the shelter is now restricted', schema: TriagedReport }, 404: { description: 'no such report' }, 409: { description: 'the report cannot take that triage now (it was turned into a suspension)' } },
    handler: async ({ params, body, principal, deps, now }) => ({ status: 200, body: await triageReport({ store: deps.store, policy: reportPolicy(deps.config) }, params.id, body, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/reports/:id/suspension', access: roles('authority', 'admin'), summary: 'Turn a report into a suspension of its number in one step (番号の利用停止 for fraud): handsets that called on it are revoked, the shelter is refused new outbound lines', tags: ['reports'],
    params: ById, body: ConvertReportInput,
    responses: {
      201: { description: 'suspended now; the report with the handsets and calls of the window', schema: SuspensionReport },
      200: { description: 'already suspended, or not lent by anyone', schema: z.union([AlreadySuspended, NotLent]) },
      404: { description: 'no such report' },
      409: { description: 'the report was judged not credible, or is a suspension already' },
    },
    handler: async ({ params, body, principal, deps, now }) => {
      const result = await convertReport({ ...deps.engine, policy: reportPolicy(deps.config) }, params.id, body, { actor: principal!, at: now });
      return { status: result.outcome === 'suspended' ? 201 : 200, body: result };
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/fraud-holds', access: roles(...VIEWER_PLUS, 'authority'), area: 'filtered', summary: 'Shelters whose outbound calls are held after fraud reports or a fraud suspension, and their reviews', tags: ['reports'],
    query: ListQuery,
    responses: { 200: { description: 'a page of holds (one per shelter that ever had one)', schema: pageOf(FraudHold) } },
    handler: async ({ query, principal, deps }) => ({ status: 200, body: await pageInArea(deps.store, principal!, 'fraudHolds', { orderBy: { field: 'updatedAt', direction: 'desc' }, limit: query.limit, cursor: query.cursor ?? null }) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/shelters/:id/outbound-restriction/review', access: roles('admin', 'coordinator'), area: { bound: 'shelters' }, summary: 'A coordinator reviewed the shelter after credible fraud reports: its outbound calls are open again', tags: ['reports'],
    params: ById, body: HoldReviewInput,
    responses: { 200: { description: 'reviewed; the hold as it is now', schema: FraudHold }, 404: { description: 'no such shelter' } },
    handler: async ({ params, body, principal, deps, now }) => ({ status: 200, body: await reviewHold(deps.store, params.id, 'restriction', body.note, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/shelters/:id/line-refusal/review', access: roles('admin'), summary: 'An admin reviewed the shelter after a fraud suspension: it may get new outbound lines again (a reconcile follows)', tags: ['reports'],
    params: ById, body: HoldReviewInput,
    responses: { 200: { description: 'reviewed; the hold as it is now', schema: FraudHold }, 404: { description: 'no such shelter' } },
    handler: async ({ params, body, principal, deps, now }) => ({ status: 200, body: await reviewHold(deps.store, params.id, 'refusal', body.note, { actor: principal!, at: now }) }),
  }),
];
