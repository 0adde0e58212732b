import type { Clock } from '../../provisioning/platform/clock.js';

/**
 * Real time shifted by an offset: backoffs and leases still elapse in real time, while a replay
 * jumps the offset forward to each snapshot's moment (so aging follows the simulated calendar).
 */
export class DrillClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly realNow: () => number = Date.now) {}
  now(): Date {
    return new Date(this.realNow() + this.offsetMs);
  }
  /** Moves simulated time forward to `at`; never backwards, so stored timestamps stay ordered. */
  jumpTo(at: Date | string): void {
    const target = new Date(at).getTime();
    if (Number.isNaN(target)) throw new Error(`not a time: ${String(at)}`);
    const delta = target - this.now().getTime();
    if (delta > 0) this.offsetMs += delta;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }
  advance(ms: number): void {
    if (ms < 0) throw new Error('a drill clock never goes back');
    this.offsetMs += ms;
  }
}
