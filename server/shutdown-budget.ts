/**
 * How a SIGTERM shutdown spends the 10 s Cloud Run gives it before SIGKILL. Each step is bounded, so
 * whatever the store is doing the process exits in time; what a step could not finish is safe to leave:
 * a job not handed back keeps its lease, and another instance takes it over when the lease runs out.
 */
export const SHUTDOWN_BUDGET = {
  /**
   * Running jobs get 2 s to finish, then go back to the queue for the other instances (a job step on a
   * busy Firestore often takes longer: waiting would only delay them).
   */
  graceMs: 2_000,
  /**
   * Handing them back: one guarded write per job. A write waits for as long as a transaction holds the
   * job's document (on the emulator a lock timeout is ~2.5 s; a SIGKILLed instance's transaction holds
   * its locks ~60 s), so it gets a budget of its own.
   */
  handBackMs: 3_000,
  /** Giving carrier slots back: one guarded write per slot on documents only this instance writes (else they run out in 6 s). */
  slotsBackMs: 500,
  /** Closing the store lets requests in flight land (a transaction rolled back frees its locks at once). */
  storeCloseMs: 2_500,
} as const;

/** Past this the process exits whatever is still pending (exit code 1), before Cloud Run's SIGKILL. */
export const SHUTDOWN_DEADLINE_MS = 8_500;
