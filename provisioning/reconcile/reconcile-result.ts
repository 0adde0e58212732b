import type { Transaction } from '../store/store.js';

/**
 * How one run of a reconciler ended, as a value (as controller-runtime's `Result`), handled in one
 * place (run-job.ts). No reconciler ends by throwing: an exception out of one is an attempt that
 * failed (retried with a backoff), and a member's work order still open is turned into `wait` there.
 */
export type ReconcileResult =
  /**
   * Converged. `record` (what the job achieved, such as the shelter's end state) lands in the
   * transaction that records the job succeeded; `afterwards` (alerts about it) runs after that save.
   */
  | { is: 'done'; record?: (tx: Transaction) => Promise<void>; afterwards?: () => Promise<void> }
  /** A newer request replaced the job: that job sets the subject's state. */
  | { is: 'superseded' }
  /** Failed with a reason no retry of this job mends (the next scheduled run looks again). */
  | { is: 'failed'; step: string; reason: string }
  /** Runs again at `at` with a fresh count of attempts (a carrier's probe, for good). */
  | { is: 'again'; at: Date }
  /** A member's own engineers have the work: looked at again at `until`, the attempt not counted. */
  | { is: 'wait'; until: Date };

export const DONE: ReconcileResult = { is: 'done' };
