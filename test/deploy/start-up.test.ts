import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/start-server.js';
import { SECRET_KEY_HEX } from '../support/api-server.js';

const dirs: string[] = [];
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** A request that either gets an answer or a connection error, never a hang: a hang fails at the deadline. */
async function ask(url: string): Promise<{ status: number; body: unknown } | { refused: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: await res.json() };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    if (cause) return { refused: cause };
    throw new Error(`the request hung during start-up: ${(err as Error).message}`);
  }
}

/** A store whose first read waits until the test releases it: a cold Firestore connection, made certain. */
function slowStore(dir: string) {
  const store = new SqliteStore(join(dir, 'orch.db'));
  let entered!: () => void;
  const reached = new Promise<void>((r) => (entered = r));
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const get = store.get.bind(store);
  let first = true;
  store.get = (async (collection: never, id: string) => {
    if (first) {
      first = false;
      entered();
      await held;
    }
    return get(collection, id);
  }) as typeof store.get;
  return { store, reached, release };
}

function configFor(dir: string, port: number) {
  return loadConfig({ ORCH_DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', ORCH_ADMIN_TOKEN: 's'.repeat(40), ORCH_SECRET_KEY: SECRET_KEY_HEX, ORCH_LOG_LEVEL: 'silent' });
}

describe('start-up', () => {
  it('listens only once the store and the engine are up: a request during start-up is refused, never left hanging', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-startup-'));
    dirs.push(dir);
    const port = await freePort();
    const { store, reached, release } = slowStore(dir);
    const config = configFor(dir, port);
    const starting = startServer({ config, logger: pino({ level: 'silent' }), version: 'test', store, runWorker: false, wsHub: false });
    await reached;

    const during = await ask(`http://127.0.0.1:${port}/readyz`);
    expect(during).toEqual({ refused: 'ECONNREFUSED' });

    release();
    const server = await starting;
    servers.push(server);
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    expect(await ask(`${server.url}/readyz`)).toEqual({ status: 200, body: { ready: true, store: 'ok', engine: 'up' } });
  });

  it('with PORT=0 (tests, drills) binds first but answers 503 with Retry-After at once until the app is attached', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-startup-'));
    dirs.push(dir);
    const { store, reached, release } = slowStore(dir);
    const config = configFor(dir, 0);
    const starting = startServer({ config, logger: pino({ level: 'silent' }), version: 'test', store, runWorker: false, wsHub: false });
    await reached;
    // Bound already: the public URL carriers call back is known before the store answers.
    const url = config.publicUrl;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    for (const path of ['/readyz', '/api/v1/shelters', '/healthz']) {
      const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
      expect(res.status, path).toBe(503);
      expect(res.headers.get('retry-after'), path).toBe('1');
      expect(res.headers.get('content-type'), path).toBe('application/problem+json');
      expect(await res.json(), path).toMatchObject({ status: 503, title: 'Starting' });
    }

    release();
    const server = await starting;
    servers.push(server);
    expect(server.url).toBe(url);
    expect(await ask(`${url}/readyz`)).toEqual({ status: 200, body: { ready: true, store: 'ok', engine: 'up' } });
  });
});
