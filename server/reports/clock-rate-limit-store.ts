import type { ClientRateLimitInfo, Store as RateLimitStore } from 'express-rate-limit';
import type { Clock } from '../../provisioning/platform/clock.js';

/**
 * express-rate-limit's counter on our clock: a fixed window per key that starts at its first hit,
 * so a drill or a test moves time instead of waiting for it. Per instance, like its MemoryStore.
 */
export class ClockRateLimitStore implements RateLimitStore {
  readonly localKeys = true;
  private readonly hits = new Map<string, { totalHits: number; resetAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
  ) {}

  private live(key: string): { totalHits: number; resetAt: number } | undefined {
    const now = this.clock.now().getTime();
    const entry = this.hits.get(key);
    if (entry && entry.resetAt <= now) this.hits.delete(key);
    // Old keys go when touched; a sweep keeps the map from growing with addresses seen once.
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (v.resetAt <= now) this.hits.delete(k);
    return this.hits.get(key);
  }

  get(key: string): ClientRateLimitInfo | undefined {
    const e = this.live(key);
    return e ? { totalHits: e.totalHits, resetTime: new Date(e.resetAt) } : undefined;
  }

  increment(key: string): ClientRateLimitInfo {
    const e = this.live(key) ?? { totalHits: 0, resetAt: this.clock.now().getTime() + this.windowMs };
    e.totalHits++;
    this.hits.set(key, e);
    return { totalHits: e.totalHits, resetTime: new Date(e.resetAt) };
  }

  decrement(key: string): void {
    const e = this.live(key);
    if (e) e.totalHits = Math.max(0, e.totalHits - 1);
  }

  resetKey(key: string): void {
    this.hits.delete(key);
  }

  resetAll(): void {
    this.hits.clear();
  }
}
