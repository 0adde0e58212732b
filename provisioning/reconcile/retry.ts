import { CarrierError } from '../carriers/carrier.js';

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  capMs: number;
  /** Injected for deterministic tests. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 100, capMs: 3000 };

/** AWS "full jitter": a random wait in [0, min(cap, base·2^n)), which spreads retries of many callers. */
export function fullJitterDelay(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Retries a carrier call that failed in a way that may pass (429, 5xx, timeouts). Anything else —
 * and any non-idempotent call the caller did not mark retryable — fails at once.
 */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY, onRetry?: (err: CarrierError, attempt: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof CarrierError) || !err.retryable || attempt + 1 >= policy.attempts) throw err;
      onRetry?.(err, attempt + 1);
      await (policy.sleep ?? defaultSleep)(fullJitterDelay(attempt, policy));
    }
  }
}
