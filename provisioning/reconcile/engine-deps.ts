import type { Actor } from '../model/index.js';
import type { CarrierDirectory } from '../carriers/carrier-directory.js';
import type { ProbePolicy } from '../carriers/carrier-probe.js';
import type { WebhookUrls } from '../carriers/webhook-urls.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Random } from '../platform/random.js';
import type { Store } from '../store/store.js';
import type { SecretBox } from '../platform/secrets.js';
import type { RetryPolicy } from './retry.js';

/** Everything the reconcilers need, passed explicitly. */
export interface EngineDeps {
  store: Store;
  secrets: SecretBox;
  carriers: CarrierDirectory;
  clock: Clock;
  /** Jitter and shuffles: Math.random in production, seeded in tests. */
  random: Random;
  urls: WebhookUrls;
  agingDays: number;
  etocGraceDays: number;
  retry: RetryPolicy;
  /** This process's identity in job leases. */
  owner: string;
  leaseMs: number;
  /** How often and how strictly every carrier's health is probed. */
  probe: ProbePolicy;
  logger: Logger;
}

/** Who the engine's own changes are audited as. */
export const RECONCILER: Actor = { id: 'reconciler', role: 'system', label: 'shelter reconciler' };
