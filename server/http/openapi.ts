import { z } from 'zod';
import type { RouteSpec } from './route.js';
import { ProblemSchema } from './problem.js';
import { SESSION_COOKIE } from './session.js';

type JsonSchema = Record<string, unknown>;

function schemaOf(s: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parametersOf(s: z.ZodType | undefined, where: 'path' | 'query', path: string) {
  if (!s) {
    // Path parameters are always documented, even when a route does not validate them with zod.
    return where === 'path' ? [...path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })) : [];
  }
  const json = schemaOf(s, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema,
  }));
}

const SECURITY: Record<string, unknown> = {
  bearer: { type: 'http', scheme: 'bearer', description: 'API token (Authorization: Bearer …), or the board session cookie' },
  session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
  twilioSignature: { type: 'apiKey', in: 'header', name: 'X-Twilio-Signature', description: 'HMAC-SHA1 of the public URL and parameters with the carrier account auth token' },
};

/** The OpenAPI 3.1 document, built from the same route table that express mounts. */
export function buildOpenApi(version: string, routes: readonly RouteSpec[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const op: Record<string, unknown> = {
      operationId: `${r.method}_${r.path.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
      summary: r.summary,
      tags: r.tags,
      parameters: [...parametersOf(r.params, 'path', r.path), ...parametersOf(r.query, 'query', r.path)],
      responses: Object.fromEntries([
        ...Object.entries(r.responses).map(([status, resp]) => [status, {
          description: resp.description,
          ...(resp.schema ? { content: { [resp.contentType ?? 'application/json']: { schema: schemaOf(resp.schema, 'output') } } } : {}),
        }]),
        ['default', { description: 'an error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }],
      ]),
    };
    if (r.access.kind === 'roles') {
      op.security = [{ bearer: [] }, { session: [] }];
      op['x-roles'] = r.access.roles;
      if (r.access.carrierScoped) op['x-carrier-scoped'] = true;
    } else if (r.access.kind === 'external') {
      op.security = r.access.mechanism === 'twilio-signature' ? [{ twilioSignature: [] }] : [];
      op['x-access'] = r.access.mechanism;
    } else op.security = [];
    if (r.body || r.csvOnly) {
      const content: Record<string, unknown> = {};
      if (r.body && !r.csvOnly) content['application/json'] = { schema: schemaOf(r.body, 'input') };
      if (r.csv) content['text/csv'] = { schema: { type: 'string', format: 'binary' } };
      op.requestBody = { required: true, content };
      op.parameters = [...(op.parameters as unknown[]), { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }];
    }
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Shelter Line provisioning API',
      version,
      description: 'Lends member carriers\' numbers to evacuation shelters. Errors are application/problem+json (RFC 9457).',
    },
    servers: [{ url: '/' }],
    paths,
    components: { securitySchemes: SECURITY, schemas: { Problem: schemaOf(ProblemSchema, 'output') } },
  };
}
