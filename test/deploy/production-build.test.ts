import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MINUTE = 60_000;
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** Resolves with the first stdout line that passes `match`, or fails at the deadline or on exit. */
function waitForLine(child: ChildProcess, match: (line: string) => boolean, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`no matching line within ${timeoutMs} ms; output so far:\n${buffered}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find(match);
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it listened; output:\n${buffered}`));
    });
  });
}

describe('the production build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-prod-'));
  let server: ChildProcess | null = null;
  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs with plain node and only production dependencies: /healthz answers and the board is served', async () => {
    await run('npm', ['run', 'build'], { cwd: ROOT, timeout: 5 * MINUTE, maxBuffer: 16 * 1024 * 1024 });
    for (const entry of ['dist', 'package.json', 'package-lock.json']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
    // Install scripts are skipped and better-sqlite3's addon is copied from the repository's own install
    // (same Node, same platform): compiling it again takes 5-15 min on this 2-core machine with no prebuilt
    // binary reachable. The Dockerfile runs the scripts; everything else here is exactly `npm ci --omit=dev`.
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, timeout: 5 * MINUTE, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NODE_ENV: 'production' } });
    const addon = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    mkdirSync(dirname(join(dir, addon)), { recursive: true });
    cpSync(join(ROOT, addon), join(dir, addon));
    for (const dev of ['tsx', 'typescript', 'vite', 'vitest']) expect(existsSync(join(dir, 'node_modules', dev)), `${dev} is a dev dependency`).toBe(false);
    expect(existsSync(join(dir, 'node_modules', 'express'))).toBe(true);
    // Firebase Hosting serves the board from the same folder the server does.
    const hosting = (JSON.parse(readFileSync(join(ROOT, 'firebase.json'), 'utf8')) as { hosting: { public: string } }).hosting.public;
    expect(existsSync(join(dir, hosting, 'index.html'))).toBe(true);

    const started = Date.now();
    server = spawn(process.execPath, ['dist/server/main.js'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', ORCH_DATA_DIR: join(dir, 'data'), ORCH_ADMIN_TOKEN: 'p'.repeat(40), ORCH_LOG_LEVEL: 'info' },
    });
    const listening = JSON.parse(await waitForLine(server, (l) => l.includes('Shelter Line is listening'), 30_000)) as { url: string };
    const health = await fetch(`${listening.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', store: 'sqlite', version });

    const index = await fetch(`${listening.url}/`, { headers: { accept: 'text/html' } });
    expect(index.status).toBe(200);
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset, html).toBeDefined();
    const script = await fetch(`${listening.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);

    // Graceful stop: SIGTERM ends the process cleanly within Cloud Run's 10 s grace.
    const exited = new Promise<number | null>((r) => server!.once('exit', (code) => r(code)));
    const stopAt = Date.now();
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(10_000);
    expect(stopAt - started).toBeLessThan(30_000);
  }, 12 * MINUTE);
});
