import { createLogger } from './logger.js';
import { ConfigError, loadConfig } from './config.js';
import { startServer } from './start-server.js';
import { VERSION } from './version.js';


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
  const server = await startServer({ config, logger, version: VERSION });
  if (server.generatedAdminToken) {
    // Printed once, to the operator's terminal only — never into the structured log.
    process.stdout.write(`\nAdmin token (shown once, keep it safe): ${server.generatedAdminToken}\n\n`);
  }
  logger.info({ url: server.url, store: config.ORCH_STORE, dataDir: config.dataDir }, 'Shelter Line is listening');
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

void main();
