import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../server/routes/index.js';
import type { RouteSpec } from '../../server/http/route.js';
import { call, startApiServer, type ApiServer } from '../support/api-server.js';
import { ContractChecker, type OpenApiDoc } from '../support/api-contract.js';
import { surfaceRoutes } from '../../server/routes/surface-routes.js';

type OpenApi = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, { responses: object; parameters: { name: string; in: string }[]; 'x-roles'?: string[] }>> };

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** The routes a document leaves out, as `method path`. */
function missingFromOpenApi(doc: OpenApi, routes: readonly Pick<RouteSpec, 'method' | 'path'>[]): string[] {
  return routes.filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method]).map((r) => `${r.method} ${r.path}`);
}

let s: ApiServer;
let doc: OpenApi;
beforeAll(async () => {
  s = await startApiServer();
  const res = await call(s, 'get', '/api/v1/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  doc = res.body;
});
afterAll(async () => {
  await s?.close();
});

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1, served to anyone', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: 'test' });
  });

  it('lists every route of the route table, path and method', () => {
    expect(missingFromOpenApi(doc, allRoutes())).toEqual([]);
  });

  it('lists every /api route express registered, so a route mounted outside the table is caught too', () => {
    const registered: { method: string; path: string }[] = [];
    const walk = (stack: any[]) => {
      for (const layer of stack) {
        if (layer.route) for (const m of Object.keys(layer.route.methods)) registered.push({ method: m, path: layer.route.path });
        else if (layer.handle?.stack) walk(layer.handle.stack);
      }
    };
    walk((s.app as unknown as { router: { stack: any[] } }).router.stack);
    // The operator probes (/healthz, /readyz, /metrics) live in the table outside /api.
    const probes = new Set(allRoutes().filter((r) => !r.path.startsWith('/api/')).map((r) => r.path));
    const api = registered.filter((r) => r.path.startsWith('/api/') || probes.has(r.path)) as Pick<RouteSpec, 'method' | 'path'>[];
    expect(api.length).toBe(allRoutes().length);
    expect(missingFromOpenApi(doc, api)).toEqual([]);
    // The webhooks, handset files and the public report window have their own routers: the surface table must list exactly what they mount.
    const surfaces = registered.filter((r) => r.path.startsWith('/twilio/') || r.path.startsWith('/p/') || r.path === '/report');
    expect(surfaces.map((r) => `${r.method} ${r.path}`).sort()).toEqual(surfaceRoutes.map((r) => `${r.method} ${r.path}`).sort());
    expect(missingFromOpenApi(doc, surfaces as Pick<RouteSpec, 'method' | 'path'>[])).toEqual([]);
  });

  it('fails the check when a route is missing from the document', () => {
    const [first] = allRoutes();
    const trimmed = structuredClone(doc);
    delete trimmed.paths[openApiPath(first!.path)]![first!.method];
    expect(missingFromOpenApi(trimmed, allRoutes())).toEqual([`${first!.method} ${first!.path}`]);
  });

  it('documents every path parameter, the roles of each protected route and responses', () => {
    for (const r of allRoutes()) {
      const op = doc.paths[openApiPath(r.path)]![r.method]!;
      for (const [, name] of r.path.matchAll(/:(\w+)/g)) expect(op.parameters.some((p) => p.in === 'path' && p.name === name), `${r.path} {${name}}`).toBe(true);
      if (r.access.kind === 'roles') expect(op['x-roles'], `${r.method} ${r.path}`).toEqual([...r.access.roles]);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    }
  });

  const pointer = (x: string) => x.replace(/~/g, '~0').replace(/\//g, '~1');
  const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op: op as any })));

  it('gives every operation an example that its own schema accepts, request and response', () => {
    const checker = new ContractChecker(doc as unknown as OpenApiDoc);
    const failures: string[] = [];
    let examples = 0;
    for (const { path, method, op } of operations()) {
      const base = `/paths/${pointer(path)}/${method}`;
      for (const [status, resp] of Object.entries<any>(op.responses)) {
        for (const [type, media] of Object.entries<any>(resp.content ?? {})) {
          expect(media.example, `${method} ${path} ${status} ${type}`).toBeDefined();
          examples++;
          const err = checker.validateAt(`${base}/responses/${status}/content/${pointer(type)}/schema`, media.example);
          if (err) failures.push(`${method} ${path} ${status}: ${err}`);
        }
      }
      for (const [type, media] of Object.entries<any>(op.requestBody?.content ?? {})) {
        if (type === 'text/csv') continue;
        examples++;
        const err = checker.validateAt(`${base}/requestBody/content/${pointer(type)}/schema`, media.example);
        if (err) failures.push(`${method} ${path} request: ${err}`);
      }
    }
    expect(failures).toEqual([]);
    expect(examples).toBeGreaterThan(operations().length);
  });

  it('closes every JSON response object, so an undocumented field fails validation', () => {
    const open: string[] = [];
    const walk = (schema: any, where: string) => {
      if (!schema || typeof schema !== 'object') return;
      if (schema.type === 'object' && schema.properties && schema.additionalProperties !== false) open.push(where);
      for (const [k, v] of Object.entries(schema)) if (typeof v === 'object') walk(v, `${where}/${k}`);
    };
    for (const { path, method, op } of operations()) {
      for (const [status, resp] of Object.entries<any>(op.responses)) walk(resp.content?.['application/json']?.schema, `${method} ${path} ${status}`);
    }
    walk((doc as any).components.schemas.Problem, 'Problem');
    walk((doc as any).components.schemas.WsServerMessage, 'WsServerMessage');
    expect(open).toEqual([]);
  });

  it('answers every error of every operation with the one Problem schema, 401 and 403 wherever roles are checked', () => {
    for (const { path, method, op } of operations()) {
      for (const [status, resp] of Object.entries<any>(op.responses)) {
        // The public report form (no JavaScript) also answers its errors as the page, for people.
        const page = path === '/report' && resp.content?.['text/html'] ? { 'text/html': expect.anything() } : {};
        if (Number(status) >= 400) expect(resp.content, `${method} ${path} ${status}`).toEqual({ 'application/problem+json': expect.objectContaining({ schema: { $ref: '#/components/schemas/Problem' } }), ...page });
      }
      if (op['x-roles']) expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['401', '403']));
    }
  });

  it('says the rules the server enforces: twilio credentials, desk-phone MAC, one field per PATCH, check digit, CSV layouts', () => {
    const body = (path: string, method: string) => (doc.paths[path] as any)[method].requestBody;
    expect(body('/api/v1/carriers', 'post').content['application/json'].schema.oneOf).toHaveLength(2);
    expect(body('/api/v1/shelters/{id}/handsets', 'post').content['application/json'].schema.then).toEqual({ required: ['mac'] });
    expect(body('/api/v1/shelters/{id}', 'patch').content['application/json'].schema.minProperties).toBe(1);
    expect(body('/api/v1/carriers/{id}', 'patch').content['application/json'].schema.minProperties).toBe(1);
    expect(body('/api/v1/shelters', 'post').content['application/json'].schema.properties.municipalityCode.description).toMatch(/check digit/);
    expect(body('/api/v1/shelters/import', 'post').description).toMatch(/共通ID/);
    expect(body('/api/v1/carriers/{id}/numbers', 'post').description).toMatch(/emergency_capable/);
  });

  it('documents the WebSocket feed with its message schemas', () => {
    const ws = (doc as any)['x-websocket']['/ws'];
    expect(ws.serverMessages).toEqual({ $ref: '#/components/schemas/WsServerMessage' });
    const types = (doc as any).components.schemas.WsServerMessage.oneOf.map((m: any) => m.properties?.type?.const ?? m.oneOf?.[0]?.properties?.type?.const);
    expect(types).toEqual(['snapshot', 'change', 'pong', 'error', 'signed-out']);
    // A snapshot holds each collection as a table of the board form's fields, in a documented order.
    const snapshot = (doc as any).components.schemas.WsServerMessage.oneOf.find((m: any) => m.properties?.type?.const === 'snapshot');
    const fields = snapshot.properties.shelters.properties.fields.prefixItems.map((f: any) => f.const);
    expect(fields.slice(0, 2)).toEqual(['id', 'name']);
    expect(fields).toContain('address');
    expect(fields).not.toContain('areaCodes');
    expect(snapshot.properties.shelters.properties.rows.items.prefixItems).toHaveLength(fields.length);
    expect(ws.documents).toMatch(/\{fields, rows\}/);
  });

  it('fails an answer with an undocumented field, status or content type (the check call() runs on every answer)', () => {
    const checker = new ContractChecker(doc as unknown as OpenApiDoc);
    const health = JSON.stringify({ status: 'ok', store: 'sqlite', version: 'test' });
    expect(checker.check('get', '/healthz', 200, 'application/json; charset=utf-8', health)).toEqual([]);
    expect(checker.check('get', '/healthz', 200, 'application/json', JSON.stringify({ ...JSON.parse(health), uptime: 3 })).join()).toMatch(/additional properties/);
    expect(checker.check('get', '/healthz', 201, 'application/json', health).join()).toMatch(/not documented/);
    expect(checker.check('get', '/healthz', 200, 'text/plain', 'ok').join()).toMatch(/content type/);
    const problem = { type: 'https://shelter-line.jp/problems/not-found', title: 'Not found', status: 404, detail: 'x' };
    expect(checker.check('get', '/api/v1/shelters/a', 404, 'application/problem+json', JSON.stringify(problem))).toEqual([]);
    expect(checker.check('get', '/api/v1/shelters/a', 404, 'application/problem+json', JSON.stringify({ ...problem, fields: ['id'] })).join()).toMatch(/additional properties/);
  });
});
