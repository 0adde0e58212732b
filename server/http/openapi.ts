import { z } from 'zod';
import type { RouteDoc, RouteResponse } from './route.js';
import { ProblemSchema } from './problem.js';
import { SESSION_COOKIE } from './session.js';
import { sampleJsonSchema, type JsonSchema } from './sample-json-schema.js';

/** Schemas the document names under components, e.g. the WebSocket messages. */
export type NamedSchemas = Record<string, z.ZodType>;

function schemaOf(s: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

function parametersOf(s: z.ZodType | undefined, where: 'path' | 'query', path: string, root: JsonSchema) {
  if (!s) {
    // Path parameters are always documented, even when a route does not validate them with zod.
    return where === 'path' ? [...path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' }, example: 'example' })) : [];
  }
  const json = schemaOf(s, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema, example: sampleJsonSchema(schema, 'minimal', root),
  }));
}

const SECURITY: Record<string, unknown> = {
  bearer: { type: 'http', scheme: 'bearer', description: 'API token (Authorization: Bearer …), or the board session cookie' },
  session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
  twilioSignature: { type: 'apiKey', in: 'header', name: 'X-Twilio-Signature', description: 'HMAC-SHA1 (base64) of the public URL (ORCH_PUBLIC_URL + path + query) followed by the sorted form parameters, keyed with the auth token of the carrier account named by AccountSid' },
  deviceToken: { type: 'apiKey', in: 'path', name: 'token', description: 'the device token of the handset\'s provisioning URL; only its SHA-256 is stored' },
};

/** The statuses every route of a kind answers on its own, before its handler runs. */
function implicitResponses(r: RouteDoc): Record<number, RouteResponse> {
  const out: Record<number, RouteResponse> = {};
  if (r.access.kind === 'roles') {
    out[401] = { description: 'no token, an unknown or revoked token, or no session' };
    out[403] = { description: r.access.carrierScoped ? 'a role this route does not list, or a carrier token acting for another carrier' : 'a role this route does not list' };
  }
  // Any request may carry a bearer token; repeated wrong ones from one address are throttled.
  if (r.path.startsWith('/api/')) out[429] = { description: 'too many wrong tokens (or, on /p/, failed fetches) from this address; Retry-After says when to try again' };
  if (r.access.kind === 'external' && r.access.mechanism === 'twilio-signature') out[403] = { description: 'X-Twilio-Signature is missing or does not match, or the signing member does not hold the number, handset or call the callback is about' };
  if (r.access.kind === 'external' && r.access.mechanism === 'device-token') out[429] = { description: 'too many failed fetches from this address or for this token prefix; Retry-After says when to try again' };
  if (r.params || r.query || r.body || r.form) out[400] = { description: 'a parameter or the body failed validation; `errors` lists every failing field' };
  if (r.body || r.csvOnly) {
    out[413] = { description: `the body is larger than ${r.csv ? '5 MB (CSV) or 1 MB (JSON)' : '1 MB'}` };
    out[415] = { description: r.csvOnly ? 'the body is not text/csv' : `the body is not application/json${r.csv ? ' or text/csv' : ''}` };
  }
  if (r.method !== 'get' && r.access.kind !== 'external') {
    out[400] ??= { description: 'Idempotency-Key is longer than 200 characters' };
    out[422] = { description: 'this Idempotency-Key was already used with a different request' };
    out[409] ??= { description: 'a request with this Idempotency-Key is still running; retry after Retry-After' };
  }
  return out;
}

function responseObject(status: number, resp: RouteResponse, root: JsonSchema) {
  if (status >= 400) {
    const example = { type: `https://shelter-line.jp/problems/${status === 400 ? 'validation' : 'error'}`, title: resp.description.split(/[;,(]/)[0]!.trim(), status, detail: resp.description };
    const content: Record<string, unknown> = { 'application/problem+json': { schema: PROBLEM_REF, example } };
    // A page for people (the public report form) answers its errors as a page too.
    for (const a of resp.also ?? []) {
      const schema = schemaOf(a.schema, 'output');
      content[a.contentType] = { schema, example: sampleJsonSchema(schema, 'full', root) };
    }
    return { description: resp.description, content };
  }
  if (!resp.schema) return { description: resp.description };
  const content: Record<string, unknown> = {};
  for (const [type, s] of [[resp.contentType ?? 'application/json', resp.schema], ...(resp.also ?? []).map((a) => [a.contentType, a.schema])] as [string, z.ZodType][]) {
    const schema = schemaOf(s, 'output');
    content[type] = { schema, example: sampleJsonSchema(schema, 'full', root) };
  }
  return { description: resp.description, content };
}

function operationOf(r: RouteDoc, root: JsonSchema) {
  const op: Record<string, unknown> = {
    operationId: `${r.method}_${r.path.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
    summary: r.summary,
    tags: r.tags,
    parameters: [...parametersOf(r.params, 'path', r.path, root), ...parametersOf(r.query, 'query', r.path, root)],
  };
  const declared = { ...implicitResponses(r), ...r.responses };
  op.responses = Object.fromEntries(Object.entries(declared).map(([status, resp]) => [status, responseObject(Number(status), resp, root)]));
  if (r.access.kind === 'roles') {
    op.security = [{ bearer: [] }, { session: [] }];
    op['x-roles'] = r.access.roles;
    if (r.access.carrierScoped) op['x-carrier-scoped'] = true;
  } else if (r.access.kind === 'external') {
    op.security = r.access.mechanism === 'twilio-signature' ? [{ twilioSignature: [] }] : [{ deviceToken: [] }];
    op['x-access'] = r.access.mechanism;
  } else op.security = [];
  const headers = [...(r.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: h.required, description: h.description, schema: { type: 'string' } }))];
  if (r.method !== 'get' && r.access.kind !== 'external') {
    headers.push({ name: 'Idempotency-Key', in: 'header', required: false, description: 'a repeat with the same key and body gets the first answer again', schema: { type: 'string', maxLength: 200 } as never });
  }
  op.parameters = [...(op.parameters as unknown[]), ...headers];
  if (r.body || r.csvOnly || r.form) {
    const content: Record<string, unknown> = {};
    if (r.body && !r.csvOnly) {
      const schema = schemaOf(r.body, 'input');
      content['application/json'] = { schema, example: sampleJsonSchema(schema, 'minimal', root) };
    }
    if (r.csv) content['text/csv'] = { schema: { type: 'string', format: 'binary' }, ...(r.csvExample ? { example: r.csvExample } : {}) };
    if (r.form) {
      const schema = schemaOf(r.form, 'input');
      content['application/x-www-form-urlencoded'] = { schema, example: sampleJsonSchema(schema, 'minimal', root) };
    }
    op.requestBody = { required: true, content, ...(r.bodyDescription ? { description: r.bodyDescription } : {}) };
  }
  return op;
}

/**
 * The OpenAPI 3.1 document, built from the same route entries that express mounts (the API and
 * every other surface) and the WebSocket protocol (`x-websocket`).
 */
export function buildOpenApi(version: string, routes: readonly RouteDoc[], extra: { schemas?: NamedSchemas; websocket?: Record<string, unknown> } = {}) {
  const schemas: Record<string, JsonSchema> = { Problem: schemaOf(ProblemSchema, 'output') };
  for (const [name, s] of Object.entries(extra.schemas ?? {})) schemas[name] = schemaOf(s, 'output');
  const root: JsonSchema = { components: { schemas } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) (paths[r.path.replace(/:(\w+)/g, '{$1}')] ??= {})[r.method] = operationOf(r, root);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Shelter Line provisioning API',
      version,
      description: 'Lends member carriers\' numbers to evacuation shelters. Every error is application/problem+json (RFC 9457) of the one Problem schema; validation failures list each failing field in `errors`.',
    },
    servers: [{ url: '/' }],
    paths,
    components: { securitySchemes: SECURITY, schemas },
    'x-websocket': extra.websocket ?? {},
  };
}
