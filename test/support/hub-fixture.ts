import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { WebSocket } from 'ws';
import type { Shelter } from '../../provisioning/model/index.js';
import { mintToken } from '../../provisioning/access/tokens.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/start-server.js';
import type { AppDeps } from '../../server/app-deps.js';
import { attachWsHub, type WsHub, type WsHubDeps } from '../../server/ws/ws-hub.js';
import { boardAuthenticator } from '../../server/ws/board-auth.js';
import { buildApiDocument } from '../../server/routes/index.js';
import { ContractChecker, type OpenApiDoc } from './api-contract.js';

let protocol: ContractChecker | null = null;
/** Every message the hub sends must match the documented protocol (closed schemas): an undocumented field fails. */
function checkProtocol(msg: unknown): void {
  protocol ??= new ContractChecker(buildApiDocument('test') as unknown as OpenApiDoc);
  const err = protocol.validateAt('/components/schemas/WsServerMessage', msg);
  if (err) throw new Error(`the hub sent a message outside its documented protocol: ${err}`);
}

export interface HubFixture {
  url: string;
  wsUrl: string;
  deps: AppDeps;
  hub: WsHub;
  clock: ManualClock;
  tokens: { admin: string; viewer: string; carrier: string; authority: string };
  close(): Promise<void>;
}

const SYSTEM = { id: 'test', role: 'system' as const };

/** The real express app and the real hub on a loopback port, over a fresh SQLite file. */
export async function startHub(opts: Partial<Pick<WsHubDeps, 'maxBufferedBytes' | 'heartbeatMs' | 'feedLingerMs'>> = {}): Promise<HubFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'sl-ws-'));
  const config = loadConfig({ ORCH_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', ORCH_SECRET_KEY: '0'.repeat(64), ORCH_LOG_LEVEL: 'silent' });
  const clock = new ManualClock('2024-01-09T09:00:00.000Z');
  const logger = pino({ level: 'silent' });
  const running = await startServer({ config, logger, version: 'test', clock, runWorker: false, wsHub: false });
  const { store } = running.deps;
  const at = clock.now();
  await store.put('carriers', {
    id: 'carrier-a', version: 0, name: 'Carrier A', kind: 'api', certifications: { numberUsePlan: null, etoc: { status: 'certified' } },
    capacity: { requestsPerSecond: 10, concurrency: 4 }, status: 'active', health: 'up', manualDown: false, lendingChain: [],
    createdAt: at.toISOString(), updatedAt: at.toISOString(),
  });
  const mint = async (role: 'admin' | 'viewer' | 'carrier' | 'authority') =>
    (await mintToken(store, { label: role, role, carrierId: role === 'carrier' ? 'carrier-a' : null }, { actor: SYSTEM, at })).token;
  const tokens = { admin: await mint('admin'), viewer: await mint('viewer'), carrier: await mint('carrier'), authority: await mint('authority') };
  const hub = attachWsHub(running.server, { store, logger, clock, authenticate: boardAuthenticator(running.deps), ...opts });
  return {
    url: running.url,
    wsUrl: running.url.replace(/^http/, 'ws') + '/ws',
    deps: running.deps, hub, clock, tokens,
    close: async () => {
      await hub.close();
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function shelter(n: number, overrides: Partial<Shelter> = {}): Shelter {
  const at = '2024-01-09T09:00:00.000Z';
  return {
    id: `CC${String(n).padStart(10, '0')}`, version: 0, name: `避難所 ${n}`, municipalityCode: '172022', address: '石川県七尾市',
    lat: 37.04, lon: 136.96, capacity: 100, evacuees: null, areaCodes: ['0767'], desiredStatus: 'closed', actualStatus: 'closed',
    lines: 2, shortCode: null, currentJobId: null, service: null, replacementLines: [], lastPrint: null, noEmergencyLine: false, openedAt: null, closedAt: null, createdAt: at, updatedAt: at, ...overrides,
  };
}

export type BoardMessage = { type: string; seq?: number; [k: string]: unknown };

/** A snapshot as a board reads it: each collection's table (field names, a row per document) turned back into documents. */
function documentsOf(snapshot: BoardMessage): BoardMessage {
  const out: BoardMessage = { ...snapshot };
  for (const [key, value] of Object.entries(snapshot)) {
    const table = value as { fields?: string[]; rows?: unknown[][] };
    if (!table || !Array.isArray(table.fields) || !Array.isArray(table.rows)) continue;
    out[key] = table.rows.map((row) => Object.fromEntries(table.fields!.map((f, i) => [f, row[i]]).filter(([, v]) => v !== null)));
  }
  return out;
}

/** A board client that records every message and can wait for the next few. */
export class TestClient {
  readonly messages: BoardMessage[] = [];
  readonly raw: string[] = [];
  private waiters: Array<() => void> = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      const msg = JSON.parse(text) as BoardMessage;
      checkProtocol(msg);
      this.messages.push(msg.type === 'snapshot' ? documentsOf(msg) : msg);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(url: string, headers: Record<string, string>, options: { autoPong?: boolean } = {}): Promise<TestClient> {
    const ws = new WebSocket(url, { headers, ...options });
    const client = new TestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Resolves once `count` messages have arrived in total; the deadline only catches a hub that never sends. */
  async waitFor(count: number, timeoutMs = 30_000): Promise<BoardMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${this.messages.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.messages;
  }

  send(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

  close(): void {
    this.ws.terminate();
  }
}

/** The HTTP status with which the hub refused an upgrade. */
export function refusedStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => reject(new Error('the hub accepted the connection')));
    ws.once('error', () => undefined);
  });
}
