import { pino } from 'pino';
import type { Job } from '../../provisioning/model/index.js';
import type { ManualClock } from '../../provisioning/platform/clock.js';
import type { EngineDeps } from '../../provisioning/reconcile/engine-deps.js';
import type { Store } from '../../provisioning/store/store.js';

/** A promise and the function that settles it. */
export function deferred(): { promise: Promise<void>; settle: () => void } {
  let settle!: () => void;
  const promise = new Promise<void>((r) => (settle = r));
  return { promise, settle };
}

/**
 * The store's `transaction`, with every transaction that leaves a job leased (a claim, a save) and
 * that `holds` picks held after it committed (the job is leased in the store), until `until` settles.
 */
export function claimsHeldBy(store: Store, holds: (job: Partial<Job>) => boolean, until: Promise<void>): PropertyDescriptor {
  return {
    value: async <R,>(fn: Parameters<Store['transaction']>[0]): Promise<R> => {
      const result = (await store.transaction(fn)) as R;
      const job = result as Partial<Job> | null;
      if (job && job.status === 'running' && job.lease && holds(job)) await until;
      return result;
    },
  };
}

/** What a worker needs to run `routing_check` jobs on a store with no carriers. */
export const workerDeps = (store: Store, clock: ManualClock, owner = 'worker_a') =>
  ({ store, clock, random: () => 0.5, owner, leaseMs: 30_000, logger: pino({ level: 'silent' }) }) as unknown as EngineDeps;
