import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../server/routes/index.js';
import { WS_PATH } from '../../server/ws/ws-hub.js';
import { startApiServer, type ApiServer } from '../support/api-server.js';

const read = (file: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), 'utf8')) as Record<string, any>;

interface Rewrite {
  source: string;
  run?: { serviceId: string; region: string };
  destination?: string;
}

/** Firebase Hosting's glob: `**` spans segments, `*` stays within one. */
function globToRegExp(glob: string): RegExp {
  const body = glob.split('**').map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('.*');
  return new RegExp(`^${body}$`);
}

/** Every path the running express app answers: walked from its router stack, mounted routers included. */
function servedPaths(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route?.path) out.push(...[layer.route.path].flat());
      else if (Array.isArray(layer.handle?.stack)) walk(layer.handle.stack);
    }
  };
  walk((app as any).router.stack);
  return out;
}

describe('firebase.json (Hosting in front of Cloud Run)', () => {
  const firebase = read('firebase.json');
  const rewrites = firebase.hosting.rewrites as Rewrite[];
  const toRun = rewrites.filter((r) => r.run);
  let server: ApiServer;
  let served: string[];

  beforeAll(async () => {
    server = await startApiServer();
    // What the real server answers (the route table, the routers start-server mounts) and its WebSocket.
    served = [...new Set([...servedPaths(server.app), WS_PATH])];
  });
  afterAll(async () => {
    await server?.close();
  });

  it('reads the served paths from the running server, not a list', () => {
    for (const r of allRoutes()) expect(served, `${r.method} ${r.path}`).toContain(r.path);
    expect(served.some((p) => p.startsWith('/twilio/'))).toBe(true);
    expect(served.some((p) => p.startsWith('/p/'))).toBe(true);
  });

  it('sends every rewrite to one Cloud Run service, and each one reaches a route the server serves', () => {
    expect(toRun.map((r) => r.source).sort()).toEqual(['/api/**', '/p/**', '/twilio/**', WS_PATH, '/report'].sort());
    expect(new Set(toRun.map((r) => `${r.run!.serviceId}@${r.run!.region}`)).size).toBe(1);
    for (const r of toRun) {
      const re = globToRegExp(r.source);
      expect(served.filter((p) => re.test(p)), `rewrite ${r.source} reaches nothing the server serves`).not.toEqual([]);
    }
  });

  it('leaves no API, webhook, handset or WebSocket path of the server unreachable through Hosting', () => {
    // Only the operator probes (/healthz, /readyz, /metrics: the route table's `system` tag outside /api) stay on the Cloud Run URL.
    const probes = new Set(allRoutes().filter((r) => r.tags.includes('system') && !r.path.startsWith('/api/')).map((r) => r.path));
    const uncovered = served.filter((p) => !probes.has(p) && !toRun.some((r) => globToRegExp(r.source).test(p)));
    expect(uncovered).toEqual([]);
  });

  it('serves the board from the build output and falls back to its index for the SPA', () => {
    expect(firebase.hosting.public).toBe('dist/board');
    const pkg = read('package.json');
    expect(pkg.scripts.build).toContain('--outDir ../dist/board');
    expect(rewrites.at(-1)).toEqual({ source: '**', destination: '/index.html' });
  });

  it('deploys the rules and indexes, with TTL on expireAt for the collections that expire', () => {
    expect(firebase.firestore).toEqual({ rules: 'firestore.rules', indexes: 'firestore.indexes.json' });
    const ttl = (read('firestore.indexes.json').fieldOverrides as Array<{ collectionGroup: string; fieldPath: string; ttl?: boolean }>).filter((o) => o.ttl);
    expect(ttl.map((o) => `${o.collectionGroup}.${o.fieldPath}`).sort()).toEqual(['alerts.expireAt', 'idempotency.expireAt', 'workOrders.expireAt']);
  });
});
