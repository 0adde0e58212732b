import { createLogger } from './logger.js';
import { ConfigError, loadConfig } from './config.js';
import { startServer, type ShutdownStep } from './start-server.js';
import { VERSION } from './version.js';
import { SHUTDOWN_BUDGET, SHUTDOWN_DEADLINE_MS } from './shutdown-budget.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`shelter-line: configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.ORCH_LOG_LEVEL);
  const server = await startServer({ config, logger, version: VERSION, leaseMs: config.ORCH_JOB_LEASE_MS, workerConcurrency: config.ORCH_WORKER_CONCURRENCY });
  if (server.generatedAdminToken) {
    // Printed once, to the operator's terminal only — never into the structured log.
    process.stdout.write(`\nAdmin token (shown once, keep it safe): ${server.generatedAdminToken}\n\n`);
  }
  logger.info({ url: server.url, store: config.ORCH_STORE, dataDir: config.dataDir, worker: server.deps.engine.owner }, 'Shelter Line is listening');
  const stop = async (signal: string) => {
    const since = performance.now();
    const ms = () => Math.round(performance.now() - since);
    logger.info({ signal }, 'shutting down');
    // Each step's start, so a shutdown that overran says what it was waiting on.
    const steps: Array<{ step: ShutdownStep; ms: number }> = [];
    // Past this the process exits whatever is still pending, before Cloud Run's SIGKILL.
    setTimeout(() => {
      logger.error({ signal, ms: ms(), steps }, 'shutdown overran its deadline');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    const { releasedJobs, leftLeased, storeClosed } = await server.close({ ...SHUTDOWN_BUDGET, onStep: (step) => void steps.push({ step, ms: ms() }) });
    logger.info({ signal, releasedJobs, leftLeased, storeClosed, ms: ms(), steps }, 'stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

void main();
