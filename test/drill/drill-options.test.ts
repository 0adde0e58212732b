import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { drillOptions, DrillOptionsError } from '../../server/drill/drill-options.js';

const MAIN = fileURLToPath(new URL('../../server/drill/main.ts', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

describe('npm run drill options', () => {
  it('reads PORT and ORCH_DATA_DIR like npm start when no flag is given', () => {
    expect(drillOptions([], { PORT: '8123', ORCH_DATA_DIR: '/srv/drill' })).toEqual({ port: 8123, dataDir: '/srv/drill', speed: 1, replay: false });
  });

  it('lets the flags win over the environment', () => {
    expect(drillOptions(['--port', '9000', '--data-dir', 'here', '--speed', 'max', '--replay'], { PORT: '8123', ORCH_DATA_DIR: '/srv/drill' })).toEqual({
      port: 9000,
      dataDir: 'here',
      speed: 0,
      replay: true,
    });
  });

  it('defaults to a free port and ./data/drill', () => {
    expect(drillOptions([], {})).toEqual({ port: 0, dataDir: './data/drill', speed: 1, replay: false });
  });

  it('refuses a bad PORT, naming the variable', () => {
    expect(() => drillOptions([], { PORT: 'eighty' })).toThrow(DrillOptionsError);
    expect(() => drillOptions([], { PORT: '70000' })).toThrow(/^PORT: a TCP port 0–65535 \(got "70000"\)$/);
    expect(() => drillOptions(['--port=-1'], {})).toThrow(/^--port:/);
    expect(() => drillOptions(['--speed', 'fast'], {})).toThrow(/^--speed:/);
    expect(() => drillOptions(['--colour'], {})).toThrow(DrillOptionsError);
  });

  it('a real drill process listens on PORT and keeps its data in ORCH_DATA_DIR', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-drill-env-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, PORT: String(port), ORCH_DATA_DIR: dir, ORCH_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        const deadline = setTimeout(() => reject(new Error(`the drill printed no board URL within 45 s:\n${text}`)), 45_000);
        child.stdout!.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (/data dir: .*\n/.test(text)) {
            clearTimeout(deadline);
            resolve(text);
          }
        });
        child.once('exit', (code) => reject(new Error(`the drill exited (${code}):\n${text}`)));
      });
      expect(out).toContain(`board:        http://127.0.0.1:${port}/`);
      expect(out).toContain(`data dir:     ${dir}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(existsSync(join(dir, 'secret.key'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
