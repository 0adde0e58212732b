import { z } from 'zod';
import { defineRoute, anyone, roles, VIEWER_PLUS } from '../http/route.js';
import { MintTokenInput, Id, Health, ListedToken, ListQuery, MintedToken, OpenApiDocument, PublicToken, Role, pageOf } from '../../provisioning/model/index.js';
import { listTokens, mintToken, revokeToken } from '../../provisioning/access/tokens.js';

export const ReadinessSchema = z.object({ ready: z.boolean(), store: z.enum(['ok', 'unreachable']), engine: z.enum(['up', 'starting', 'stopping']) });

/** `apiDocument` is the document of the whole route table, these routes among them: given by the table, not imported from it. */
export const systemRoutes = (apiDocument: (version: string) => unknown) => [
  defineRoute({
    method: 'get', path: '/healthz', access: anyone, summary: 'Liveness: the store this instance runs on and its version', tags: ['system'],
    responses: { 200: { description: 'up', schema: Health } },
    handler: async ({ deps }) => ({ status: 200, body: { status: 'ok', store: deps.store.kind, version: deps.version } }),
  }),
  defineRoute({
    method: 'get', path: '/readyz', access: anyone, summary: 'Readiness: the store answers and the engine runs; load balancers send traffic only while 200', tags: ['system'],
    responses: { 200: { description: 'ready', schema: ReadinessSchema }, 503: { description: 'not ready (store unreachable, engine starting or stopping)', schema: ReadinessSchema } },
    handler: async ({ deps }) => {
      const r = deps.ops ? await deps.ops.ready() : { ready: false, store: 'ok' as const, engine: 'starting' as const };
      return { status: r.ready ? 200 : 503, body: r, headers: { 'Cache-Control': 'no-store' } };
    },
  }),
  defineRoute({
    // Carrier names and load are not public: a scraper gets a viewer token (Prometheus `authorization`).
    method: 'get', path: '/metrics', access: roles(...VIEWER_PLUS), area: 'national', summary: 'Prometheus metrics: jobs by state, carrier health and calls, lines working, WS clients, HTTP', tags: ['system'],
    responses: { 200: { description: 'Prometheus text exposition format', contentType: 'text/plain; version=0.0.4' }, 503: { description: 'metrics are not wired in this process' } },
    handler: async ({ deps }) => {
      if (!deps.ops) return { status: 503, body: 'metrics are not wired in this process\n', contentType: 'text/plain; charset=utf-8' };
      const { registry } = deps.ops.metrics;
      return { status: 200, body: await registry.metrics(), contentType: registry.contentType };
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/openapi.json', access: anyone, summary: 'This API as an OpenAPI 3.1 document, generated from the zod schemas', tags: ['system'],
    responses: { 200: { description: 'the OpenAPI document', schema: OpenApiDocument } },
    handler: async ({ deps }) => ({ status: 200, body: apiDocument(deps.version) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/tokens', access: roles('admin'), summary: 'The named tokens, newest first: label, role, created, last used (to the minute), revoked; never the token or its hash', tags: ['access'],
    query: ListQuery.extend({ role: Role.optional() }),
    responses: { 200: { description: 'a page of tokens', schema: pageOf(ListedToken) } },
    handler: async ({ query, deps }) => ({ status: 200, body: await listTokens(deps.store, query) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/tokens', access: roles('admin'), summary: 'Mint a labelled bearer token for a role (shown once)', tags: ['access'],
    body: MintTokenInput,
    responses: { 201: { description: 'the token, shown only now', schema: MintedToken }, 404: { description: 'no such carrier' } },
    handler: async ({ body, principal, deps, now }) => {
      const { token, record } = await mintToken(deps.store, body, { actor: principal!, at: now });
      return { status: 201, body: { ...record, token } };
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/tokens/:id', access: roles('admin'), summary: 'Revoke a token', tags: ['access'],
    params: z.object({ id: Id }),
    responses: { 200: { description: 'revoked (or revoked already)', schema: PublicToken }, 404: { description: 'no such token' } },
    handler: async ({ params, principal, deps, now }) => ({ status: 200, body: await revokeToken(deps.store, params.id, { actor: principal!, at: now }) }),
  }),
];
