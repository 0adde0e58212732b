import { z } from 'zod';
import { defineRoute, roles, carrierScoped, VIEWER_PLUS } from '../http/route.js';
import { AlreadySuspended, NotLent, Alert, AssignAlertInput, BulkOpenInput, BulkOpenResult, CarrierHealthInput, CarrierHealthRecorded, CloseShelterInput, E164Param, Id, Job, JobDetail, JobStatus, LiftSuspensionInput, ListQuery, OpenShelterInput, PhoneNumber, PublicWorkOrder, RegisterHandsetInput, RegisteredHandset, ShelterStateRequested, SuspensionInput, TestCallResult, SuspensionReport, WorkOrderResultInput, pageOf } from '../../provisioning/model/index.js';
import { requestShelterState, requestBulkOpen } from '../../provisioning/shelters/open-close.js';
import { getJob, listJobs, retryJob } from '../../provisioning/shelters/shelter-jobs.js';
import { carrierHealthChanged } from '../../provisioning/shelters/carrier-health.js';
import { suspendNumber, liftSuspension } from '../../provisioning/suspensions/suspend-number.js';
import { suspendForFraud } from '../../provisioning/reports/suspend-for-fraud.js';
import { listWorkOrders, reportWorkOrder } from '../../provisioning/carriers/api/work-orders.js';
import { registerHandset } from '../../provisioning/handsets/register-handset.js';
import { placeLimitedTestCall, type TestCallPlaced } from '../../provisioning/shelters/test-call-limits.js';
import { problem } from '../http/problem.js';
import { acknowledgeAlert, assignAlert } from '../../provisioning/alerts/alerts.js';
import { pageInArea } from '../../provisioning/access/area-scope.js';

const ById = z.object({ id: Id });

/** A refused test call, in the words a coordinator reads (Japanese first) and with when to try again. */
function testCallLimited(refused: Extract<TestCallPlaced, { ok: false }>) {
  const minutes = Math.ceil(refused.retryAfterSeconds / 60);
  const detail = refused.limit === 'shelter'
    ? `この避難所の試験通話は${refused.windowMinutes}分間に${refused.max}回までです。約${minutes}分後にもう一度お試しください。(at most ${refused.max} test calls of a shelter in ${refused.windowMinutes} minutes)`
    : `試験通話は1人あたり${refused.windowMinutes}分間に${refused.max}回までです。約${minutes}分後にもう一度お試しください。(at most ${refused.max} test calls per coordinator in ${refused.windowMinutes} minutes)`;
  return problem(429, 'test-call-limited', 'Too many test calls', detail, { retryAfterSeconds: refused.retryAfterSeconds });
}

export const operationRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/shelters/:id/open', access: roles('admin', 'coordinator'), area: { bound: 'shelters' }, summary: 'Desired state open (lines); answers 202 with the job that converges the carriers', tags: ['shelters'],
    params: ById, body: OpenShelterInput,
    responses: { 202: { description: 'accepted; follow the job (Location)', schema: ShelterStateRequested }, 404: { description: 'no such shelter' } },
    handler: async ({ params, body, principal, deps, now }) => {
      const { shelter, job } = await requestShelterState(deps.store, params.id, 'open', { actor: principal!, at: now, ...body });
      return { status: 202, headers: { Location: `/api/v1/jobs/${job.id}` }, body: { shelterId: shelter.id, desiredStatus: shelter.desiredStatus, job } };
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/shelters/:id/close', access: roles('admin', 'coordinator'), area: { bound: 'shelters' }, summary: 'Desired state closed; 202 with the teardown job', tags: ['shelters'],
    params: ById, body: CloseShelterInput,
    responses: { 202: { description: 'accepted; follow the job (Location)', schema: ShelterStateRequested }, 404: { description: 'no such shelter' } },
    handler: async ({ params, body, principal, deps, now }) => {
      const { shelter, job } = await requestShelterState(deps.store, params.id, 'closed', { actor: principal!, at: now, ...body });
      return { status: 202, headers: { Location: `/api/v1/jobs/${job.id}` }, body: { shelterId: shelter.id, desiredStatus: shelter.desiredStatus, job } };
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/shelters/open-bulk', access: roles('admin', 'coordinator'), area: 'filtered', summary: 'Open many shelters at once (a mass opening); one job each', tags: ['shelters'],
    body: BulkOpenInput,
    responses: { 202: { description: 'accepted; one job per shelter, or the error that shelter met', schema: BulkOpenResult } },
    handler: async ({ body, principal, deps, now }) => ({ status: 202, body: { results: await requestBulkOpen(deps.store, body.ids, { actor: principal!, scope: principal!.scope, at: now, etocGraceDays: deps.config.ORCH_ETOC_GRACE_DAYS, agingDays: deps.config.ORCH_AGING_DAYS, ...(body.lines ? { lines: body.lines } : {}), ...(body.reason ? { reason: body.reason } : {}) }) } }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/jobs', access: roles(...VIEWER_PLUS), area: 'filtered', summary: 'Jobs, newest first', tags: ['jobs'],
    query: ListQuery.extend({ status: JobStatus.optional(), shelterId: Id.optional() }),
    responses: { 200: { description: 'a page of jobs', schema: pageOf(Job) } },
    handler: async ({ query, principal, deps }) => ({ status: 200, body: await listJobs(deps.store, query, principal!) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/jobs/:id', access: roles(...VIEWER_PLUS), area: { bound: 'jobs' }, summary: 'One job: steps, attempts, errors', tags: ['jobs'],
    params: ById,
    responses: { 200: { description: 'the job', schema: JobDetail }, 404: { description: 'no such job' } },
    handler: async ({ params, deps }) => ({ status: 200, body: await getJob(deps.store, params.id) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/jobs/:id/retry', access: roles('admin', 'coordinator'), area: { bound: 'jobs' }, summary: 'Retry a failed job', tags: ['jobs'],
    params: ById,
    responses: { 200: { description: 'queued again', schema: Job }, 404: { description: 'no such job' }, 409: { description: 'only a failed or cancelled job can be retried' } },
    handler: async ({ params, principal, deps, now }) => ({ status: 200, body: await retryJob(deps.store, params.id, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/alerts', access: roles(...VIEWER_PLUS), area: 'filtered', summary: 'Alerts for the board', tags: ['alerts'],
    query: ListQuery,
    responses: { 200: { description: 'a page of alerts', schema: pageOf(Alert) } },
    handler: async ({ query, principal, deps }) => ({ status: 200, body: await pageInArea(deps.store, principal!, 'alerts', { orderBy: { field: 'createdAt', direction: 'desc' }, limit: query.limit, cursor: query.cursor ?? null }) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/alerts/:id/ack', access: roles('admin', 'coordinator'), area: { bound: 'alerts' }, summary: 'Acknowledge an alert', tags: ['alerts'],
    params: ById,
    responses: { 200: { description: 'acknowledged', schema: Alert }, 404: { description: 'no such alert' } },
    handler: async ({ params, principal, deps, now }) => ({ status: 200, body: await acknowledgeAlert(deps.store, params.id, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'put', path: '/api/v1/alerts/:id/assignee', access: roles('admin', 'coordinator'), area: { bound: 'alerts' }, summary: 'Assign an alert to a named person (null takes it off); audited', tags: ['alerts'],
    params: ById, body: AssignAlertInput,
    responses: { 200: { description: 'assigned (or unchanged)', schema: Alert }, 404: { description: 'no such alert' } },
    handler: async ({ params, body, principal, deps, now }) => ({ status: 200, body: await assignAlert(deps.store, params.id, body.assignee, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/carriers/:id/health', access: roles('admin', 'coordinator'), area: 'national', summary: 'Mark a carrier down (failover to other carriers) or up again', tags: ['carriers'],
    params: ById, body: CarrierHealthInput,
    responses: { 200: { description: 'recorded; failover jobs listed', schema: CarrierHealthRecorded }, 404: { description: 'no such carrier' } },
    handler: async ({ params, body, principal, deps, now }) => {
      if (!(await deps.store.get('carriers', params.id))) throw problem(404, 'not-found', 'Not found', `carrier ${params.id} does not exist`);
      const { jobs } = await carrierHealthChanged(deps.store, params.id, body.down ? 'down' : 'up', { at: now, actor: principal!, reason: body.reason, manual: true });
      deps.engine.carriers.invalidate(params.id);
      return { status: 200, body: { carrierId: params.id, health: body.down ? 'down' : 'up', jobs } };
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/suspensions', access: roles('authority', 'admin'), summary: 'Suspend a number now (番号の利用停止); answers with the report for the authorities', tags: ['compliance'],
    body: SuspensionInput,
    responses: { 201: { description: 'suspended now; the report', schema: SuspensionReport }, 200: { description: 'already suspended, or not lent by anyone: what was done, with the lending history we have', schema: z.union([AlreadySuspended, NotLent]) } },
    handler: async ({ body, principal, deps, now }) => {
      const { fraud, window, ...request } = body;
      const result = fraud
        ? await suspendForFraud(deps.engine, { ...request, ...(window ? { window } : {}) }, { actor: principal!, at: now })
        : await suspendNumber(deps.engine, request, { actor: principal!, at: now });
      return { status: result.outcome === 'suspended' ? 201 : 200, body: result };
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/suspensions', access: roles('authority', 'admin'), summary: 'Suspension reports', tags: ['compliance'],
    query: ListQuery,
    responses: { 200: { description: 'a page of reports', schema: pageOf(SuspensionReport) } },
    handler: async ({ query, deps }) => ({ status: 200, body: await deps.store.query('suspensions', { orderBy: { field: 'requestedAt', direction: 'desc' }, limit: query.limit, cursor: query.cursor ?? null }) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/suspensions/:e164/lift', access: roles('admin'), summary: 'Lift a suspension (admin, with a reason); the number then ages', tags: ['compliance'],
    params: z.object({ e164: E164Param }), body: LiftSuspensionInput,
    responses: { 200: { description: 'lifted; the number now ages', schema: PhoneNumber }, 404: { description: 'no such number' }, 409: { description: 'the number is not suspended' } },
    handler: async ({ params, body, principal, deps, now }) => ({ status: 200, body: await liftSuspension(deps.engine, params.e164, body.reason, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/carriers/:id/work-orders', access: carrierScoped('carrier', 'admin'),
    summary: 'Work an api-kind carrier must do (route a number, reset it, create/delete a SIP credential). `wait` long-polls up to 25 s', tags: ['work orders'],
    params: ById, query: ListQuery.extend({ status: z.enum(['pending', 'done', 'failed', 'expired']).optional(), wait: z.coerce.number().int().min(0).max(25).optional() }),
    responses: { 200: { description: 'a page of work orders (the SIP password of a credential order is unsealed only for the owning carrier)', schema: pageOf(PublicWorkOrder) }, 404: { description: 'no such carrier' } },
    handler: async ({ params, query, principal, deps }) => ({ status: 200, body: await listWorkOrders(deps.store, params.id, query, principal!.role === 'carrier' ? deps.secrets : null) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/work-orders/:id/result', access: roles('carrier', 'admin'), summary: 'Report a work order done or failed', tags: ['work orders'],
    params: ById, body: WorkOrderResultInput,
    responses: { 200: { description: 'recorded', schema: PublicWorkOrder }, 403: { description: 'the work order belongs to another carrier' }, 404: { description: 'no such work order' }, 409: { description: 'the work order was reported otherwise already; `state` says how' } },
    handler: async ({ params, body, principal, deps, now }) => ({ status: 200, body: await reportWorkOrder(deps.store, params.id, body, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/shelters/:id/handsets', access: roles('admin', 'coordinator'), area: { bound: 'shelters' }, summary: 'Register a handset (MAC + vendor); answers with its provisioning URL', tags: ['handsets'],
    params: ById, body: RegisterHandsetInput,
    responses: { 201: { description: 'registered; the provisioning URL (with its device token) is shown only now', schema: RegisteredHandset }, 400: { description: 'a desk phone (yealink, grandstream, polycom) needs a valid `mac`' }, 404: { description: 'no such shelter' }, 409: { description: 'the shelter is not open or has no line yet, or the MAC is registered already' } },
    handler: async ({ params, body, principal, deps, now }) => ({ status: 201, body: await registerHandset({ ...deps.engine, publicUrl: deps.config.publicUrl }, params.id, body, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/shelters/:id/test-calls', access: roles('admin', 'coordinator'), area: { bound: 'shelters' },
    summary: 'Ring every handset of an open shelter through its carriers (from the shelter\'s number on each), once; answers what each carrier did (audited). Limited per shelter (ORCH_TEST_CALLS_PER_SHELTER in 15 minutes) and per coordinator (ORCH_TEST_CALLS_PER_COORDINATOR an hour)', tags: ['handsets'],
    params: ById,
    responses: {
      201: { description: 'placed; one outcome per handset and carrier', schema: TestCallResult }, 404: { description: 'no such shelter' }, 409: { description: 'the shelter is not open, or has no handset with credentials' },
      429: { description: 'too many test calls of this shelter, or by this coordinator: nothing rang; Retry-After says when (the refusal is audited)' },
    },
    handler: async ({ params, principal, deps, now }) => {
      const limits = { perShelter: deps.config.ORCH_TEST_CALLS_PER_SHELTER, perCoordinator: deps.config.ORCH_TEST_CALLS_PER_COORDINATOR };
      const placed = await placeLimitedTestCall(deps.engine, params.id, { actor: principal!, at: now, limits });
      if (!placed.ok) throw testCallLimited(placed);
      return { status: 201, body: placed.result };
    },
  }),
];
