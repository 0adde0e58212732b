/**
 * A token bucket on an injected clock. Hand-written (not `limiter`) because tests must control
 * time: `limiter` reads the wall clock, which would make 429 assertions depend on timing.
 */
export interface TokenBucket {
  readonly perSecond: number;
  readonly burst: number;
  tryTake(): boolean;
}

export function createTokenBucket(perSecond: number, burst: number, nowMs: () => number): TokenBucket {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new Error(`rate limit perSecond must be a positive number (got ${perSecond})`);
  if (!(burst >= 1) || !Number.isFinite(burst)) throw new Error(`rate limit burst must be at least 1 (got ${burst})`);
  let tokens = burst;
  let last = nowMs();
  return {
    perSecond,
    burst,
    tryTake() {
      const t = nowMs();
      tokens = Math.min(burst, tokens + (Math.max(0, t - last) / 1000) * perSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
