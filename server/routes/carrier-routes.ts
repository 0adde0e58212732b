import { z } from 'zod';
import { defineRoute, roles, carrierScoped } from '../http/route.js';
import { Id, ListQuery, LendNumbersInput, RegisterCarrierInput, UpdateCarrierInput, NumbersQuery, RegisteredCarrier, PublicCarrier, pageOf, LendReport, PhoneNumber, E164Param, PreflightReport } from '../../provisioning/model/index.js';
import { runPreflight } from '../../provisioning/carriers/preflight.js';
import { getCarrier, listCarriers, registerCarrier, updateCarrier } from '../../provisioning/carriers/registry.js';
import { carrierHealthChanged } from '../../provisioning/shelters/carrier-health.js';
import { lendNumbers, listNumbers, parseNumbersCsv, withdrawNumber } from '../../provisioning/numbers/lending.js';
import { problem } from '../http/problem.js';
import type { AppDeps } from '../app-deps.js';

const ById = z.object({ id: Id });
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A CSV of numbers is UTF-8; broken bytes would otherwise turn into U+FFFD rows that look like bad numbers. */
function decodeUtf8(csv: Buffer): string {
  try {
    return utf8.decode(csv);
  } catch {
    throw problem(400, 'invalid-encoding', 'Invalid request', 'the CSV is not valid UTF-8');
  }
}
const carrierDeps = (deps: AppDeps) => ({ store: deps.store, secrets: deps.secrets, etocGraceDays: deps.config.ORCH_ETOC_GRACE_DAYS, deploymentId: deps.config.deploymentId });

export const carrierRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/carriers', access: roles('admin'), summary: 'Register a member carrier; its API token is returned once', tags: ['carriers'],
    body: RegisterCarrierInput,
    responses: { 201: { description: 'registered; the token is shown only now', schema: RegisteredCarrier }, 409: { description: 'the id, or the Twilio account, is taken already' } },
    handler: async ({ body, principal, deps, now }) => {
      const { carrier, token } = await registerCarrier(carrierDeps(deps), body, { actor: principal!, at: now });
      return { status: 201, body: { carrier, token } };
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/carriers', access: roles('admin', 'coordinator'), area: 'unbound', summary: 'List member carriers', tags: ['carriers'],
    query: ListQuery,
    responses: { 200: { description: 'a page of carriers', schema: pageOf(PublicCarrier) } },
    handler: async ({ query, deps, now }) => ({ status: 200, body: await listCarriers(carrierDeps(deps), query, now) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/carriers/:id', access: roles('admin', 'coordinator'), area: 'unbound', summary: 'One carrier, with its certifications and what it may lend today', tags: ['carriers'],
    params: ById,
    responses: { 200: { description: 'the carrier', schema: PublicCarrier }, 404: { description: 'no such carrier' } },
    handler: async ({ params, deps, now }) => ({ status: 200, body: await getCarrier(carrierDeps(deps), params.id, now) }),
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/carriers/:id', access: roles('admin', 'coordinator'), area: 'national', summary: 'Update a carrier (certifications, capacity, status); coordinators may only mark it down or up', tags: ['carriers'],
    params: ById, body: UpdateCarrierInput,
    responses: { 200: { description: 'updated', schema: PublicCarrier }, 403: { description: 'a coordinator may only send manualDown and healthReason' }, 404: { description: 'no such carrier' }, 409: { description: 'another carrier already uses this Twilio account' } },
    handler: async ({ params, body, principal, deps, now }) => {
      if (principal!.role === 'coordinator') {
        const allowed = new Set(['manualDown', 'healthReason']);
        const other = Object.keys(body).filter((k) => !allowed.has(k));
        if (other.length) throw problem(403, 'forbidden', 'Forbidden', `a coordinator may only mark a carrier down or up; ${other.join(', ')} need the admin role`);
      }
      const { manualDown, healthReason, ...rest } = body;
      let carrier = await updateCarrier(carrierDeps(deps), params.id, rest, { actor: principal!, at: now });
      if (manualDown !== undefined) {
        await carrierHealthChanged(deps.store, params.id, manualDown ? 'down' : 'up', { at: now, actor: principal!, reason: healthReason ?? (manualDown ? 'marked down by a coordinator' : 'marked up by a coordinator'), manual: true });
        carrier = await getCarrier(carrierDeps(deps), params.id, now);
      }
      deps.engine.carriers.invalidate(params.id);
      return { status: 200, body: carrier };
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/carriers/:id/preflight', access: carrierScoped('admin', 'carrier'), summary: 'Check the member\'s real Twilio account before a disaster: credentials, lent numbers on the account, the SIP domain (made when its name is free, as the first opening would: Twilio has no call that only checks a name, and a deleted name stays reserved), and the limit it really answers with (a probe of at most 64 requests and 10 s). The report, with what to fix in Japanese and English, is kept with the carrier.', tags: ['carriers'],
    params: ById,
    responses: { 200: { description: 'the report (also kept on the carrier as `preflight`)', schema: PreflightReport }, 404: { description: 'no such carrier' }, 409: { description: 'the carrier is not on Twilio, or a preflight of it is running (one at a time per carrier, on any instance)' } },
    handler: async ({ params, deps, now }) => {
      const urls = deps.engine.urls;
      const report = await runPreflight({ store: deps.store, secrets: deps.secrets, adapter: (id) => deps.engine.carriers.get(id), domainSpec: { voiceUrl: urls.outboundUrl, voiceFallbackUrl: urls.voiceFallbackUrl, statusCallback: urls.statusCallback } }, params.id, now);
      return { status: 200, body: report };
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/carriers/:id/numbers', access: carrierScoped('admin', 'carrier'), summary: 'Lend numbers (JSON or text/csv with a `number` column); each row is accepted or rejected with reasons', tags: ['numbers'],
    params: ById, body: LendNumbersInput, csv: true, csvExample: 'number,emergency_capable\n0767-52-0959,1\n050-1234-5678,0\n',
    bodyDescription: 'JSON `{numbers: [{number, emergencyCapable?}]}`, or text/csv (UTF-8, optional BOM) with a header row: a `number` column (or `e164`, `phone_number`, `電話番号`) and an optional `emergency_capable` column (1/true/yes/y/可 = true). A number is national (0767-52-0959, 050-1234-5678) or E.164 (+81767520959); hyphens and spaces are ignored. Only 0AB-J and 050 numbers are lent; 0AB-J needs a valid 番号使用計画の認定. At most 10,000 rows.',
    responses: { 200: { description: 'per-row report: each row accepted, unchanged or rejected with its reasons', schema: LendReport }, 404: { description: 'no such carrier' } },
    handler: async ({ params, body, csv, principal, deps, now }) => {
      const rows = csv ? parseNumbersCsv(decodeUtf8(csv)) : body.numbers;
      if (rows.length > 10_000) throw problem(413, 'too-large', 'Payload too large', 'at most 10,000 numbers per request');
      const result = await lendNumbers(deps.store, params.id, rows, { actor: principal!, at: now, etocGraceDays: deps.config.ORCH_ETOC_GRACE_DAYS });
      return { status: 200, body: result };
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/carriers/:id/numbers/:e164', access: carrierScoped('admin', 'carrier'), summary: 'Withdraw a number that is not in service', tags: ['numbers'],
    params: z.object({ id: Id, e164: E164Param }),
    responses: { 200: { description: 'withdrawn (or withdrawn already)', schema: PhoneNumber }, 403: { description: 'the number is suspended; only an admin can lift that' }, 404: { description: 'the carrier does not lend this number' }, 409: { description: 'the number is in service; `state` and `shelterId` say where' } },
    handler: async ({ params, principal, deps, now }) => ({ status: 200, body: await withdrawNumber(deps.store, params.id, params.e164, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/numbers', access: roles('admin', 'coordinator', 'carrier'), area: 'filtered', summary: 'List numbers by state, carrier, shelter; a carrier sees only its own', tags: ['numbers'],
    query: NumbersQuery,
    responses: { 200: { description: 'a page of numbers', schema: pageOf(PhoneNumber) } },
    handler: async ({ query, principal, deps }) => {
      if (principal!.role === 'carrier' && query.carrierId !== undefined && query.carrierId !== principal!.carrierId) {
        throw problem(403, 'forbidden', 'Forbidden', 'a carrier token may list only its own carrier’s numbers');
      }
      const scoped = principal!.role === 'carrier' ? { ...query, carrierId: principal!.carrierId! } : query;
      return { status: 200, body: await listNumbers(deps.store, scoped, principal!) };
    },
  }),
];

