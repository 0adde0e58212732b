import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { createApp } from '../../server/app.js';
import { createBoardRouter } from '../../server/board/board-router.js';
import { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';
import { call, startApiServer, type ApiServer } from '../support/api-server.js';

/**
 * The audit's findings: `GET /report` had no CSP, X-Frame-Options or nosniff; JSON and CSV API
 * answers had no X-Content-Type-Options; the SQLite file was mode 644; a missing `/assets/*.js`
 * or `*.map` answered 200 with the board's HTML.
 */
let s: ApiServer;
beforeAll(async () => {
  s = await startApiServer();
});
afterAll(() => s?.close());

const frameAncestorsNone = (csp: string | null) => /(^|;)\s*frame-ancestors 'none'/.test(csp ?? '');

describe('security headers on every response the server writes', () => {
  it('the public report window: CSP that allows no script and no framing, X-Frame-Options, nosniff, Referrer-Policy', async () => {
    for (const res of [await call(s, 'get', '/report'), await call(s, 'post', '/report', { body: 'number=&calledAt=&description=', contentType: 'application/x-www-form-urlencoded' })]) {
      const csp = res.headers.get('content-security-policy');
      expect(frameAncestorsNone(csp), String(csp)).toBe(true);
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).not.toMatch(/script-src/);
      expect(csp).toMatch(/form-action 'self'/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('JSON, problem and CSV answers of the API, webhooks and handset files all carry nosniff and refuse framing', async () => {
    const answers = [
      await call(s, 'get', '/healthz'),
      await call(s, 'get', '/api/v1/shelters', { token: s.adminToken }),
      await call(s, 'get', '/api/v1/shelters'),
      await call(s, 'get', '/api/v1/no-such-route'),
      await call(s, 'get', '/api/v1/exports/shelters.csv', { token: s.adminToken }),
      await call(s, 'get', '/api/v1/audit?format=csv', { token: s.adminToken }),
      await call(s, 'post', '/twilio/voice/inbound', { body: 'CallSid=x', contentType: 'application/x-www-form-urlencoded' }),
      await call(s, 'get', '/p/unknown-token/y000000000000.cfg'),
    ];
    for (const res of answers) {
      const what = `${res.status} ${res.headers.get('content-type')}`;
      expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), what).toBe('DENY');
      expect(frameAncestorsNone(res.headers.get('content-security-policy')), what).toBe(true);
    }
  });
});

describe('files in the data directory', () => {
  it('are created owner-only: the directory 0700, the SQLite file, its -wal and -shm, and the key file 0600', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'sl-modes-'));
    const dataDir = join(parent, 'data');
    const previous = process.umask(0o022);
    try {
      const config = loadConfig({ ORCH_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
      const store = new SqliteStore(join(config.dataDir, 'shelter-line.sqlite'));
      await store.put('tokenUses', { id: 'tok_x', version: 0, lastUsedAt: new Date().toISOString() });
      const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
      expect(mode(dataDir)).toBe('700');
      for (const f of ['secret.key', 'shelter-line.sqlite', 'shelter-line.sqlite-wal', 'shelter-line.sqlite-shm']) expect(mode(join(dataDir, f)), f).toBe('600');
      await store.close();
    } finally {
      process.umask(previous);
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('an existing database file left readable by others is made owner-only when the store opens it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-modes-'));
    try {
      const file = join(dir, 'old.sqlite');
      writeFileSync(file, '', { mode: 0o644 });
      const store = new SqliteStore(file);
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the board’s files', () => {
  let dist: string;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'sl-board-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>board</title>');
    writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
    server = createServer(createApp(s.deps, { routers: [createBoardRouter(dist)] }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dist, { recursive: true, force: true });
  });

  it('answers an unknown asset or source map 404, never the board’s HTML, and still serves the real ones and the pages', async () => {
    for (const path of ['/assets/missing-0000.js', '/assets/app-abc123.js.map', '/assets/', '/assets/x.css']) {
      const res = await fetch(url + path, { headers: { accept: 'text/html,*/*' } });
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('<title>board</title>');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const asset = await fetch(url + '/assets/app-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    const page = await fetch(url + '/shelters', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>board</title>');
    expect(frameAncestorsNone(page.headers.get('content-security-policy'))).toBe(true);
  });
});
