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
    expect(drillOptions([], { PORT: '8123', ORCH_DATA_DIR: '/srv/drill' })).toEqual({ port: 8123, dataDir: '/srv/drill', speed: 1, replay: false, simPort: null });
  });

  it('lets the flags win over the environment', () => {
    expect(drillOptions(['--port', '9000', '--data-dir', 'here', '--speed', 'max', '--replay', '--sim-port', '9001'], { PORT: '8123', ORCH_DATA_DIR: '/srv/drill' })).toEqual({
      port: 9000,
      dataDir: 'here',
      speed: 0,
      replay: true,
      simPort: 9001,
    });
  });

  it('defaults to a free port and ./data/drill', () => {
    expect(drillOptions([], {})).toEqual({ port: 0, dataDir: './data/drill', speed: 1, replay: false, simPort: null });
  });

  it('refuses a bad PORT, naming the variable', () => {
    expect(() => drillOptions([], { PORT: 'eighty' })).toThrow(DrillOptionsError);
    expect(() => drillOptions([], { PORT: '70000' })).toThrow(/^PORT: a TCP port 0–65535 \(got "70000"\)$/);
    expect(() => drillOptions(['--port=-1'], {})).toThrow(/^--port:/);
    expect(() => drillOptions(['--speed', 'fast'], {})).toThrow(/^--speed:/);
    expect(() => drillOptions(['--colour'], {})).toThrow(DrillOptionsError);
    expect(() => drillOptions(['--sim-port', '0'], {})).toThrow(/^--sim-port: a TCP port 1–65535 \(got "0"\)$/);
    expect(() => drillOptions(['--sim-port', 'sim'], {})).toThrow(/^--sim-port:/);
  });

  it('a real drill process listens on PORT and keeps its data in ORCH_DATA_DIR', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-drill-env-'));
    const port = await freePort();
    const drill = startDrillProcess([], { PORT: String(port), ORCH_DATA_DIR: dir });
    try {
      const out = await drill.banner;
      expect(out).toContain(`board:        http://127.0.0.1:${port}/`);
      expect(out).toContain(`data dir:     ${dir}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(existsSync(join(dir, 'secret.key'))).toBe(true);
    } finally {
      await drill.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the simulator’s controls, each of which answers, and keeps the simulator’s port across a restart', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-drill-sim-'));
    try {
      const first = startDrillProcess(['--data-dir', dir], {});
      let sim: string;
      try {
        const banner = await first.banner;
        sim = /simulator: +(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1]!;
        const account = /accounts: +noto-cloud +(AC[0-9a-f]{32})/.exec(banner)![1]!;
        // Every control route the banner names answers on the URL it prints.
        const put = (path: string, body: unknown) => fetch(`${sim}${path}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        for (const line of ['/outage', '/rate-limit', '/_sim/latency', '/_sim/calls', '/_sim/sip-calls', '/_sim/api-member/calls']) expect(banner).toContain(line);
        expect((await put(`/_sim/accounts/${account}/outage`, { on: true })).status).toBe(200);
        expect((await put(`/_sim/accounts/${account}/outage`, { on: false })).status).toBe(200);
        expect((await put(`/_sim/accounts/${account}/rate-limit`, { limit: { perSecond: 1, burst: 2 } })).status).toBe(200);
        expect((await put(`/_sim/accounts/${account}/rate-limit`, { limit: null })).status).toBe(200);
        expect((await put('/_sim/latency', { ms: 0 })).status).toBe(200);
        const call = await fetch(`${sim}/_sim/calls`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({}) });
        expect(call.status).toBe(400); // the route is there: it names what the body lacks
      } finally {
        await first.stop();
      }
      // The same data dir, no flag: the same simulator URL, so a drill's scripts keep working.
      const second = startDrillProcess(['--data-dir', dir], {});
      try {
        expect(await second.banner).toContain(`simulator:    ${sim}`);
      } finally {
        await second.stop();
      }
      // --sim-port wins over what the data dir remembers.
      const wanted = await freePort();
      const third = startDrillProcess(['--data-dir', dir, '--sim-port', String(wanted)], {});
      try {
        expect(await third.banner).toContain(`simulator:    http://127.0.0.1:${wanted}`);
      } finally {
        await third.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** `npm run drill` as a process of its own; `banner` resolves with what it printed once it is up (45 s at most). */
function startDrillProcess(args: string[], env: NodeJS.ProcessEnv): { banner: Promise<string>; stop(): Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, PORT: '0', ...env, ORCH_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const banner = new Promise<string>((resolve, reject) => {
    let text = '';
    const deadline = setTimeout(() => reject(new Error(`the drill printed no banner within 45 s:\n${text}`)), 45_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (/data dir: .*\n/.test(text)) {
        clearTimeout(deadline);
        resolve(text);
      }
    });
    child.once('exit', (code) => reject(new Error(`the drill exited (${code}):\n${text}`)));
  });
  return {
    banner,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    },
  };
}
