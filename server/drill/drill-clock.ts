import type { Clock } from '../../provisioning/platform/clock.js';

/**
 * The drill's calendar: it starts at a chosen moment (the replay's first snapshot, 2024 on a 2026
 * machine), runs at `rate` drill milliseconds per real one (the replay's speed), and only moves
 * forward — to each snapshot's moment, or when a coordinator fast-forwards it — so stored
 * timestamps stay ordered and aging, leases and maintenance all count drill time.
 */
export class DrillClock implements Clock {
  private anchorAt: number;
  private anchorReal: number;
  private rate: number;
  private readonly realNow: () => number;

  constructor(opts: { start?: Date | string; rate?: number; realNow?: () => number } = {}) {
    this.realNow = opts.realNow ?? Date.now;
    this.anchorReal = this.realNow();
    this.anchorAt = opts.start === undefined ? this.anchorReal : DrillClock.time(opts.start);
    this.rate = DrillClock.checkRate(opts.rate ?? 1);
  }

  private static time(at: Date | string): number {
    const t = new Date(at).getTime();
    if (Number.isNaN(t)) throw new Error(`not a time: ${String(at)}`);
    return t;
  }

  private static checkRate(rate: number): number {
    if (!Number.isFinite(rate) || rate <= 0) throw new Error(`a drill clock runs at a rate > 0 drill ms per real ms, got ${rate}`);
    return rate;
  }

  now(): Date {
    return new Date(this.anchorAt + (this.realNow() - this.anchorReal) * this.rate);
  }

  /** Drill milliseconds per real millisecond from now on (1 = real time). */
  setRate(rate: number): void {
    const at = this.now().getTime();
    this.rate = DrillClock.checkRate(rate);
    this.reanchor(at);
  }

  /** Moves drill time forward to `at`; a moment already past changes nothing. */
  jumpTo(at: Date | string): void {
    const target = DrillClock.time(at);
    if (target > this.now().getTime()) this.reanchor(target);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`a drill clock only moves forward, by a finite amount (got ${ms} ms)`);
    this.reanchor(this.now().getTime() + ms);
  }

  /** Waits `ms` of drill time: real time divided by the rate (at least a tick, so others get to run). */
  sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, Math.max(1, ms / this.rate)));
  }

  private reanchor(at: number): void {
    this.anchorAt = at;
    this.anchorReal = this.realNow();
  }
}
