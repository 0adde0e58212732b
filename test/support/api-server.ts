import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { pino } from 'pino';
import { createLogger } from '../../server/logger.js';
import type { Express } from 'express';
import { COLLECTION_NAMES, type CollectionName, type Role } from '../../provisioning/model/index.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { seededRandom } from '../../provisioning/platform/random.js';
import { FirestoreStore } from '../../provisioning/store/firestore/firestore-store.js';
import type { Store } from '../../provisioning/store/store.js';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/start-server.js';
import type { AppDeps } from '../../server/app-deps.js';
import { resetFirestore, useEmulator } from './firestore-emulator.js';
import { requirement } from './requirements.js';
import { contractFor } from './api-contract.js';

export type StoreKind = 'sqlite' | 'firestore';

const emulatorHost = inject('firestoreEmulatorHost');
if (emulatorHost) useEmulator(emulatorHost);

/** The stores an API suite runs on: SQLite always, Firestore where the emulator runs (else one loud line). */
export function storeKinds(): StoreKind[] {
  if (emulatorHost) return ['sqlite', 'firestore'];
  requirement('firestore-emulator', 'the Firestore leg');
  return ['sqlite'];
}

export const START = '2025-06-01T00:00:00.000Z';
export const SECRET_KEY_HEX = 'a1'.repeat(32);

export interface ApiServer {
  url: string;
  deps: AppDeps;
  store: Store;
  clock: ManualClock;
  app: Express;
  adminToken: string;
  /** Every log line the server wrote (JSON text), when started with captureLogs. */
  logs: string[];
  running: RunningServer;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  store?: StoreKind;
  env?: Record<string, string>;
  captureLogs?: boolean;
  /** Serve as a drill: POST /api/v1/drill/clock moves this server's ManualClock. */
  drill?: boolean;
}

/** The real server (startServer) on a loopback port, on a fresh SQLite file or Firestore project, worker off. */
export async function startApiServer(opts: ApiServerOptions = {}): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sl-api-'));
  const adminToken = randomBytes(32).toString('base64url');
  const config = loadConfig({
    ORCH_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', ORCH_ADMIN_TOKEN: adminToken, ORCH_SECRET_KEY: SECRET_KEY_HEX, ...opts.env,
  });
  const logs: string[] = [];
  const logger = opts.captureLogs ? createLogger('trace', { write: (line: string) => void logs.push(line) }) : pino({ level: 'silent' });
  const clock = new ManualClock(START);
  const projectId = `api-${randomUUID()}`;
  const store: Store | undefined = opts.store === 'firestore' ? new FirestoreStore({ projectId }) : undefined;
  const running = await startServer({ config, logger, version: 'test', clock, random: seededRandom(1), runWorker: false, ...(store ? { store } : {}), ...(opts.drill ? { drillClock: clock } : {}) });
  const app = running.server.listeners('request')[0] as unknown as Express;
  return {
    url: running.url, deps: running.deps, store: running.deps.store, clock, app, adminToken, logs, running,
    close: async () => {
      await running.close();
      if (opts.store === 'firestore') await resetFirestore(projectId);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CallOptions {
  token?: string | null;
  json?: unknown;
  /** A raw body (string or bytes), sent with `contentType`. */
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  body: any;
}

/** One HTTP request over the loopback socket, as a client would send it. */
export async function call(server: { url: string }, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | Buffer | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] ??= opts.contentType ?? 'application/json';
  } else if (opts.body !== undefined) {
    body = opts.body;
    if (opts.contentType) headers['content-type'] = opts.contentType;
  }
  const verb = method.toUpperCase();
  const sendBody = body !== undefined && verb !== 'GET' && verb !== 'HEAD';
  const payload = typeof body === 'string' ? body : body === undefined ? undefined : new Uint8Array(body);
  const res = await fetch(server.url + path, { method: verb, headers, ...(sendBody && payload !== undefined ? { body: payload } : {}) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  // Every answer the suites receive must match the OpenAPI document: an undocumented status or field fails the caller.
  const problems = (await contractFor(server.url)).check(verb, path, res.status, res.headers.get('content-type'), text);
  if (problems.length) throw new Error(`response breaks the API contract:\n${problems.join('\n')}`);
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Mints a token for a role through the API (a carrier token needs its carrier). */
export async function mint(server: ApiServer, role: Role, carrierId?: string): Promise<{ id: string; token: string }> {
  const r = await call(server, 'post', '/api/v1/tokens', { token: server.adminToken, json: { label: `${role} test`, role, ...(carrierId ? { carrierId } : {}) } });
  if (r.status !== 201) throw new Error(`minting a ${role} token failed: ${r.status} ${r.text}`);
  return { id: r.body.id, token: r.body.token };
}

const FAR = '2030-01-01T00:00:00.000Z';

/** A registration body for a carrier that may lend everything (ETOC and number-use plan valid). */
export function apiCarrierInput(id: string, extra: Record<string, unknown> = {}) {
  return {
    id, name: `Carrier ${id}`, kind: 'api',
    certifications: { etoc: { status: 'certified', id: `ETOC-${id}`, validUntil: FAR }, numberUsePlan: { id: `NUP-${id}`, validUntil: FAR } },
    ...extra,
  };
}

/** Registers a carrier through the API; returns its id and its own token. */
export async function registerCarrier(server: ApiServer, body: Record<string, unknown>): Promise<{ id: string; token: string; body: any }> {
  const r = await call(server, 'post', '/api/v1/carriers', { token: server.adminToken, json: body });
  if (r.status !== 201) throw new Error(`registering a carrier failed: ${r.status} ${r.text}`);
  return { id: r.body.carrier.id, token: r.body.token, body: r.body };
}

/** Every document of every collection (but those named), read page by page, keyed and sorted by id. A token's last use is bookkeeping of any request, like a session. */
export async function snapshotStore(store: Store, except: readonly CollectionName[] = ['idempotency', 'sessions', 'tokenUses']): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const c of COLLECTION_NAMES) {
    if (except.includes(c)) continue;
    const docs: { id: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await store.query(c, { limit: 1000, cursor });
      docs.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    out[c] = docs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return out;
}

/** Every document of one collection. */
export async function allDocs<C extends CollectionName>(store: Store, c: C) {
  const snap = await snapshotStore(store, COLLECTION_NAMES.filter((n) => n !== c));
  return snap[c] as any[];
}

/** Puts concrete values into a route path's :params. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(values[name] ?? 'x'));
}
