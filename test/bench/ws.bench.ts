import { round } from './bench-support.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/start-server.js';
import { mintToken } from '../../provisioning/access/tokens.js';
import type { Shelter } from '../../provisioning/model/index.js';

const CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 200);
const CHANGES = Number(process.env.BENCH_WS_CHANGES ?? 1000);
/** Changes per second offered to the store: a busy mass opening, not a flood. */
const RATE = Number(process.env.BENCH_WS_RATE ?? 500);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// The boards run in a child process, so the server's process.cpuUsage counts only the server.
const CLIENT_SCRIPT = `
import { WebSocket } from 'ws';
const [url, token, clients, changes] = [process.env.URL, process.env.TOKEN, Number(process.env.CLIENTS), Number(process.env.CHANGES)];
const now = () => performance.timeOrigin + performance.now();
const latencies = new Float64Array(clients * changes);
let received = 0, ready = 0, gaps = 0;
for (let i = 0; i < clients; i++) {
  const ws = new WebSocket(url, { headers: { Authorization: 'Bearer ' + token } });
  let last = null;
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.type === 'snapshot') { last = m.seq; if (++ready === clients) process.stdout.write('ready\\n'); return; }
    if (m.type !== 'change') return;
    if (m.seq !== last + 1) gaps++;
    last = m.seq;
    latencies[received++] = now() - Number(m.doc.address);
    if (received === clients * changes) {
      const sorted = Array.from(latencies).sort((a, b) => a - b);
      const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
      process.stdout.write(JSON.stringify({ p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: sorted[sorted.length - 1], gaps }) + '\\n');
      process.exit(0);
    }
  });
  ws.on('error', (e) => { console.error(e.message); process.exit(1); });
}
`;

function shelter(i: number, at: string): Shelter {
  return {
    id: `BENCH${String(i).padStart(6, '0')}`, version: 0, name: `bench shelter ${i}`, municipalityCode: '172022',
    address: String(performance.timeOrigin + performance.now()), lat: 37.04, lon: 136.96, capacity: 100, evacuees: null, areaCodes: ['0767'],
    desiredStatus: 'open', actualStatus: 'opening', lines: 2, shortCode: null, currentJobId: null, service: null, replacementLines: [], lastPrint: null, noEmergencyLine: false, openedAt: null, closedAt: null, createdAt: at, updatedAt: at,
  };
}

/** 200 boards on /ws of a real server on 127.0.0.1; 1,000 store changes; delivery latency and server CPU per delivery. */
export default async function bench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ws-'));
  const config = loadConfig({ ORCH_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', ORCH_SECRET_KEY: '1'.repeat(64), ORCH_LOG_LEVEL: 'silent' });
  const server = await startServer({ config, logger: pino({ level: 'silent' }), version: 'bench', runWorker: false });
  const { store } = server.deps;
  const { token } = await mintToken(store, { label: 'bench viewer', role: 'viewer' }, { actor: { id: 'bench', role: 'system' }, at: new Date() });
  const child = spawn(process.execPath, ['--input-type=module', '-e', CLIENT_SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, URL: server.url.replace(/^http/, 'ws') + '/ws', TOKEN: token, CLIENTS: String(CLIENTS), CHANGES: String(CHANGES) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    lines.push(...chunk.split('\n').filter(Boolean));
    waiters.splice(0).forEach((w) => w());
  });
  const nextLine = async (): Promise<string> => {
    while (lines.length === 0) {
      if (child.exitCode !== null) throw new Error(`bench clients exited with ${child.exitCode}`);
      await new Promise<void>((r) => waiters.push(r));
    }
    return lines.shift()!;
  };
  try {
    if ((await nextLine()) !== 'ready') throw new Error('bench clients did not connect');
    const at = new Date().toISOString();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < CHANGES; i++) {
      await store.put('shelters', shelter(i, at));
      const due = t0 + ((i + 1) * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    }
    const stats = JSON.parse(await nextLine()) as { p50: number; p95: number; p99: number; max: number; gaps: number };
    const cpu = process.cpuUsage(cpu0);
    const deliveries = CLIENTS * CHANGES;
    const result = {
      clients: CLIENTS,
      changes: CHANGES,
      offeredChangesPerSecond: RATE,
      latencyP50Ms: round(stats.p50),
      latencyP95Ms: round(stats.p95),
      latencyP99Ms: round(stats.p99),
      latencyMaxMs: round(stats.max),
      sequenceGaps: stats.gaps,
      serverCpuMs: round((cpu.user + cpu.system) / 1000),
      serverCpuMicrosPerDelivery: round((cpu.user + cpu.system) / deliveries, 3),
      wallSeconds: round((performance.now() - t0) / 1000),
    };
    console.log(
      `ws: ${CLIENTS} clients × ${CHANGES} changes = ${deliveries} deliveries; latency p50 ${result.latencyP50Ms} ms, p95 ${result.latencyP95Ms} ms, max ${result.latencyMaxMs} ms; ` +
        `server CPU ${result.serverCpuMs} ms = ${result.serverCpuMicrosPerDelivery} µs per delivered update (includes the store writes)`,
    );
    return result;
  } finally {
    child.kill();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
