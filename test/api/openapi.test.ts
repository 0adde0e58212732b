import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../server/routes/index.js';
import type { RouteSpec } from '../../server/http/route.js';
import { call, startApiServer, type ApiServer } from '../support/api-server.js';

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
    const api = registered.filter((r) => r.path.startsWith('/api/') || r.path === '/healthz') as Pick<RouteSpec, 'method' | 'path'>[];
    expect(api.length).toBe(allRoutes().length);
    expect(missingFromOpenApi(doc, api)).toEqual([]);
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
});
