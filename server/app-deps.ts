import type { Logger } from 'pino';
import type { Clock } from '../provisioning/platform/clock.js';
import type { SecretBox } from '../provisioning/platform/secrets.js';
import type { Store } from '../provisioning/store/store.js';
import type { EngineDeps } from '../provisioning/reconcile/engine-deps.js';
import type { Worker } from '../provisioning/reconcile/worker.js';
import type { Config } from './config.js';
import type { ServerOps } from './ops/server-ops.js';

/** What the HTTP layer needs to call use cases; built once in start-server.ts (or by a test). */
export interface AppDeps {
  config: Config;
  store: Store;
  secrets: SecretBox;
  clock: Clock;
  logger: Logger;
  version: string;
  engine: EngineDeps;
  worker: Worker;
  /** Drill mode only: the drill's calendar, which a coordinator may move forward. */
  drillClock?: { advance(ms: number): void };
  /** Metrics and readiness (absent in tests that build the app alone). */
  ops?: ServerOps;
}
