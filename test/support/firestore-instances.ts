import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { FirestoreStore } from '../../provisioning/store/firestore/firestore-store.js';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer, type StartOptions } from '../../server/start-server.js';
import { SECRET_KEY_HEX } from './api-server.js';

/**
 * Orchestrator instances that each have their own Firestore client on one shared database (a
 * project and a collection prefix), as several Cloud Run instances would; `closeAll` in afterAll.
 */
export function firestoreInstances(projectId: string, adminToken: string) {
  const running: RunningServer[] = [];
  const dirs: string[] = [];
  return {
    async start(prefix: string, opts: Partial<Omit<StartOptions, 'config' | 'logger' | 'version' | 'store'>> = {}): Promise<{ server: RunningServer; store: FirestoreStore }> {
      const dir = mkdtempSync(join(tmpdir(), 'sl-fs-instance-'));
      dirs.push(dir);
      const config = loadConfig({ ORCH_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', ORCH_STORE: 'firestore', ORCH_ADMIN_TOKEN: adminToken, ORCH_SECRET_KEY: SECRET_KEY_HEX, ORCH_LOG_LEVEL: 'silent' });
      const store = new FirestoreStore({ projectId, prefix });
      const server = await startServer({ config, logger: pino({ level: 'silent' }), version: 'test', store, runWorker: false, ...opts });
      running.push(server);
      return { server, store };
    },
    async closeAll(): Promise<void> {
      for (const r of running) await r.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
