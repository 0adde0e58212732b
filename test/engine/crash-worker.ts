// Child process of crash-resume.test.ts: an orchestrator whose worker runs jobs from the shared SQLite file until it is killed.
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/start-server.js';

const [dataDir, publicUrl, leaseMs] = process.argv.slice(2);
if (!dataDir || !publicUrl || !leaseMs) throw new Error('usage: crash-worker.ts <dataDir> <publicUrl> <leaseMs>');
const config = loadConfig({ ORCH_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ORCH_PUBLIC_URL: publicUrl, ORCH_LOG_LEVEL: 'silent' });
await startServer({ config, logger: pino({ level: 'silent' }), version: 'crash-worker', leaseMs: Number(leaseMs), workerConcurrency: 4, maintenanceEveryMs: 3_600_000 });
process.send?.('ready');
