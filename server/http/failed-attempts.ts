import type { Clock } from '../../provisioning/platform/clock.js';

/**
 * Counts failed attempts per key in a fixed window on the injected clock. Only failures count:
 * a phone that fetches its own file successfully is never slowed by guesses from its NAT.
 */
export class FailedAttempts {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly clock: Clock,
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  private current(key: string): { start: number; count: number } | null {
    const w = this.windows.get(key);
    if (!w || this.clock.now().getTime() - w.start >= this.windowMs) return null;
    return w;
  }

  /** Seconds until the key may fail again, or 0 when it is under its limit. */
  blockedFor(key: string): number {
    const w = this.current(key);
    if (!w || w.count < this.limit) return 0;
    return Math.ceil((w.start + this.windowMs - this.clock.now().getTime()) / 1000);
  }

  fail(key: string): void {
    const now = this.clock.now().getTime();
    const w = this.current(key);
    if (w) w.count += 1;
    else {
      if (this.windows.size >= this.maxKeys) this.prune(now);
      this.windows.set(key, { start: now, count: 1 });
    }
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
    // Still full of live keys (a flood of addresses): forget the oldest half rather than grow without bound.
    if (this.windows.size >= this.maxKeys) [...this.windows.keys()].slice(0, this.maxKeys / 2).forEach((k) => this.windows.delete(k));
  }
}
